import type {ExpectedConfirmation, OtpConfirmationClaims} from './confirmation.js';
import type {OtpEndpoint} from './exchange.js';
import {fromFetchRequest, toFetchResponse} from './fetch-adapter.js';
import {handlerContext} from './handler-context.js';
import type {OtpHandlerOptions} from './options.js';
import {answeredRoute, answerOtpRequest} from './otp-core.js';
import {cancelByApp} from './cancel.js';
import {revokeUser} from './revoke-user.js';
import {removeByApp} from './authenticator/manage.js';

export {isOtpRoute} from './routes.js';

/**
 * The handler: a web-standard `(Request) => Promise<Response>` function, with
 * the check the app's own server makes of a confirmation, and the core that
 * `toNodeListener` runs on Node's own request and response (`OtpEndpoint`).
 */
export interface OtpHandler extends OtpEndpoint {
  (request: Request): Promise<Response>;
  /**
   * The claims of a confirmation token the first time it is presented; null for
   * one that is spent, expired, forged or altered, or names another user, client
   * or step name than `expected`.
   */
  verifyConfirmation(
    token: unknown,
    expected?: ExpectedConfirmation,
  ): Promise<OtpConfirmationClaims | null>;
  /**
   * Ends a pending code from the app's server (no session is asked): it can no
   * longer be confirmed, reads `canceled`, and a new one may be issued at once.
   * Resolves to true when this call ended it; false for an unknown id or a code
   * already canceled, confirmed, expired or locked.
   */
  cancel(requestId: string): Promise<boolean>;
  /**
   * Revokes `user` (exactly as the app names it, as `authenticate` does): every
   * code of theirs issued until now reads `canceled` and cannot be confirmed,
   * and every confirmation token of theirs issued until now fails
   * `verifyConfirmation`, on every instance sharing the store. Codes issued
   * afterwards are not affected. An enrolled authenticator app stays: a
   * revocation voids what was issued until then (codes, tokens), not a factor
   * the user holds, and the app signs in again at once. Where an account was
   * taken over, an app enrolled meanwhile (`otp.enrolled`) may be the
   * intruder's: `removeAuthenticator(user)` removes it. Throws a TypeError for
   * a user that is not a non-empty string of at most 256 characters.
   */
  revokeUser(user: string): Promise<void>;
  /**
   * Removes `user`'s authenticator app (exactly as the app names them) from
   * the app's server, with no code asked: a support desk's reset for a user
   * who lost both the phone and the recovery codes, or an intruder's app after
   * a takeover. Resolves to true when there was one. Tells
   * `otp.authenticator_removed`. Throws a TypeError as `revokeUser` does, and
   * on a handler without `authenticator`.
   */
  removeAuthenticator(user: string): Promise<boolean>;
  /**
   * Resolves once every code being sent behind its answer has been sent or
   * given up on: for a graceful shutdown, and for tests.
   */
  idle(): Promise<void>;
  /**
   * Stops the handler's own timer (the `otp.expired` watcher, which runs only
   * with `onEvent`, `auditLog` or `metrics`) and waits as `idle()` does. The
   * timer keeps no process alive; close a handler that is dropped while its
   * process goes on (tests, a reconfigured app).
   */
  close(): Promise<void>;
}

/**
 * The reference server: a handler for issuing and confirming one-time codes,
 * to mount on node:http, Express or Connect with `toNodeListener` (which runs
 * it on Node's own request and response), or to call from any runtime with a
 * web `Request`. Both go through one core (otp-core.ts). Every limit is kept
 * per account (the normalised user), whatever client or step name a caller
 * names, and every request refused hands back what it reserved.
 */
export function createOtpHandler(options: OtpHandlerOptions): OtpHandler {
  const ctx = handlerContext(options);
  // A function with members, as the public OtpHandler is one: each member typed by the interface.
  const handler = async (request: Request) =>
    toFetchResponse(await answerOtpRequest(ctx, fromFetchRequest(request)));
  handler.answer = (request: Parameters<OtpHandler['answer']>[0]) =>
    answerOtpRequest(ctx, request);
  handler.bodyLimits = ctx.bodyLimits;
  handler.handles = (pathname: string) => answeredRoute(ctx, pathname) !== undefined;
  handler.verifyConfirmation = ctx.tokens.verify;
  handler.cancel = (requestId: string) => cancelByApp(ctx, requestId);
  handler.revokeUser = (user: string) => revokeUser(ctx, user);
  handler.removeAuthenticator = (user: string) => removeByApp(ctx, user);
  handler.idle = async () => {
    while (ctx.deliveries.size) await Promise.allSettled([...ctx.deliveries]);
    // What the observers still deliver (event webhooks, onEvent calls) too.
    await ctx.events.idle();
  };
  handler.close = async () => {
    ctx.expiry?.close();
    await handler.idle();
  };
  return handler;
}
