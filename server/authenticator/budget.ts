import type {HandlerContext} from '../handler-context.js';
import type {OtpAnswer} from '../exchange.js';
import {failuresKey} from '../keys.js';
import {logSafe} from '../log-safe.js';
import {rateLimited} from '../problem.js';
import {reserveFailure, settleFailure} from '../throttle.js';
import type {Judged} from './records.js';

/** A judgement made within the account's budget, and the attempts it leaves before the back-off. */
export interface Budgeted<T> {
  judged: Judged<T>;
  /** With `invalid`: wrong codes the account may still have judged before it must wait. */
  attemptsLeft: number;
}

/**
 * Judges a code of the authenticator within the account's one budget of wrong
 * codes, the same sent codes use (throttle.ts, keys.ts failuresKey): reserved
 * before the judgement, so parallel guesses cannot all pass before any is
 * counted, and settled after it. A wrong code stays counted; one of the
 * record's already used, or a record changed meanwhile, hands its attempt
 * back; an accepted one clears the account, unless `accepted` says it proves
 * nothing of the account (an enrolment's first code comes from the phone
 * being enrolled, so confirming one must not wipe the wrong codes a stolen
 * session has run up). A store fault while judging leaves the attempt counted:
 * no fault may grant one.
 */
export async function judgeWithinBudget<T>(
  ctx: HandlerContext,
  account: string,
  judge: () => Promise<Judged<T>>,
  accepted: 'confirmed' | 'not-judged' = 'confirmed',
): Promise<Budgeted<T> | OtpAnswer> {
  const key = failuresKey(account);
  const reserved = await ctx.store.update(key, (v) =>
    reserveFailure(v, ctx.failurePolicy, ctx.now()),
  );
  if (reserved.retryAfter)
    return rateLimited(reserved.retryAfter, 'after too many wrong codes for this user');
  const judged = await judge();
  const settled =
    judged.outcome === 'invalid'
      ? 'failed'
      : judged.outcome === 'accepted'
        ? accepted
        : 'not-judged';
  if (settled !== 'failed') {
    // Bookkeeping that frees what the user is owed: a fault here must not
    // turn a code already spent into a refusal, so it is logged.
    try {
      await ctx.store.update(key, (v) =>
        settleFailure(v, settled, ctx.failurePolicy, ctx.now()),
      );
    } catch (error) {
      ctx.logger.error(
        `otp-step: could not settle the account's reserved attempt: ${logSafe(error instanceof Error ? error.message : error)}`,
      );
    }
  }
  return {
    judged,
    attemptsLeft: Math.max(0, ctx.failurePolicy.freeFailures - reserved.failures),
  };
}
