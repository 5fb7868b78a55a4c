import type {HandlerContext, ServerRecord} from './handler-context.js';
import {requestKey} from './keys.js';

/** A challenge found by its request id; `recalled` when its record is what this process saw lately, not a read. */
export interface FoundChallenge {
  key: string;
  record: ServerRecord;
  recalled: boolean;
}

/**
 * The challenge key a request id names. A request id is made once (a random
 * UUID per code) and always names the same key, so what this process wrote
 * or read there lately (`store.recall`) is as good as a read: on Redis, a
 * confirm on the instance that issued the code saves a round trip.
 */
export async function challengeKeyOf(
  ctx: Pick<HandlerContext, 'store' | 'peek'>,
  requestId: string,
): Promise<string | undefined> {
  const key = requestKey(requestId);
  const named = ctx.store.recall?.(key) ?? (await ctx.peek(key));
  return typeof named === 'string' ? named : undefined;
}

/**
 * The challenge a request id stands for. With `recall: 'facts'` the record may
 * be one this process saw lately, possibly stale: what it says of the code's
 * user, client, step, alphabet, length, channel and destination never changes
 * under one request id, so it may pick the session to check and shape the
 * code; what changes (status, failures, consumed, canceled) must be decided on
 * the store's own value, in an update of the key. Without it, a read.
 */
export async function findChallenge(
  ctx: Pick<HandlerContext, 'store' | 'peek'>,
  requestId: string,
  {recall}: {recall: 'facts' | 'none'},
): Promise<FoundChallenge | undefined> {
  const key = await challengeKeyOf(ctx, requestId);
  if (key === undefined) return undefined;
  const remembered = recall === 'facts' ? ctx.store.recall?.(key) : undefined;
  const recalled = isChallengeOf(remembered, requestId);
  const record = recalled ? remembered : await ctx.peek<unknown>(key);
  return isChallengeOf(record, requestId) ? {key, record, recalled} : undefined;
}

/** Whether `value` is the record of `requestId` (the key may hold a newer code's by now). */
export function isChallengeOf(value: unknown, requestId: string): value is ServerRecord {
  return (value as ServerRecord | undefined)?.requestId === requestId;
}
