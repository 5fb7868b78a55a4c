import {timingSafeEqual} from 'node:crypto';
import {
  challengeStatus,
  judgeAttempt,
  type ConfirmOutcome,
} from '../src/challenge/challenge.js';
import {cleanCode, isWellFormedCode} from '../src/code/clean-code.js';
import type {ConfirmResponseBody} from '../src/sources/protocol.js';
import {
  EXPIRED_GRACE_MS,
  type HandlerContext,
  type ServerRecord,
} from './handler-context.js';
import {atOnce} from './at-once.js';
import {OtpAnswer, type OtpRequest} from './exchange.js';
import {failuresKey as accountFailuresKey, requestKey} from './keys.js';
import {logSafe} from './log-safe.js';
import {json, problem, rateLimited} from './problem.js';
import {revokedAt, withRevocation} from './revocation.js';
import {reserveFailure, settleFailure} from './throttle.js';
import {settleSpend} from './issue/spend.js';

/**
 * `POST …/codes/{requestId}/confirm`: judges one code. The account's budget of
 * wrong codes is reserved before the judgement and settled after it: a wrong
 * code stays counted, a confirmed one clears the account, and an attempt that
 * was not judged is handed back. A confirmed code earns a confirmation token.
 */
export async function confirmCode(
  ctx: HandlerContext,
  request: OtpRequest,
  requestId: string,
): Promise<OtpAnswer> {
  const {options, store, now, logger} = ctx;
  const parsed = await ctx.readBody(request);
  if (parsed instanceof OtpAnswer) return parsed;
  const typed = (parsed as {code?: unknown} | null)?.code;
  if (typeof typed !== 'string' || typed.length > 64) {
    return problem(
      400,
      'invalid-request',
      'The body must be {"code": "…"} with the code as a string.',
    );
  }
  const unknown = () =>
    problem(404, 'unknown-request', 'There is no pending code with this request id.');
  const challengeKey = await ctx.peek(requestKey(requestId));
  if (typeof challengeKey !== 'string') return unknown();
  const seen = await ctx.peek<ServerRecord | undefined>(challengeKey);
  if (!seen || seen.requestId !== requestId) return unknown();
  ctx.requestLabels.set(request, seen);
  const session = await ctx.refuseSession(request, seen.user);
  if (session) return session;

  const at = now();
  // A code that cannot be judged any more says why, whatever the account's back-off.
  const status = challengeStatus(seen, at);
  if (status !== 'pending') {
    const outcome = judgeAttempt(seen, false, at).outcome as Rejected;
    // Already locked (or spent, or expired): a rejection, not a second lock.
    if (ctx.events.watched)
      tellJudged(ctx, request, seen, ctx.normalize(seen.user), outcome, false);
    return rejection(outcome);
  }

  // One budget of wrong codes per account, across all its codes, reserved before judging.
  const account = ctx.normalize(seen.user);
  const failuresKey = accountFailuresKey(account);
  // Whether revokeUser voided the code is read beside the reservation, not after it.
  const [reserved, revoked] = await Promise.all([
    store.update(failuresKey, (v) => reserveFailure(v, ctx.failurePolicy, at)),
    revokedAt(ctx, seen.user),
  ]);
  const voided = withRevocation(seen, revoked);
  if (voided !== seen) {
    // Nothing is judged: the attempt reserved goes back, and the code reads as canceled.
    if (!reserved.retryAfter)
      await store.update(failuresKey, (v) =>
        settleFailure(v, 'not-judged', ctx.failurePolicy, now()),
      );
    const outcome = judgeAttempt(voided, false, at).outcome as Rejected;
    if (ctx.events.watched) tellJudged(ctx, request, seen, account, outcome, false);
    return rejection(outcome);
  }
  if (reserved.retryAfter)
    return rateLimited(reserved.retryAfter, 'after too many wrong codes for this user');
  // A code of the wrong shape cannot match, and counts as a wrong code like any other.
  const code = cleanCode(typed, seen.alphabet);
  const candidate = ctx.mac(
    requestId,
    isWellFormedCode(code, seen.length, seen.alphabet) ? code : '',
  );
  // Until the judgement is known to have (not) happened, the attempt stays
  // counted: a store that fails here may have judged it, and no fault may grant
  // an attempt, so a fault leaves the reservation as it is.
  const result = await store.update<
    {outcome: ConfirmOutcome; counted: boolean} | undefined
  >(challengeKey, (value) => {
    const record = value as ServerRecord | undefined;
    if (!record || record.requestId !== requestId) return [value, undefined];
    const matches =
      !record.decoy && !!record.digest && timingSafeEqual(candidate, record.digest);
    const {record: next, outcome} = judgeAttempt(record, matches, at);
    const counted = next !== record;
    if (!counted) return [value, {outcome, counted}];
    return [next, {outcome, counted}, record.expiresAt + EXPIRED_GRACE_MS - at];
  });
  const settled = !result?.counted
    ? 'not-judged'
    : result.outcome.status === 'confirmed'
      ? 'confirmed'
      : 'failed';
  const judged = result?.outcome;
  // Security events go to the log (OWASP ASVS 5 §16.3): confirmations and locks, never a code.
  const who = `${logSafe(seen.user)} (${logSafe(seen.client)}, ${logSafe(seen.stepName)})`;
  if (settled === 'confirmed') logger.info(`otp-step: code confirmed for ${who}`);
  else if (
    settled === 'failed' &&
    judged?.status === 'rejected' &&
    judged.reason === 'locked'
  )
    logger.warn(`otp-step: code locked after too many wrong codes for ${who}`);
  /** Settles the reservation; a wrong code stays counted as it was, which asks nothing of the store. */
  const settle = () =>
    settled === 'failed'
      ? undefined
      : store.update(failuresKey, (v) =>
          settleFailure(v, settled, ctx.failurePolicy, now()),
        );
  if (judged?.status !== 'confirmed') {
    await settle();
    if (!judged) return unknown();
    if (ctx.events.watched && settled !== 'not-judged')
      tellJudged(ctx, request, seen, account, judged, true);
    return rejection(judged as Rejected);
  }
  // Once confirmed, the account's reservation is cleared, the sending budgets
  // settled and the token recorded: three keys at once (one round trip on
  // Redis). Settling the budgets is bookkeeping: a store fault there must not
  // take the confirmed user's token away (the code is spent already).
  const [, , {token, claims}] = await atOnce([
    settle(),
    settleSpend(ctx, seen).catch((error: unknown) =>
      logger.error(
        `otp-step: could not settle the sending budgets for ${logSafe(seen.user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
      ),
    ),
    ctx.tokens.issue({
      user: seen.user,
      account,
      client: seen.client,
      stepName: seen.stepName,
      requestId,
    }),
  ]);
  if (ctx.events.watched) tellJudged(ctx, request, seen, account, judged, true);
  try {
    if (options.onConfirmed) await options.onConfirmed(claims, request.web());
  } catch (error) {
    logger.error(
      `otp-step: onConfirmed failed for ${logSafe(seen.user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
    );
  }
  const body: ConfirmResponseBody = {
    status: 'confirmed',
    requestId,
    confirmation: token,
  };
  return json(200, body);
}

type Rejected = Extract<ConfirmOutcome, {status: 'rejected'}>;

/** Tells the observers how a code was judged: confirmed, locked, or rejected and why. */
function tellJudged(
  ctx: HandlerContext,
  request: OtpRequest,
  record: ServerRecord,
  account: string,
  outcome: ConfirmOutcome,
  judged: boolean,
): void {
  // A decoy's code is judged as a real one is, but told of to no one: decoys
  // count only as `unknown_user` (at issue), and apps never hear of them.
  if (record.decoy) return;
  const type =
    outcome.status === 'confirmed'
      ? 'confirmed'
      : judged && outcome.reason === 'locked'
        ? 'locked'
        : 'rejected';
  ctx.events.emit({
    type,
    at: ctx.now(),
    requestId: record.requestId,
    user: record.user,
    account,
    client: record.client,
    stepName: record.stepName,
    channel: record.channel ?? record.notifiedOn,
    destinationHint: record.destinationHint,
    country: record.country,
    reason: outcome.status === 'rejected' ? outcome.reason : undefined,
    address: ctx.clientAddress(request),
    decoy: record.decoy || undefined,
  });
}

function rejection({reason, attemptsLeft}: Rejected): OtpAnswer {
  if (reason === 'invalid')
    return problem(422, 'invalid-code', 'That code is not right.', {attemptsLeft});
  if (reason === 'locked')
    return problem(423, 'locked', 'Too many wrong codes: this code is locked.', {
      attemptsLeft: 0,
    });
  if (reason === 'expired')
    return problem(410, 'expired', 'This code has expired; ask for a new one.');
  if (reason === 'canceled')
    return problem(410, 'canceled', 'This code was canceled; ask for a new one.');
  return problem(409, 'used', 'This code has already been used.');
}
