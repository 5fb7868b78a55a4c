/**
 * The handler's routes, wherever it is mounted: `…/codes`, `…/codes/{id}`,
 * `…/codes/{id}/confirm` and `…/codes/{id}/cancel`, and the authenticator's
 * `…/authenticator/enrollments`, `…/authenticator/enrollments/{id}/confirm`,
 * `…/authenticator/confirm`, `…/authenticator` and
 * `…/authenticator/recovery-codes`.
 */
export type OtpRoute =
  | {name: 'issue'}
  | {name: 'confirm' | 'cancel' | 'status'; requestId: string | undefined}
  | {name: 'authenticator_activate'; enrollmentId: string | undefined}
  | {name: AuthenticatorRouteName};

/** The authenticator's routes that name no id. */
export type AuthenticatorRouteName =
  | 'authenticator_enroll'
  | 'authenticator_confirm'
  | 'authenticator_remove'
  | 'authenticator_recovery_codes';

/** `…/codes/{id}/confirm` and `…/codes/{id}/cancel`: an action on one code. */
const ACTION_ROUTE = /\/codes\/([^/]+)\/(confirm|cancel)$/;
const STATUS_ROUTE = /\/codes\/([^/]+)$/;
const ACTIVATE_ROUTE = /\/authenticator\/enrollments\/([^/]+)\/confirm$/;
const ISSUE: OtpRoute = {name: 'issue'};
/** The fixed paths' last segments, after `…/authenticator`. */
const AUTHENTICATOR_ROUTES: Record<string, OtpRoute> = {
  '/authenticator/enrollments': {name: 'authenticator_enroll'},
  '/authenticator/confirm': {name: 'authenticator_confirm'},
  '/authenticator': {name: 'authenticator_remove'},
  '/authenticator/recovery-codes': {name: 'authenticator_recovery_codes'},
};

/** The method each route answers; any other is answered 405. */
export const ROUTE_METHODS: Record<OtpRoute['name'], 'GET' | 'POST' | 'DELETE'> = {
  issue: 'POST',
  confirm: 'POST',
  cancel: 'POST',
  status: 'GET',
  authenticator_enroll: 'POST',
  authenticator_activate: 'POST',
  authenticator_confirm: 'POST',
  authenticator_remove: 'DELETE',
  authenticator_recovery_codes: 'POST',
};

const decoded = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/**
 * The route a path names, or undefined for any other path. A route whose id
 * does not decode has it undefined (answered as an unknown id). The code
 * routes are matched first, so a path that is both (`…/codes/authenticator`)
 * keeps the meaning it had before the authenticator came.
 */
export function routeOf(pathname: string): OtpRoute | undefined {
  // Trailing slashes are dropped; most paths have none, so no copy is made for them.
  const path = pathname.endsWith('/') ? pathname.replace(/\/+$/, '') : pathname;
  if (path.endsWith('/codes')) return ISSUE;
  const action = ACTION_ROUTE.exec(path);
  const match = action ?? STATUS_ROUTE.exec(path);
  if (match) {
    const name = action ? (action[2] as 'confirm' | 'cancel') : 'status';
    return {name, requestId: decoded(match[1])};
  }
  const at = path.lastIndexOf('/authenticator');
  if (at === -1) return undefined;
  const activate = ACTIVATE_ROUTE.exec(path);
  if (activate)
    return {name: 'authenticator_activate', enrollmentId: decoded(activate[1])};
  return AUTHENTICATOR_ROUTES[path.slice(at)];
}

/** True for the authenticator's routes, which answer 404 on a handler without `authenticator`. */
export const isAuthenticatorRoute = (route: OtpRoute): boolean =>
  route.name.startsWith('authenticator_');

/** True for the paths the handler answers (`…/codes`, `…/codes/{id}`, `…/codes/{id}/confirm`, `…/codes/{id}/cancel`, `…/authenticator/…`), wherever it is mounted. */
export function isOtpRoute(pathname: string): boolean {
  return routeOf(pathname) !== undefined;
}
