import {challengeStatus} from '../src/challenge/challenge.js';
import type {StatusResponseBody} from '../src/sources/protocol.js';
import {addressBucket} from './client-address.js';
import type {OtpAnswer, OtpRequest} from './exchange.js';
import type {HandlerContext, ServerRecord} from './handler-context.js';
import {takeWindow} from './issue/limits.js';
import {Undo} from './issue/undo.js';
import {findChallenge} from './challenge-lookup.js';
import {json, problem} from './problem.js';
import {revokedAt, withRevocation} from './revocation.js';

/** Status reads per address per minute: a dialog reads a few times a minute at most. */
export const READS_PER_ADDRESS = 120;
/**
 * How long a challenge that sends nothing (a decoy, a test user) shows
 * `queued` before `sent`: about what a real provider takes, so the status
 * read tells them from real ones no more than the issue answer does.
 */
export const UNSENT_SHOWS_QUEUED_MS = 1500;

/**
 * `GET …/codes/{requestId}`: where the challenge stands, never its code or
 * digest. Bound to the session as the other operations are, and limited per
 * address, so it is no cheaper an oracle than they are.
 */
export async function codeStatus(
  ctx: HandlerContext,
  request: OtpRequest,
  requestId: string,
): Promise<OtpAnswer> {
  const address = ctx.clientAddress(request);
  if (address) {
    const wait = await takeWindow(
      ctx,
      `status-by-address:${addressBucket(address)}`,
      READS_PER_ADDRESS,
      60_000,
      new Undo(),
    );
    // A shared budget (many may read from one address): no Retry-After, as for issues.
    if (wait)
      return problem(429, 'rate-limited', 'Too many status reads; wait a moment.');
  }
  const unknown = () =>
    problem(404, 'unknown-request', 'There is no code with this request id.');
  // The status is what changes: read, never recalled (challenge-lookup.ts).
  const found = await findChallenge(ctx, requestId, {recall: 'none'});
  if (!found) return unknown();
  const {record} = found;
  // A code still alive (pending or locked) may have been voided by a revocation
  // (revokeUser): read beside the session check.
  const alive = ['pending', 'locked'].includes(challengeStatus(record, ctx.now()));
  const [session, revoked] = await Promise.all([
    ctx.refuseSession(request, record.user),
    alive ? revokedAt(ctx, record.user) : undefined,
  ]);
  if (session) return session;
  const at = ctx.now();
  return json(200, statusOf(ctx, withRevocation(record, revoked), at));
}

export function statusOf(
  ctx: HandlerContext,
  record: ServerRecord,
  at: number,
): StatusResponseBody {
  const body: StatusResponseBody = {
    requestId: record.requestId,
    status: challengeStatus(record, at),
    expiresAt: new Date(record.expiresAt).toISOString(),
    expiresIn: Math.max(0, Math.round((record.expiresAt - at) / 1000)),
    attemptsLeft: Math.max(0, record.maxAttempts - record.failures),
    resendIn: Math.max(0, Math.round((record.resendAt - at) / 1000)),
    resendsLeft: Math.max(0, record.maxResends - record.resends),
  };
  if (record.channel) {
    body.channel = record.channel;
    body.destinationHint = record.destinationHint;
  }
  if (record.delivery) {
    // A cut send shows queued first too, as a decoy does: it fails "at the provider".
    const unsent =
      record.decoy || !!record.cut || ctx.testUsers.has(ctx.normalize(record.user));
    const shown = record.cut ? 'failed' : 'sent';
    body.delivery =
      unsent && (record.delivery === 'queued' || record.cut)
        ? at - record.issuedAt >= UNSENT_SHOWS_QUEUED_MS
          ? shown
          : 'queued'
        : record.delivery;
  }
  return body;
}
