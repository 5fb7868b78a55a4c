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
