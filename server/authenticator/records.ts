/**
 * What the store keeps of a user's authenticator, and the changes made to it,
 * as pure functions of the stored value to run inside the store's atomic
 * `update`: the check that a step is later than the last one accepted and the
 * write of that step are one change, so of parallel requests with one code
 * exactly one is accepted. Nothing here is secret in the clear: the app's
 * secret is sealed (AES-256-GCM, the user as associated data) and recovery
 * codes are kept as HMACs.
 */

/** An enrolled authenticator (keys.ts authenticatorKey). */
export interface AuthenticatorRecord {
  /** The enrolment it came from. */
  id: string;
  /** The app's secret, sealed with the user as owner (crypto.ts). */
  sealed: string;
  /** The latest time step whose code was accepted: no code of it or before is taken again. */
  lastStep: number;
  /** The HMACs of the recovery codes not yet used (recovery-codes.ts recoveryDigest). */
  recoveryCodes: string[];
  /** The HMACs of those used, so a second use hears "used" rather than "wrong". */
  usedRecoveryCodes: string[];
  /** Epoch ms. */
  enrolledAt: number;
}

/** An enrolment waiting for its first code (keys.ts enrollmentKey). */
export interface PendingEnrollment {
  enrollmentId: string;
  /** The signed-in user who asked, exactly as `authenticate` named them. */
  user: string;
  /** As in AuthenticatorRecord: moved there unopened once confirmed. */
  sealed: string;
  /**
   * The id of the authenticator this enrolment was started over (proved with
   * a current code or recovery code), or undefined where the user had none:
   * confirmed, it replaces that one only, so a record enrolled or replaced
   * meanwhile is never overwritten by an enrolment that did not prove it.
   */
  replaces?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The id of the stored authenticator, or undefined where there is none. */
export const recordIdOf = (value: unknown): string | undefined =>
  isAuthenticatorRecord(value) ? value.id : undefined;

/** How long an enrolment waits for its first code. */
export const ENROLLMENT_LIFETIME_MS = 10 * 60 * 1000;

/** A store `change` answer: the new value, the result, and how long to keep the value. */
type Change<T> = [value: unknown, result: T, ttlMs?: number];

/** What became of a code or recovery code judged against the stored record. */
export type Judged<T = undefined> =
  | {outcome: 'accepted'; value: T}
  /** Not the record's: a wrong code or recovery code. */
  | {outcome: 'invalid'}
  /** The record's, but used already (a step not later than the last accepted; a recovery code spent). */
  | {outcome: 'used'}
  /** No record (removed meanwhile), or an enrolment taken already: nothing judged. */
  | {outcome: 'gone'}
  /** A record whose secret does not open for this user (moved from another's key, altered): nothing judged. */
  | {outcome: 'unopened'};

export const isAuthenticatorRecord = (value: unknown): value is AuthenticatorRecord =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AuthenticatorRecord).id === 'string' &&
  typeof (value as AuthenticatorRecord).sealed === 'string' &&
  typeof (value as AuthenticatorRecord).lastStep === 'number' &&
  Array.isArray((value as AuthenticatorRecord).recoveryCodes);

export const isPendingEnrollment = (value: unknown): value is PendingEnrollment =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PendingEnrollment).enrollmentId === 'string' &&
  typeof (value as PendingEnrollment).sealed === 'string';

/**
 * Judges a code against the record as the store holds it now, and accepts
 * it if its step is later than the last one accepted, writing `then` of the
 * record with that step as its last: the check and the write in one change.
 * `stepOf` opens the record's secret and finds the code's step (undefined: a
 * wrong code; null: a secret that does not open for this user). Judged on the
 * stored record, not on one read before, so a record replaced meanwhile is
 * judged as it now is. `then` returning undefined deletes the record (a removal).
 */
export function spendCode(
  value: unknown,
  stepOf: (record: AuthenticatorRecord) => number | undefined | null,
  then: (record: AuthenticatorRecord) => AuthenticatorRecord | undefined = (r) => r,
): Change<Judged> {
  if (!isAuthenticatorRecord(value)) return [value, {outcome: 'gone'}];
  const step = stepOf(value);
  if (step === null) return [value, {outcome: 'unopened'}];
  if (step === undefined) return [value, {outcome: 'invalid'}];
  if (step <= value.lastStep) return [value, {outcome: 'used'}];
  return [then({...value, lastStep: step}), {outcome: 'accepted', value: undefined}];
}

/**
 * Spends the recovery code whose HMAC is `digest` on the record as stored:
 * removed from the set in the change that accepts it, so it signs in once.
 * The value is how many are left.
 */
export function spendRecoveryCode(
  value: unknown,
  digest: string,
  indexOf: (kept: readonly string[], digest: string) => number,
  /** Whether the record's secret opens for this user: one that does not is no record of theirs. */
  opens: (record: AuthenticatorRecord) => boolean,
): Change<Judged<number>> {
  if (!isAuthenticatorRecord(value)) return [value, {outcome: 'gone'}];
  if (!opens(value)) return [value, {outcome: 'unopened'}];
  const index = indexOf(value.recoveryCodes, digest);
  if (index === -1)
    return [
      value,
      {
        outcome:
          indexOf(value.usedRecoveryCodes ?? [], digest) === -1 ? 'invalid' : 'used',
      },
    ];
  const recoveryCodes = value.recoveryCodes.filter((_, i) => i !== index);
  return [
    {
      ...value,
      recoveryCodes,
      usedRecoveryCodes: [...(value.usedRecoveryCodes ?? []), digest],
    },
    {outcome: 'accepted', value: recoveryCodes.length},
  ];
}

/** Takes the pending enrolment `enrollmentId`, once: the value is the enrolment taken. */
export function takeEnrollment(
  value: unknown,
  enrollmentId: string,
): Change<PendingEnrollment | undefined> {
  if (!isPendingEnrollment(value) || value.enrollmentId !== enrollmentId)
    return [value, undefined];
  return [undefined, value];
}
