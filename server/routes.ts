/** The handler's routes, wherever it is mounted: `…/codes`, `…/codes/{id}` and `…/codes/{id}/confirm`. */
export type OtpRoute =
  {name: 'issue'} | {name: 'confirm' | 'status'; requestId: string | undefined};

const CONFIRM_ROUTE = /\/codes\/([^/]+)\/confirm$/;
const STATUS_ROUTE = /\/codes\/([^/]+)$/;
const ISSUE: OtpRoute = {name: 'issue'};

/**
 * The route a path names, or undefined for any other path. A confirm route
 * whose id does not decode has `requestId` undefined (answered as an unknown id).
 */
export function routeOf(pathname: string): OtpRoute | undefined {
  // Trailing slashes are dropped; most paths have none, so no copy is made for them.
  const path = pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : pathname;
  if (path.endsWith('/codes')) return ISSUE;
  const confirm = CONFIRM_ROUTE.exec(path);
  const status = confirm ? undefined : STATUS_ROUTE.exec(path);
  const match = confirm ?? status;
  if (!match) return undefined;
  const name = confirm ? 'confirm' : 'status';
  try {
    return {name, requestId: decodeURIComponent(match[1])};
  } catch {
    return {name, requestId: undefined};
  }
}

/** True for the paths the handler answers (`…/codes`, `…/codes/{id}`, `…/codes/{id}/confirm`), wherever it is mounted. */
export function isOtpRoute(pathname: string): boolean {
  return routeOf(pathname) !== undefined;
}
