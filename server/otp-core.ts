import {confirmCode} from './confirm.js';
import {codeStatus} from './status.js';
import type {OtpAnswer, OtpRequest} from './exchange.js';
import type {HandlerContext} from './handler-context.js';
import {issueCode} from './issue/issue-code.js';
import {logSafe} from './log-safe.js';
import {methodNotAllowed, problem} from './problem.js';
import {routeOf} from './routes.js';
import {OtpStoreFullError, OtpStoreUnavailableError} from './store.js';

/**
 * The handler's one implementation, whichever runtime the request came from:
 * routes it to issuing (issue.ts) or confirming (confirm.ts), and answers
 * whatever slipped through, so no input ever crashes the server.
 */
export async function answerOtpRequest(
  ctx: HandlerContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  try {
    const route = routeOf(request.path);
    if (!route) return problem(404, 'not-found', 'No such route.');
    const method = route.name === 'status' ? 'GET' : 'POST';
    if (request.method !== method) return methodNotAllowed(method);
    const unknownAddress = ctx.refuseUnknownAddress(request);
    if (unknownAddress) return unknownAddress;
    if (route.name === 'issue') return await issueCode(ctx, request);
    if (route.requestId === undefined)
      return problem(
        404,
        'unknown-request',
        'There is no pending code with this request id.',
      );
    if (route.name === 'status') return await codeStatus(ctx, request, route.requestId);
    return await confirmCode(ctx, request, route.requestId);
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
    ctx.logger.error(
      `otp-step: request failed: ${logSafe(error instanceof Error ? `${error.name}: ${error.message}` : error, 1000)}`,
    );
    return problem(500, 'internal-error', 'The server could not handle the request.');
  }
}
