import {EXPIRED_GRACE_MS, type HandlerContext} from './handler-context.js';
import {revokedUserKey} from './keys.js';
import {logSafe} from './log-safe.js';

/**
 * `handler.revokeUser(user)`: voids every pending code and confirmation token
 * of `user` issued until now, on every instance sharing the store. The key
 * lasts as long as the longest-lived of them could (a code of the longest
 * lifetime through its grace, a token), with a minute for clocks that differ.
 * The user's authenticator app, if any, stays enrolled (see OtpHandler.revokeUser).
 */
export async function revokeUser(ctx: HandlerContext, user: unknown): Promise<void> {
  checkedAppUser(user, 'revokeUser');
  const at = ctx.now();
  const keepFor =
    Math.max(
      ctx.limits.maxLifetimeSeconds * 1000 + EXPIRED_GRACE_MS,
      ctx.limits.confirmationLifetimeSeconds * 1000,
    ) + 60_000;
  // A later revocation wins; one from a clock behind never moves it back.
  await ctx.store.update(revokedUserKey(user), (value) => [
    typeof value === 'number' && value > at ? value : at,
    undefined,
    keepFor,
  ]);
  ctx.events.emit({
    type: 'revoked',
    at,
    // A revocation names no one code: every code and token of the user until `at`.
    // No client nor step either (the event tells them as ''), so the metrics count it
    // under empty labels rather than as the client "other".
    requestId: '',
    user,
    account: ctx.normalize(user),
  });
  ctx.logger.warn(`otp-step: every code and confirmation of ${logSafe(user)} revoked`);
}

/** `user` as an app's call names it; anything else throws a TypeError naming the call. */
export function checkedAppUser(user: unknown, call: string): asserts user is string {
  if (typeof user !== 'string' || user === '' || user.length > 256)
    throw new TypeError(
      `otp-step: ${call}(user) needs the user as the app names it: a non-empty string of at most 256 characters`,
    );
}
