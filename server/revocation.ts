import type {ChallengeRecord} from '../src/challenge/challenge.js';
import type {HandlerContext} from './handler-context.js';
import {revokedUserKey} from './keys.js';

/**
 * When `revokeUser` last ran for `user` (the name exactly as the app gives
 * it), or undefined: every code and confirmation token of that user issued at
 * or before it is void. One key per user, so a revocation holds across
 * instances on a shared store and blocks no code issued after it.
 */
export async function revokedAt(
  ctx: Pick<HandlerContext, 'peek'>,
  user: string,
): Promise<number | undefined> {
  const at = await ctx.peek<unknown>(revokedUserKey(user));
  return typeof at === 'number' ? at : undefined;
}

/**
 * The record as a revocation at `revoked` leaves it: a code still alive then
 * (issued at or before it, not yet expired nor confirmed) reads as canceled
 * from the revocation on. A locked one too, so that the user is not kept
 * waiting for it to expire: the account's back-off (throttle.ts) still holds.
 * Nothing is written: the user's codes cannot be listed, so each is judged
 * against the one key when it is next read.
 */
export function withRevocation<T extends ChallengeRecord>(
  record: T,
  revoked: number | undefined,
): T {
  if (
    revoked === undefined ||
    record.canceledAt !== undefined ||
    record.consumed ||
    record.issuedAt > revoked ||
    record.expiresAt <= revoked
  )
    return record;
  return {...record, canceledAt: revoked};
}
