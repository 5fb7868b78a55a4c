/** The handler's routes, wherever it is mounted: `…/codes`, `…/codes/{id}`, `…/codes/{id}/confirm` and `…/codes/{id}/cancel`. */
export type OtpRoute =
  | {name: 'issue'}
  | {name: 'confirm' | 'cancel' | 'status'; requestId: string | undefined};

/** `…/codes/{id}/confirm` and `…/codes/{id}/cancel`: an action on one code. */
const ACTION_ROUTE = /\/codes\/([^/]+)\/(confirm|cancel)$/;
const STATUS_ROUTE = /\/codes\/([^/]+)$/;
const ISSUE: OtpRoute = {name: 'issue'};

/**
 * The route a path names, or undefined for any other path. A confirm or
 * cancel route whose id does not decode has `requestId` undefined (answered as an unknown id).
 */
export function routeOf(pathname: string): OtpRoute | undefined {
  // Trailing slashes are dropped; most paths have none, so no copy is made for them.
  const path = pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : pathname;
  if (path.endsWith('/codes')) return ISSUE;
  const action = ACTION_ROUTE.exec(path);
  const match = action ?? STATUS_ROUTE.exec(path);
  if (!match) return undefined;
  const name = action ? (action[2] as 'confirm' | 'cancel') : 'status';
  try {
    return {name, requestId: decodeURIComponent(match[1])};
  } catch {
    return {name, requestId: undefined};
  }
}

/** True for the paths the handler answers (`…/codes`, `…/codes/{id}`, `…/codes/{id}/confirm`, `…/codes/{id}/cancel`), wherever it is mounted. */
export function isOtpRoute(pathname: string): boolean {
  return routeOf(pathname) !== undefined;
}
