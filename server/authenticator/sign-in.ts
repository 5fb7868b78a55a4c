/**
 * `POST …/authenticator/confirm`: sign-in with the app's current code, or a
 * recovery code in its place, for the user the session is (as a sent code's
 * confirmation). Answers the same signed confirmation as a sent code, under a
 * fresh request id, its claims saying how it was earned.
 */
import {randomUUID} from 'node:crypto';
import type {
  AuthenticatorConfirmResponseBody,
  ConfirmationMethod,
} from '../../src/sources/protocol.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import {logSafe} from '../log-safe.js';
import {json, problem} from '../problem.js';
import {judgeWithinBudget} from './budget.js';
import {checkedSignInBody, type SignInBody} from './bodies.js';
import {spendProof} from './proof.js';
import {
  checkedBody,
  notEnrolled,
  refusalOf,
  refuseNotEnrolled,
  unopened,
  type AuthenticatorContext,
} from './stages.js';

/** `POST …/authenticator/confirm`: the body, the session, the record, the budget, the judgement, the confirmation. */
export async function signIn(
  ctx: AuthenticatorContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  const body = await checkedBody(ctx, request, checkedSignInBody);
  if (body instanceof OtpAnswer) return body;
  const {user, client, stepName} = body;
  ctx.requestLabels.set(request, {client, stepName});
  const account = ctx.normalize(user);
  if (!account)
    return problem(400, 'invalid-request', 'Send "user" as a name that is not blank.');
  const session = await ctx.refuseSession(request, user);
  if (session) return session;
  const none = await refuseNotEnrolled(ctx, user);
  if (none) return none;
  const method: ConfirmationMethod =
    body.code === undefined ? 'recovery-code' : 'authenticator';
  const budgeted = await judgeWithinBudget(ctx, account, spendProof(ctx, user, body));
  if (budgeted instanceof OtpAnswer) return budgeted;
  const {judged, attemptsLeft} = budgeted;
  if (judged.outcome === 'unopened') return unopened(ctx, user);
  if (judged.outcome !== 'accepted') {
    // Judged, it is told as a sent code's is; the wrong code that uses up
    // the free attempts (the account must wait from now on) as locked.
    if (ctx.events.watched && judged.outcome !== 'gone')
      ctx.events.emit({
        type: judged.outcome === 'invalid' && attemptsLeft === 0 ? 'locked' : 'rejected',
        at: ctx.now(),
        requestId: '',
        user,
        account,
        client,
        stepName,
        method,
        reason: judged.outcome,
        address: ctx.clientAddress(request),
      });
    return refusalOf(judged, attemptsLeft, notEnrolled, method);
  }
  return confirmed(ctx, request, body, method, judged.value);
}

/**
 * The confirmation of a sign-in just accepted: a fresh request id armed and
 * signed, the facts told, `onConfirmed` called, as confirm.ts does for a sent
 * code. Armed after the code was accepted (not beside it, as a sent code's is):
 * a fresh id per attempt would leave a key in the store for every wrong code.
 */
async function confirmed(
  ctx: AuthenticatorContext,
  request: OtpRequest,
  {user, client, stepName}: SignInBody,
  method: 'authenticator' | 'recovery-code',
  recoveryCodesLeft: number,
): Promise<OtpAnswer> {
  const requestId = randomUUID();
  const account = ctx.normalize(user);
  await ctx.tokens.arm(requestId);
  const {token, claims} = ctx.tokens.sign({
    user,
    account,
    client,
    stepName,
    requestId,
    method,
  });
  const who = `${logSafe(user)} (${logSafe(client)}, ${logSafe(stepName)})`;
  if (method === 'recovery-code')
    ctx.logger.warn(`otp-step: recovery code used for ${who}: ${recoveryCodesLeft} left`);
  else ctx.logger.info(`otp-step: authenticator code confirmed for ${who}`);
  if (ctx.events.watched) {
    const fact = {
      at: claims.issuedAt,
      requestId,
      user,
      account,
      client,
      stepName,
      method,
      address: ctx.clientAddress(request),
    };
    ctx.events.emit({...fact, type: 'confirmed'});
    if (method === 'recovery-code')
      ctx.events.emit({...fact, type: 'recovery_used', recoveryCodesLeft});
  }
  try {
    if (ctx.options.onConfirmed) await ctx.options.onConfirmed(claims, request.web());
  } catch (error) {
    ctx.logger.error(
      `otp-step: onConfirmed failed for ${logSafe(user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
    );
  }
  const answer: AuthenticatorConfirmResponseBody = {
    status: 'confirmed',
    requestId,
    confirmation: token,
    method,
  };
  if (method === 'recovery-code') answer.recoveryCodesLeft = recoveryCodesLeft;
  return json(200, answer);
}
