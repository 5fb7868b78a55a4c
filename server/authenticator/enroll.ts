/**
 * Enrolment: `POST …/authenticator/enrollments` makes a secret and shows it
 * (URI, Base32, QR code); `POST …/authenticator/enrollments/{id}/confirm`
 * with the app's first code makes it the user's authenticator, replacing any
 * earlier one only then, and answers the recovery codes, shown this once.
 * Both for the signed-in user alone; a user who has an authenticator starts
 * only with a proof of it (a current code or a recovery code), so a session
 * earned with the password alone cannot swap in its own phone.
 */
import {randomBytes, randomUUID} from 'node:crypto';
import {encodeBase32UpperCaseNoPadding} from '@oslojs/encoding';
import type {
  EnrollmentResponseBody,
  RecoveryCodesResponseBody,
} from '../../src/sources/protocol.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import {authenticatorKey, enrollmentKey, enrollmentsByAccountKey} from '../keys.js';
import {takeFromWindow} from '../throttle.js';
import {logSafe} from '../log-safe.js';
import {json, problem, rateLimited} from '../problem.js';
import {judgeWithinBudget} from './budget.js';
import {checkedCodeBody, checkedEnrollBody} from './bodies.js';
import {otpauthUri, qrSvg} from './enrollment-uri.js';
import {spendProof, type Proof} from './proof.js';
import {
  ENROLLMENT_LIFETIME_MS,
  isAuthenticatorRecord,
  isPendingEnrollment,
  recordIdOf,
  takeEnrollment,
  type AuthenticatorRecord,
  type Judged,
  type PendingEnrollment,
} from './records.js';
import {newRecoveryCodes} from './recovery-codes.js';
import {
  checkedBody,
  notEnrolled,
  refusalOf,
  sessionUser,
  stepOfCode,
  unopened,
  type AuthenticatorContext,
} from './stages.js';

/** RFC 4226 §4 asks for 128 bits at least and recommends 160: the length of HMAC-SHA1's key. */
const SECRET_BYTES = 20;

/** Longest user an enrolment takes: the label of a URI, a QR code's content. */
const MAX_USER_LENGTH = 256;

/**
 * `POST …/authenticator/enrollments`: a fresh secret from the CSPRNG, kept
 * sealed in a pending enrolment for 10 minutes (a new one replaces it, so a
 * user holds one at most), and shown: the only time it leaves the server.
 * At most `issuesPerWindow` per account per `windowSeconds`.
 */
export async function startEnrollment(
  ctx: AuthenticatorContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  const body = await checkedBody(ctx, request, checkedEnrollBody);
  if (body instanceof OtpAnswer) return body;
  const user = await sessionUser(ctx, request);
  if (user instanceof OtpAnswer) return user;
  const account = ctx.normalize(user);
  if (!account || user.length > MAX_USER_LENGTH || account.length > MAX_USER_LENGTH)
    return problem(
      400,
      'invalid-request',
      `The signed-in user's name must be at most ${MAX_USER_LENGTH} characters (before and after normalising) to enrol an app.`,
    );
  // Each enrolment costs a QR code's drawing (~4 ms of CPU) and a key: held
  // to the account's window of codes issued (issuesPerWindow per windowSeconds),
  // on its own key, as a person enrolling a phone needs one or two.
  // Read from the store, not from what this process saw (store.recall): this
  // decides whether a proof is asked for. Confirming holds the enrolment to
  // the record read here (`replaces`), so one changed meanwhile is not overwritten.
  const current = await ctx.peek<unknown>(authenticatorKey(user));
  const proofNeeded = opensFor(ctx, user, current);
  if (proofNeeded && !body.proof) return currentAuthenticatorRequired();
  const at = ctx.now();
  const taken = await ctx.store.update(enrollmentsByAccountKey(account), (v) =>
    takeFromWindow(v, ctx.limits.issuesPerWindow, ctx.windowMs, at),
  );
  if (taken.retryAfter)
    return rateLimited(taken.retryAfter, 'of enrolments for this user');
  // NIST SP 800-63B-4 §4.1.2.1: a replacement is bound only after
  // authenticating with the current authenticator. Judged and spent as at
  // sign-in, on the account's one budget of wrong codes.
  if (proofNeeded && body.proof) {
    const proved = await proveCurrent(ctx, request, user, body.proof);
    if (proved instanceof OtpAnswer) return proved;
  }
  const secret = randomBytes(SECRET_BYTES);
  const pending: PendingEnrollment = {
    enrollmentId: randomUUID(),
    user,
    sealed: ctx.authenticator.sealSecret(user, secret),
    expiresAt: at + ENROLLMENT_LIFETIME_MS,
  };
  const replaces = recordIdOf(current);
  if (replaces !== undefined) pending.replaces = replaces;
  await ctx.store.update(enrollmentKey(user), () => [
    pending,
    undefined,
    ENROLLMENT_LIFETIME_MS,
  ]);
  const shown = encodeBase32UpperCaseNoPadding(secret);
  const uri = otpauthUri(ctx.authenticator.issuer, await labelOf(ctx, user), shown);
  ctx.logger.info(`otp-step: authenticator enrolment started for ${logSafe(user)}`);
  const answer: EnrollmentResponseBody = {
    enrollmentId: pending.enrollmentId,
    uri,
    secret: shown,
    qrSvg: qrSvg(uri),
    expiresAt: new Date(pending.expiresAt).toISOString(),
    expiresIn: ENROLLMENT_LIFETIME_MS / 1000,
  };
  return json(201, answer);
}

const currentAuthenticatorRequired = (changed = false) =>
  problem(
    403,
    'current-authenticator-required',
    changed
      ? 'The user\'s authenticator changed after this enrolment started: start a new one (POST …/authenticator/enrollments) with {"code"} from the current app or {"recoveryCode"}.'
      : 'This user already has an authenticator app: send {"code": "…"} with a current code from it, or {"recoveryCode": "…"} with one of their recovery codes, to enrol a new one. Someone who lost both is reset by the app (handler.removeAuthenticator).',
  );

/**
 * Whether `value` is an authenticator of `user`'s that can sign in: one whose
 * secret does not open (moved from another user's key, altered, sealed under
 * another secret) is none, as sign-in answers for it, so it asks for no proof
 * nobody could give.
 */
const opensFor = (ctx: AuthenticatorContext, user: string, value: unknown) =>
  isAuthenticatorRecord(value) &&
  ctx.authenticator.openSecret(user, value.sealed) !== undefined;

/**
 * The proof of the current authenticator, judged within the account's budget
 * and spent (proof.ts) — or the answer that refuses it, as sign-in's would. A
 * recovery code spent here is told (`recovery_used`): its owner is warned as at sign-in.
 */
async function proveCurrent(
  ctx: AuthenticatorContext,
  request: OtpRequest,
  user: string,
  proof: Proof,
): Promise<OtpAnswer | undefined> {
  const account = ctx.normalize(user);
  const budgeted = await judgeWithinBudget(ctx, account, spendProof(ctx, user, proof));
  if (budgeted instanceof OtpAnswer) return budgeted;
  const {judged} = budgeted;
  if (judged.outcome === 'unopened') return unopened(ctx, user);
  // Removed meanwhile: nothing left to prove; confirming holds to the record read before.
  if (judged.outcome === 'gone') return undefined;
  const method = proof.code === undefined ? 'recovery-code' : 'authenticator';
  if (judged.outcome !== 'accepted')
    return refusalOf(judged, budgeted.attemptsLeft, notEnrolled, method);
  if (method === 'recovery-code') {
    ctx.logger.warn(
      `otp-step: recovery code used to enrol a new authenticator for ${logSafe(user)}: ${judged.value} left`,
    );
    if (ctx.events.watched)
      ctx.events.emit({
        type: 'recovery_used',
        at: ctx.now(),
        requestId: '',
        user,
        account,
        method,
        recoveryCodesLeft: judged.value,
        address: ctx.clientAddress(request),
      });
  }
  return undefined;
}

/** The name the phone shows for the account: `accountLabel`'s, or the user where it gives none fit to show. */
async function labelOf(ctx: AuthenticatorContext, user: string): Promise<string> {
  const {accountLabel} = ctx.authenticator;
  if (!accountLabel) return user;
  try {
    const label = await accountLabel(user);
    if (typeof label === 'string' && label !== '' && label.length <= MAX_USER_LENGTH)
      return label;
    ctx.logger.error(
      `otp-step: authenticator.accountLabel gave no name of 1 to ${MAX_USER_LENGTH} characters for ${logSafe(user)}: the user is shown`,
    );
  } catch (error) {
    ctx.logger.error(
      `otp-step: authenticator.accountLabel failed for ${logSafe(user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
    );
  }
  return user;
}

const unknownEnrollment = () =>
  problem(
    404,
    'unknown-enrollment',
    'There is no pending enrolment with this id for the signed-in user: start a new one (POST …/authenticator/enrollments).',
  );

/**
 * `POST …/authenticator/enrollments/{id}/confirm` {code}: the app's first
 * code makes the enrolment the user's authenticator. The enrolment is taken
 * from the store once (single use), in the change that accepts it; the
 * recovery codes are made only now, so none is ever kept in the clear, and the
 * step of that first code is the last accepted, so the same code cannot sign in.
 */
export async function confirmEnrollment(
  ctx: AuthenticatorContext,
  request: OtpRequest,
  enrollmentId: string | undefined,
): Promise<OtpAnswer> {
  const body = await checkedBody(ctx, request, checkedCodeBody);
  if (body instanceof OtpAnswer) return body;
  const user = await sessionUser(ctx, request);
  if (user instanceof OtpAnswer) return user;
  if (enrollmentId === undefined) return unknownEnrollment();
  const at = ctx.now();
  // Under the signed-in user's own key: another user's enrolment id is not
  // found there. What this process saw of it will do (store.recall): an
  // enrolment's facts never change under its id, and taking it below is
  // decided on the store's own value.
  const pendingKey = enrollmentKey(user);
  const pending = ctx.store.recall?.(pendingKey) ?? (await ctx.peek<unknown>(pendingKey));
  if (
    !isPendingEnrollment(pending) ||
    pending.enrollmentId !== enrollmentId ||
    pending.user !== user ||
    pending.expiresAt <= at
  )
    return unknownEnrollment();
  const key = ctx.authenticator.openSecret(user, pending.sealed);
  if (!key) return unknownEnrollment();
  const account = ctx.normalize(user);
  const codes = newRecoveryCodes();
  const budgeted = await judgeWithinBudget(
    ctx,
    account,
    async (): Promise<Judged<number>> => {
      const step = stepOfCode(ctx, key, body.code);
      if (step === undefined) return {outcome: 'invalid'};
      const taken = await ctx.store.update(pendingKey, (v) =>
        takeEnrollment(v, enrollmentId),
      );
      if (!taken) return {outcome: 'gone'};
      return {outcome: 'accepted', value: step};
    },
    'not-judged',
  );
  if (budgeted instanceof OtpAnswer) return budgeted;
  const {judged} = budgeted;
  if (judged.outcome === 'unopened') return unknownEnrollment();
  if (judged.outcome !== 'accepted')
    return refusalOf(judged, budgeted.attemptsLeft, unknownEnrollment);
  const record: AuthenticatorRecord = {
    id: enrollmentId,
    sealed: pending.sealed,
    lastStep: judged.value,
    recoveryCodes: codes.map((code) => ctx.authenticator.recoveryDigest(user, code)),
    usedRecoveryCodes: [],
    enrolledAt: ctx.now(),
  };
  // Replaces the user's earlier authenticator, if any, only now that the new
  // one has proved itself, and only the one the start was proved against:
  // one enrolled or replaced meanwhile was not, and stays.
  const installed = await ctx.store.update(authenticatorKey(user), (v) =>
    recordIdOf(v) === pending.replaces ? [record, true] : [v, false],
  );
  if (!installed) return currentAuthenticatorRequired(true);
  ctx.logger.info(`otp-step: authenticator enrolled for ${logSafe(user)}`);
  if (ctx.events.watched)
    ctx.events.emit({
      type: 'enrolled',
      at: record.enrolledAt,
      requestId: enrollmentId,
      user,
      account,
      address: ctx.clientAddress(request),
    });
  const answer: RecoveryCodesResponseBody = {status: 'enrolled', recoveryCodes: codes};
  return json(200, answer);
}
