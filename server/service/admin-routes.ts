import type {IncomingMessage} from 'node:http';
import type {OtpAnswer} from '../exchange.js';
import type {OtpHandler} from '../otp-handler.js';
import {json, methodNotAllowed, problem} from '../problem.js';
import {OtpStoreUnavailableError} from '../store.js';
import {refuseWithoutApiKey} from './api-key.js';

const REVOKE_ROUTE = /^\/admin\/users\/([^/]+)\/revoke$/;
const REMOVE_AUTHENTICATOR_ROUTE = /^\/admin\/users\/([^/]+)\/authenticator\/remove$/;
const CANCEL_ROUTE = /^\/admin\/codes\/([^/]+)\/cancel$/;

/** Longest user a path may name once decoded, as the handler's own bound. */
const MAX_USER_LENGTH = 256;

/**
 * `POST /admin/users/{user}/revoke`, `POST /admin/codes/{requestId}/cancel`
 * and, with OTP_AUTHENTICATOR_ISSUER, `POST
 * /admin/users/{user}/authenticator/remove`: `revokeUser`, `cancel` and
 * `removeAuthenticator` for an app that is not in Node, behind
 * `Authorization: Bearer <OTP_API_KEY>` as `/confirmations/verify` is. The
 * user is URL-encoded in the path (`encodeURIComponent`), exactly as the app
 * names it. Revoking answers `{"revoked": true}`; canceling `{"canceled": true}`
 * when it ended a pending code, `{"canceled": false}` when there was none;
 * removing `{"removed": true}` when the user had an authenticator app.
 */
export async function adminRoute(
  handler: OtpHandler,
  apiKey: string,
  req: IncomingMessage,
  path: string,
  {authenticator}: {authenticator: boolean},
): Promise<OtpAnswer> {
  const refused = refuseWithoutApiKey(apiKey, req);
  if (refused) return refused;
  const revoke = REVOKE_ROUTE.exec(path);
  const remove = authenticator ? REMOVE_AUTHENTICATOR_ROUTE.exec(path) : null;
  const cancel = CANCEL_ROUTE.exec(path);
  const match = revoke ?? remove ?? cancel;
  if (!match) return problem(404, 'not-found', 'No such route.');
  if (req.method !== 'POST') return methodNotAllowed();
  let name: string;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return problem(
      400,
      'invalid-request',
      `The ${cancel ? 'request id' : 'user'} in the path does not decode: encode it with encodeURIComponent.`,
    );
  }
  try {
    if (cancel) return json(200, {canceled: await handler.cancel(name)});
    if (name.length > MAX_USER_LENGTH)
      return problem(
        400,
        'invalid-request',
        `The user in the path must be at most ${MAX_USER_LENGTH} characters once decoded.`,
      );
    if (remove) return json(200, {removed: await handler.removeAuthenticator(name)});
    await handler.revokeUser(name);
    return json(200, {revoked: true});
  } catch (error) {
    // Whatever else went wrong is the server's fault, answered as the handler answers it.
    if (!(error instanceof OtpStoreUnavailableError))
      return problem(500, 'internal-error', 'The server could not handle the request.');
    return problem(
      503,
      'store-unavailable',
      'The server cannot reach its store; try again shortly.',
      {retryAfter: error.retryAfterSeconds},
    );
  }
}
