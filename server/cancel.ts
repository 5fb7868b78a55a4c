import {challengeStatus} from '../src/challenge/challenge.js';
import {addressBucket} from './client-address.js';
import type {OtpAnswer, OtpRequest} from './exchange.js';
import {
  EXPIRED_GRACE_MS,
  type HandlerContext,
  type ServerRecord,
} from './handler-context.js';
import {takeWindow} from './issue/limits.js';
import {Undo} from './issue/undo.js';
import {findChallenge} from './challenge-lookup.js';
import {cancelsByAddressKey} from './keys.js';
import {logSafe} from './log-safe.js';
import {json, problem} from './problem.js';
import {revokedAt, withRevocation} from './revocation.js';
import {READS_PER_ADDRESS, statusOf} from './status.js';

/** What ending a code came to: canceled now, canceled before, or why it could not be. */
export type CancelOutcome =
  | {outcome: 'canceled' | 'already-canceled'; record: ServerRecord}
  | {outcome: 'unknown'}
  | {outcome: 'not-pending'; record: ServerRecord};

/**
 * `POST …/codes/{requestId}/cancel`: ends a pending code, so it can no longer
 * be confirmed and a new one may be issued at once. Bound to the session as
 * confirm and status are, and limited per address as status reads are.
 * Canceling a canceled code answers 200 again (a retry after a lost answer is
 * no error); one that was confirmed, expired or locked answers its problem.
 */
export async function cancelCode(
  ctx: HandlerContext,
  request: OtpRequest,
  requestId: string,
): Promise<OtpAnswer> {
  const address = ctx.clientAddress(request);
  if (address) {
    const wait = await takeWindow(
      ctx,
      cancelsByAddressKey(addressBucket(address)),
      READS_PER_ADDRESS,
      60_000,
      new Undo(),
    );
    // A shared budget, as for status reads: no Retry-After.
    if (wait) return problem(429, 'rate-limited', 'Too many cancels; wait a moment.');
  }
  const seen = await readChallenge(ctx, requestId);
  if (!seen) return unknown();
  ctx.requestLabels.set(request, seen.record);
  const session = await ctx.refuseSession(request, seen.record.user);
  if (session) return session;
  const ended = await endChallenge(ctx, requestId, seen, address);
  if (ended.outcome === 'unknown') return unknown();
  if (ended.outcome === 'not-pending') return notPending(ctx, ended.record);
  return json(200, statusOf(ctx, ended.record, ctx.now()));
}

/**
 * `handler.cancel(requestId)`, for the app's server: no session, no limit.
 * True when this call ended a pending code; false for an unknown id or a
 * code already canceled, confirmed, expired or locked.
 */
export async function cancelByApp(
  ctx: HandlerContext,
  requestId: unknown,
): Promise<boolean> {
  if (typeof requestId !== 'string' || !requestId || requestId.length > 256) return false;
  const seen = await readChallenge(ctx, requestId);
  if (!seen) return false;
  return (await endChallenge(ctx, requestId, seen)).outcome === 'canceled';
}

/**
 * The challenge a request id stands for, and its key; undefined when there is
 * none. Its facts may be recalled (challenge-lookup.ts): whether it is still
 * pending is decided in endChallenge's update of the record.
 */
const readChallenge = (ctx: HandlerContext, requestId: string) =>
  findChallenge(ctx, requestId, {recall: 'facts'});

/**
 * Marks the challenge canceled, in one atomic update of its record, so a
 * confirmation racing it either comes first (and the cancel answers `used`)
 * or finds it canceled. A code voided by a revocation reads as canceled
 * already. The `canceled` fact is told once, by the call that canceled it
 * (never for a decoy, which stands for no code).
 */
async function endChallenge(
  ctx: HandlerContext,
  requestId: string,
  {key, record: seen}: {key: string; record: ServerRecord},
  address?: string,
): Promise<CancelOutcome> {
  // The key names the user, so the record read before is the same user's.
  const revoked = await revokedAt(ctx, seen.user);
  const at = ctx.now();
  const ended = await ctx.store.update<CancelOutcome>(key, (value) => {
    const stored = value as ServerRecord | undefined;
    if (!stored || stored.requestId !== requestId) return [value, {outcome: 'unknown'}];
    const record = withRevocation(stored, revoked);
    const status = challengeStatus(record, at);
    if (status === 'canceled') return [value, {outcome: 'already-canceled', record}];
    if (status !== 'pending') return [value, {outcome: 'not-pending', record}];
    const next: ServerRecord = {...record, canceledAt: at};
    // Kept as long as it was going to be, so a late confirmation hears "canceled".
    return [
      next,
      {outcome: 'canceled', record: next},
      record.expiresAt + EXPIRED_GRACE_MS - at,
    ];
  });
  if (ended.outcome === 'canceled') {
    const {record} = ended;
    ctx.logger.info(
      `otp-step: code canceled for ${logSafe(record.user)} (${logSafe(record.client)}, ${logSafe(record.stepName)})`,
    );
    if (ctx.events.watched && !record.decoy)
      ctx.events.emit({
        type: 'canceled',
        at,
        requestId,
        user: record.user,
        account: ctx.normalize(record.user),
        client: record.client,
        stepName: record.stepName,
        // Where the app sends the code itself (notify), the plan named the channel: as issue-code.ts tells it.
        channel: record.channel ?? record.notifiedOn,
        destinationHint: record.destinationHint,
        country: record.country,
        address,
      });
  }
  return ended;
}

const unknown = () =>
  problem(404, 'unknown-request', 'There is no code with this request id.');

/** Why a code that is not pending cannot be canceled: the problem confirm would answer. */
function notPending(ctx: HandlerContext, record: ServerRecord): OtpAnswer {
  const status = challengeStatus(record, ctx.now());
  if (status === 'confirmed')
    return problem(
      409,
      'used',
      'This code has been used already: there is nothing to cancel.',
    );
  if (status === 'locked')
    return problem(
      423,
      'locked',
      'This code is locked after too many wrong codes: there is nothing to cancel.',
      {attemptsLeft: 0},
    );
  return problem(410, 'expired', 'This code has expired: there is nothing to cancel.');
}
