/**
 * The signed-in user's own authenticator, with a current code from it:
 * `DELETE …/authenticator` removes it, `POST …/authenticator/recovery-codes`
 * replaces the recovery codes with a new set. A code accepted here is spent
 * as a sign-in's is (its step becomes the last accepted).
 */
import type {RecoveryCodesResponseBody} from '../../src/sources/protocol.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import {authenticatorKey} from '../keys.js';
import {logSafe} from '../log-safe.js';
import {json} from '../problem.js';
import {judgeWithinBudget} from './budget.js';
import {checkedCodeBody} from './bodies.js';
import type {HandlerContext} from '../handler-context.js';
import {checkedAppUser} from '../revoke-user.js';
import {isAuthenticatorRecord, spendCode, type AuthenticatorRecord} from './records.js';
import {newRecoveryCodes} from './recovery-codes.js';
import {
  checkedBody,
  codeStepOf,
  notEnrolled,
  refusalOf,
  refuseNotEnrolled,
  sessionUser,
  unopened,
  type AuthenticatorContext,
} from './stages.js';

/**
 * Judges the session user's current code and, when it is accepted, makes
 * `then` of their record in the same change (undefined removes it).
 */
async function withCurrentCode(
  ctx: AuthenticatorContext,
  request: OtpRequest,
  then: (record: AuthenticatorRecord, user: string) => AuthenticatorRecord | undefined,
): Promise<{user: string} | OtpAnswer> {
  const body = await checkedBody(ctx, request, checkedCodeBody);
  if (body instanceof OtpAnswer) return body;
  const user = await sessionUser(ctx, request);
  if (user instanceof OtpAnswer) return user;
  const none = await refuseNotEnrolled(ctx, user);
  if (none) return none;
  const stepOf = codeStepOf(ctx, user, body.code);
  const budgeted = await judgeWithinBudget(ctx, ctx.normalize(user), () =>
    ctx.store.update(authenticatorKey(user), (v) =>
      spendCode(v, stepOf, (record) => then(record, user)),
    ),
  );
  if (budgeted instanceof OtpAnswer) return budgeted;
  const {judged} = budgeted;
  if (judged.outcome === 'unopened') return unopened(ctx, user);
  if (judged.outcome !== 'accepted')
    return refusalOf(judged, budgeted.attemptsLeft, notEnrolled);
  return {user};
}

/** `DELETE …/authenticator` {code}: the user signs in with sent codes (or enrols again) from now on. */
export async function removeAuthenticator(
  ctx: AuthenticatorContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  const done = await withCurrentCode(ctx, request, () => undefined);
  if (done instanceof OtpAnswer) return done;
  tellRemoved(ctx, done.user, ctx.clientAddress(request));
  return json(200, {status: 'removed'});
}

function tellRemoved(ctx: HandlerContext, user: string, address?: string): void {
  ctx.logger.warn(`otp-step: authenticator removed for ${logSafe(user)}`);
  if (ctx.events.watched)
    ctx.events.emit({
      type: 'authenticator_removed',
      at: ctx.now(),
      requestId: '',
      user,
      account: ctx.normalize(user),
      address,
    });
}

/** `handler.removeAuthenticator(user)`: the app's own removal, with no code (otp-handler.ts). */
export async function removeByApp(ctx: HandlerContext, user: unknown): Promise<boolean> {
  checkedAppUser(user, 'removeAuthenticator');
  if (!ctx.authenticator)
    throw new TypeError(
      'otp-step: removeAuthenticator needs the authenticator option: this handler has no authenticator factor',
    );
  const removed = await ctx.store.update(authenticatorKey(user), (v) =>
    isAuthenticatorRecord(v) ? [undefined, true] : [v, false],
  );
  if (removed) tellRemoved(ctx, user);
  return removed;
}

/** `POST …/authenticator/recovery-codes` {code}: a new set, shown this once; the old set no longer works. */
export async function replaceRecoveryCodes(
  ctx: AuthenticatorContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  // Drawn before the change, which a store may run again (Redis, on a race): it must be pure.
  const codes = newRecoveryCodes();
  const done = await withCurrentCode(ctx, request, (record, user) => ({
    ...record,
    recoveryCodes: codes.map((code) => ctx.authenticator.recoveryDigest(user, code)),
    usedRecoveryCodes: [],
  }));
  if (done instanceof OtpAnswer) return done;
  ctx.logger.info(`otp-step: recovery codes replaced for ${logSafe(done.user)}`);
  const answer: RecoveryCodesResponseBody = {status: 'replaced', recoveryCodes: codes};
  return json(200, answer);
}
