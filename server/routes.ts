/** The handler's two routes, wherever it is mounted: `…/codes` and `…/codes/{id}/confirm`. */
export type OtpRoute = {name: 'issue'} | {name: 'confirm'; requestId: string | undefined};

const CONFIRM_ROUTE = /\/codes\/([^/]+)\/confirm$/;
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
  if (!confirm) return undefined;
  try {
    return {name: 'confirm', requestId: decodeURIComponent(confirm[1])};
  } catch {
    return {name: 'confirm', requestId: undefined};
  }
}

/** True for the paths the handler answers (`…/codes` and `…/codes/{id}/confirm`), wherever it is mounted. */
export function isOtpRoute(pathname: string): boolean {
  return routeOf(pathname) !== undefined;
}
