import {cancelCode} from './cancel.js';
import {confirmCode} from './confirm.js';
import {codeStatus} from './status.js';
import type {OtpAnswer, OtpRequest} from './exchange.js';
import type {HandlerContext} from './handler-context.js';
import {issueCode} from './issue/issue-code.js';
import {logSafe} from './log-safe.js';
import {methodNotAllowed, problem} from './problem.js';
import {isAuthenticatorRoute, ROUTE_METHODS, routeOf, type OtpRoute} from './routes.js';
import {answerAuthenticator} from './authenticator/answer.js';
import {OtpStoreFullError, OtpStoreUnavailableError} from './store.js';
import type {OtpOperation} from './events/lifecycle.js';

/**
 * The handler's one implementation, whichever runtime the request came from:
 * routes it to issuing (issue.ts), confirming (confirm.ts), the status read
 * (status.ts), canceling (cancel.ts) or the authenticator (authenticator/), and answers
 * whatever slipped through, so no input ever crashes the server.
 */
export async function answerOtpRequest(
  ctx: HandlerContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  if (!ctx.events.watched && !ctx.events.timed) return answer(ctx, request);
  const started = performance.now();
  const answered = await answer(ctx, request);
  const route = answeredRoute(ctx, request.path);
  if (route) {
    const operation = route.name;
    ctx.events.answered(operation, answered.status, (performance.now() - started) / 1000);
    if (ctx.events.watched) tellRefusal(ctx, request, operation, answered);
  }
  return answered;
}

/**
 * The codes of answers that judge a code rather than refuse a request: they
 * are told as `rejected` or `locked` (confirm.ts), not as refusals.
 */
const JUDGEMENTS = new Set(['invalid-code', 'expired', 'used', 'locked', 'canceled']);
/** The operations that tell their own judgements (confirm.ts, authenticator/sign-in.ts). */
const JUDGING = new Set<OtpOperation>(['confirm', 'authenticator_confirm']);

/** The route a path names on this handler: the authenticator's only where it is on. */
export function answeredRoute(ctx: HandlerContext, path: string): OtpRoute | undefined {
  const route = routeOf(path);
  return route && isAuthenticatorRoute(route) && !ctx.authenticator ? undefined : route;
}

/** Tells the observers of a request refused, by the problem's code: `rate-limited`, `forbidden`, … */
function tellRefusal(
  ctx: HandlerContext,
  request: OtpRequest,
  operation: OtpOperation,
  answered: OtpAnswer,
): void {
  if (answered.status < 400) return;
  let reason = 'unknown';
  try {
    reason = String((JSON.parse(answered.body) as {code?: unknown}).code ?? reason);
  } catch {
    // A problem body is always JSON; should one not be, it is counted as unknown.
  }
  if (JUDGING.has(operation) && JUDGEMENTS.has(reason)) return;
  const labels = ctx.requestLabels.get(request);
  ctx.events.emit({
    type: 'refused',
    at: ctx.now(),
    operation,
    reason,
    client: labels?.client,
    stepName: labels?.stepName,
    address: ctx.clientAddress(request),
  });
}

async function answer(ctx: HandlerContext, request: OtpRequest): Promise<OtpAnswer> {
  try {
    const route = answeredRoute(ctx, request.path);
    if (!route) return problem(404, 'not-found', 'No such route.');
    const method = ROUTE_METHODS[route.name];
    if (request.method !== method) return methodNotAllowed(method);
    const unknownAddress = ctx.refuseUnknownAddress(request);
    if (unknownAddress) return unknownAddress;
    if (route.name === 'issue') return await issueCode(ctx, request);
    if (!('requestId' in route)) return await answerAuthenticator(ctx, request, route);
    if (route.requestId === undefined)
      return problem(
        404,
        'unknown-request',
        'There is no pending code with this request id.',
      );
    if (route.name === 'status') return await codeStatus(ctx, request, route.requestId);
    if (route.name === 'cancel') return await cancelCode(ctx, request, route.requestId);
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
