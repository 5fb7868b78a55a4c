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
import {findChallenge, isChallengeOf} from './challenge-lookup.js';
import {failuresKey as accountFailuresKey} from './keys.js';
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
  // On the instance that issued the code, its record as this process saw it:
  // the facts that pick the session and shape the code, with no round trip.
  // What may have changed since (its status) is decided on the store's value.
  const found = await findChallenge(ctx, requestId, {recall: 'facts'});
  if (!found) return unknown();
  const {key: challengeKey, recalled} = found;
  let seen = found.record;
  ctx.requestLabels.set(request, seen);
  const session = await ctx.refuseSession(request, seen.user);
  if (session) return session;

  const at = now();
  /** The store's record now, for a recalled one whose status is about to be relied on. */
  const current = async () =>
    recalled ? (await findChallenge(ctx, requestId, {recall: 'none'}))?.record : seen;
  /** Already locked (or spent, expired, canceled): a rejection, not a second lock. */
  const dead = (record: ServerRecord) => {
    const outcome = judgeAttempt(record, false, at).outcome as Rejected;
    if (ctx.events.watched) tellJudged(ctx, request, record, outcome, false);
    return rejection(outcome);
  };
  // A code that cannot be judged any more says why, whatever the account's back-off.
  if (challengeStatus(seen, at) !== 'pending') {
    const stored = await current();
    if (!stored) return unknown();
    if (challengeStatus(stored, at) !== 'pending') return dead(stored);
    seen = stored;
  }

  // One budget of wrong codes per account, across all its codes, reserved before judging.
  const account = ctx.normalize(seen.user);
  const failuresKey = accountFailuresKey(account);
  // A code of the wrong shape cannot match, and counts as a wrong code like any other.
  const code = cleanCode(typed, seen.alphabet);
  const candidate = ctx.mac(
    requestId,
    isWellFormedCode(code, seen.length, seen.alphabet) ? code : '',
  );
  // The code's digest never changes under its request id: where the code
  // matches it, the token is armed beside the reservation (one round trip on
  // Redis), to be signed only if the judgement confirms (confirmation.ts).
  // Armed before the judgement, not with it: a fault in arming (its key may
  // live on another Redis primary) then leaves the code unspent for a retry,
  // where one after a judgement that spent it would answer 503 for a code the
  // user can no longer confirm. Whether revokeUser voided the code is read
  // beside them too.
  const rightCode =
    !seen.decoy && !!seen.digest && timingSafeEqual(candidate, seen.digest);
  const [reserved, revoked] = await atOnce([
    store.update(failuresKey, (v) => reserveFailure(v, ctx.failurePolicy, at)),
    revokedAt(ctx, seen.user),
    rightCode ? ctx.tokens.arm(requestId) : undefined,
  ]);
  if (reserved.retryAfter) {
    // A code voided by a revocation, or no longer pending, says so whatever the
    // back-off; a recalled record is read first to know.
    const record = await current();
    if (!record) return unknown();
    const voided = withRevocation(record, revoked);
    if (challengeStatus(voided, at) !== 'pending') return dead(voided);
    return rateLimited(reserved.retryAfter, 'after too many wrong codes for this user');
  }
  // Until the judgement is known to have (not) happened, the attempt stays
  // counted: a store that fails here may have judged it, and no fault may grant
  // an attempt, so a fault leaves the reservation as it is. The judgement is
  // made on the store's own record, voided by a revocation or not pending any
  // more (whatever `seen` said) being judged as nothing: the attempt goes back.
  const judging = store.update<
    {outcome: ConfirmOutcome; counted: boolean; record: ServerRecord} | undefined
  >(challengeKey, (value) => {
    if (!isChallengeOf(value, requestId)) return [value, undefined];
    const record = withRevocation(value, revoked);
    const matches =
      !record.decoy && !!record.digest && timingSafeEqual(candidate, record.digest);
    const judgedAttempt = judgeAttempt(record, matches, at);
    const {outcome} = judgedAttempt;
    // judgeAttempt copies every field it is given, the server's included.
    const next = judgedAttempt.record as ServerRecord;
    const counted = next !== record;
    if (!counted) return [value, {outcome, counted, record}];
    return [
      next,
      {outcome, counted, record: next},
      record.expiresAt + EXPIRED_GRACE_MS - at,
    ];
  });
  const result = await judging;
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
    if (ctx.events.watched)
      tellJudged(ctx, request, result!.record, judged, settled !== 'not-judged', account);
    return rejection(judged as Rejected);
  }
  /** The record as the store now holds it (spent): what is settled and told. */
  const spent = result!.record;
  // Armed above unless `seen` was not the code's (it always is: a safeguard).
  if (!rightCode) await ctx.tokens.arm(requestId);
  const {token, claims} = ctx.tokens.sign({
    user: seen.user,
    account,
    client: seen.client,
    stepName: seen.stepName,
    requestId,
    method: 'code',
  });
  // Once confirmed, the account's reservation is cleared and the sending
  // budgets settled behind the answer, as a delivery is (idle() waits for
  // them): bookkeeping that only frees what the user is owed, which a store
  // fault must not turn into a refusal of a code already spent (it is logged).
  const failed = (what: string) => (error: unknown) =>
    logger.error(
      `otp-step: could not ${what} for ${logSafe(seen.user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
    );
  const bookkeeping = Promise.all([
    settle()?.catch(failed("clear the account's reserved attempt")),
    settleSpend(ctx, spent).catch(failed('settle the sending budgets')),
  ])
    .then(() => undefined)
    .finally(() => ctx.deliveries.delete(bookkeeping));
  ctx.deliveries.add(bookkeeping);
  if (ctx.events.watched) tellJudged(ctx, request, spent, judged, true, account);
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
  outcome: ConfirmOutcome,
  judged: boolean,
  /** `record.user` normalised, where the caller has it already. */
  account = ctx.normalize(record.user),
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
