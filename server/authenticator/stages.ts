/**
 * The stages the authenticator's routes share: the signed-in user, the body,
 * the user's record with its secret opened, a code's step, and the answers
 * that refuse a code.
 */
import {cleanCode} from '../../src/code/clean-code.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import type {OtpAuthenticatorOptions} from '../options.js';
import {authenticatorKey} from '../keys.js';
import {logSafe} from '../log-safe.js';
import {problem} from '../problem.js';
import type {AuthenticatorCrypto} from './crypto.js';
import {isAuthenticatorRecord, type AuthenticatorRecord, type Judged} from './records.js';
import {matchingStep, stepAt} from './totp.js';

/** The handler's context with the authenticator on. */
export type AuthenticatorContext = HandlerContext & {
  authenticator: Pick<OtpAuthenticatorOptions, 'issuer' | 'accountLabel'> &
    AuthenticatorCrypto;
};

/** The body checked by `check`, or the 400 (or 413, 415, …) that refuses it. */
export async function checkedBody<T>(
  ctx: HandlerContext,
  request: OtpRequest,
  check: (value: unknown) => T | string,
): Promise<T | OtpAnswer> {
  const parsed = await ctx.readBody(request);
  if (parsed instanceof OtpAnswer) return parsed;
  const checked = check(parsed);
  return typeof checked === 'string' ? problem(400, 'invalid-request', checked) : checked;
}

/**
 * The signed-in user, or the 401 without a session. The authenticator is on
 * only with `authenticate` (options.ts), so there is always one to ask.
 */
export async function sessionUser(
  ctx: HandlerContext,
  request: OtpRequest,
): Promise<string | OtpAnswer> {
  const signedIn = await ctx.signedIn(request);
  if (signedIn === undefined)
    return problem(401, 'unauthenticated', 'Sign in first: there is no session.');
  return signedIn;
}

export const notEnrolled = () =>
  problem(
    404,
    'not-enrolled',
    'This user has no authenticator app: enrol one first (POST …/authenticator/enrollments).',
  );

/**
 * The 404 `not-enrolled` for a user with no authenticator, before any
 * attempt is counted. Read from what this process saw of the key where it
 * has it (store.recall): the record is judged again as the store holds it, in
 * the change that spends a code (records.ts), so a stale view only ever
 * decides this early refusal. A thousand sign-ins at once then wait in line on
 * Redis for the one key that must be shared, the account's budget, not for a read.
 */
export async function refuseNotEnrolled(
  ctx: HandlerContext,
  user: string,
): Promise<OtpAnswer | undefined> {
  const key = authenticatorKey(user);
  const value = ctx.store.recall?.(key) ?? (await ctx.peek<unknown>(key));
  return isAuthenticatorRecord(value) ? undefined : notEnrolled();
}

/**
 * The step of a typed code for a stored record (records.ts spendCode's
 * `stepOf`): its secret opened for `user` (null where it does not open), the
 * code's step now within ±1 of drift, or undefined. The opened secret is kept
 * for the change's next run (a store may run it again on a race).
 */
export function codeStepOf(ctx: AuthenticatorContext, user: string, code: string) {
  let opened: [sealed: string, key: Uint8Array | undefined] | undefined;
  return (record: AuthenticatorRecord): number | undefined | null => {
    if (opened?.[0] !== record.sealed)
      opened = [record.sealed, ctx.authenticator.openSecret(user, record.sealed)];
    const key = opened[1];
    return key ? stepOfCode(ctx, key, code) : null;
  };
}

/** The step a typed code is the app's code of for `key`, now (±1 step of drift), or undefined. */
export const stepOfCode = (ctx: HandlerContext, key: Uint8Array, typed: string) =>
  matchingStep(key, cleanCode(typed, 'numeric'), stepAt(ctx.now()));

/**
 * The answer for a record whose secret does not open (copied from another
 * user's key, altered, or sealed under another server secret): no
 * authenticator of this user's, and logged, since nobody's app can sign in with it.
 */
export function unopened(ctx: HandlerContext, user: string): OtpAnswer {
  ctx.logger.error(
    `otp-step: the authenticator of ${logSafe(user)} does not open (moved from another user, altered, or sealed under another secret): it cannot sign in`,
  );
  return notEnrolled();
}

/** The answer that turns down a code: wrong, used already, or of a record that changed meanwhile. */
export function refusalOf(
  judged: Exclude<Judged<unknown>, {outcome: 'accepted' | 'unopened'}>,
  attemptsLeft: number,
  gone: () => OtpAnswer,
  method: 'authenticator' | 'recovery-code' = 'authenticator',
): OtpAnswer {
  if (judged.outcome === 'invalid')
    return problem(422, 'invalid-code', 'That code is not right.', {attemptsLeft});
  if (judged.outcome === 'used' && method === 'recovery-code')
    return problem(409, 'used', 'This recovery code has already been used.');
  if (judged.outcome === 'used')
    return problem(
      409,
      'used',
      'This code has already been used: wait for the next code the app shows.',
    );
  return gone();
}
