import {confirmCode} from './confirm.js';
import type {ExpectedConfirmation, OtpConfirmationClaims} from './confirmation.js';
import {handlerContext} from './handler-context.js';
import type {BodyLimits} from './node-adapter.js';
import {issueCode} from './issue.js';
import {logSafe} from './log-safe.js';
import type {OtpHandlerOptions} from './options.js';
import {methodNotAllowed, problem} from './problem.js';
import {OtpStoreFullError, OtpStoreUnavailableError} from './store.js';

/** The handler, with the check the app's own server makes of a confirmation. */
export type OtpHandler = ((request: Request) => Promise<Response>) & {
  /**
   * The claims of a confirmation token the first time it is presented; null for
   * one that is spent, expired, forged or altered, or names another user, client
   * or step name than `expected`.
   */
  verifyConfirmation(
    token: unknown,
    expected?: ExpectedConfirmation,
  ): Promise<OtpConfirmationClaims | null>;
  /** How much body the handler takes and how long it waits: `toNodeListener` reads it to these. */
  readonly bodyLimits: BodyLimits;
};

const CONFIRM_ROUTE = /\/codes\/([^/]+)\/confirm$/;

/** True for the paths the handler answers (`…/codes` and `…/codes/{id}/confirm`), wherever it is mounted. */
export function isOtpRoute(pathname: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return path.endsWith('/codes') || CONFIRM_ROUTE.test(path);
}

/**
 * The reference server: a web-standard `(Request) => Promise<Response>` handler
 * for issuing and confirming one-time codes, to mount on node:http, Express or
 * Connect with `toNodeListener`, or to call from any runtime with `Request`.
 * Every limit is kept per account (the normalised user), whatever client or step
 * name a caller names, and every request refused hands back what it reserved.
 * Issuing is in issue.ts, confirming in confirm.ts; this file routes and answers
 * whatever slipped through.
 */
export function createOtpHandler(options: OtpHandlerOptions): OtpHandler {
  const ctx = handlerContext(options);
  const handle = async (request: Request): Promise<Response> => {
    try {
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      const confirmMatch = CONFIRM_ROUTE.exec(path);
      if (!confirmMatch && !path.endsWith('/codes'))
        return problem(404, 'not-found', 'No such route.');
      if (request.method !== 'POST') return methodNotAllowed();
      if (!confirmMatch) return await issueCode(ctx, request);
      let requestId: string;
      try {
        requestId = decodeURIComponent(confirmMatch[1]);
      } catch {
        return problem(
          404,
          'unknown-request',
          'There is no pending code with this request id.',
        );
      }
      return await confirmCode(ctx, request, requestId);
    } catch (error) {
      if (error instanceof OtpStoreFullError)
        return problem(503, 'busy', 'The server is busy; try again shortly.', {
          retryAfter: error.retryAfterSeconds,
        });
      if (error instanceof OtpStoreUnavailableError) {
        ctx.warnOnce('store-unavailable');
        return problem(
          503,
          'store-unavailable',
          'The server cannot reach its store; try again shortly.',
          {retryAfter: error.retryAfterSeconds},
        );
      }
      // Never crash on input: whatever slipped through is logged and answered.
      ctx.logger.error(
        `otp-step: request failed: ${logSafe(error instanceof Error ? `${error.name}: ${error.message}` : error, 1000)}`,
      );
      return problem(500, 'internal-error', 'The server could not handle the request.');
    }
  };
  return Object.assign(handle, {
    verifyConfirmation: ctx.tokens.verify,
    bodyLimits: {
      maxBytes: ctx.limits.maxBodyBytes,
      timeoutMs: ctx.limits.bodyTimeoutSeconds * 1000,
    },
  });
}
