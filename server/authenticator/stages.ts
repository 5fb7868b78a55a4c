/**
 * The stages the authenticator's routes share: the signed-in user, the body,
 * the user's record with its secret opened, a code's step, and the answers
 * that refuse a code.
 */
import {cleanCode} from '../../src/code/clean-code.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {authenticatorKey} from '../keys.js';
import {logSafe} from '../log-safe.js';
import {problem} from '../problem.js';
import type {AuthenticatorCrypto} from './crypto.js';
import {isAuthenticatorRecord, type AuthenticatorRecord, type Judged} from './records.js';
import {matchingStep, stepAt} from './totp.js';

/** The handler's context with the authenticator on. */
export type AuthenticatorContext = HandlerContext & {
  authenticator: {issuer: string} & AuthenticatorCrypto;
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
 * The user's authenticator with its secret opened, or the 404 `not-enrolled`
 * that says there is none. A record whose secret does not open (copied from
 * another user's key, altered, or sealed under another server secret) is no
 * authenticator of this user's, and is logged: nobody's app can sign in with it.
 */
export async function enrolledAuthenticator(
  ctx: AuthenticatorContext,
  user: string,
): Promise<{record: AuthenticatorRecord; key: Uint8Array} | OtpAnswer> {
  const value = await ctx.peek<unknown>(authenticatorKey(user));
  if (!isAuthenticatorRecord(value)) return notEnrolled();
  const key = ctx.authenticator.openSecret(user, value.sealed);
  if (!key) {
    ctx.logger.error(
      `otp-step: the authenticator of ${logSafe(user)} does not open (moved from another user, altered, or sealed under another secret): it cannot sign in`,
    );
    return notEnrolled();
  }
  return {record: value, key};
}

/** The step a typed code is the app's code of, now (±1 step of drift), or undefined. */
export const stepOfCode = (ctx: HandlerContext, key: Uint8Array, typed: string) =>
  matchingStep(key, cleanCode(typed, 'numeric'), stepAt(ctx.now()));

/** The answer that turns down a code: wrong, used already, or of a record that changed meanwhile. */
export function refusalOf(
  judged: Exclude<Judged<unknown>, {outcome: 'accepted'}>,
  attemptsLeft: number,
  gone: () => OtpAnswer,
): OtpAnswer {
  if (judged.outcome === 'invalid')
    return problem(422, 'invalid-code', 'That code is not right.', {attemptsLeft});
  if (judged.outcome === 'used')
    return problem(
      409,
      'used',
      'This code has already been used: wait for the next code the app shows.',
    );
  return gone();
}
