/**
 * The element's side of the authenticator's routes (docs/protocol.md, protocol.ts):
 * each answer checked before it is believed, each refusal made into a verdict
 * or an `OtpStepError`. Requests go through the HTTP source's sender, so
 * `headers`, `credentials`, `timeout` and the 503 wait work as for sent codes.
 */
import {OtpStepError} from '../errors.js';
import type {
  AuthenticatorConfirmRequestBody,
  EnrollmentRequestBody,
  ProblemBody,
} from '../sources/protocol.js';
import {refusal, type Answer, type Send} from '../sources/http-source.js';
import type {Enrollment} from './authenticator-state.js';

/** A code the server did not take: wrong (with the attempts left) or already used. */
export type Refused = {
  status: 'rejected';
  reason: 'invalid' | 'used';
  attemptsLeft?: number;
};

export type SignInVerdict =
  | {
      status: 'confirmed';
      requestId: string;
      confirmation: string;
      method: 'authenticator' | 'recovery-code';
    }
  | Refused;

/** The start of an enrolment: made, or (for a user who has an app) a proof of that app asked for, or the proof refused. */
export type StartVerdict =
  {status: 'started'; enrollment: Enrollment} | {status: 'current-required'} | Refused;

export type EnrollVerdict = {status: 'enrolled'; recoveryCodes: string[]} | Refused;

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isText = (v: unknown, max = 4096): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;
/** A recovery code as shown: Crockford's Base32 and dashes, nothing that could be markup or a bidi trick. */
const isRecoveryCode = (v: unknown): v is string =>
  typeof v === 'string' && /^[0-9A-Z]{4,16}(?:-[0-9A-Z]{4,16})*$/.test(v);

/** 422 and 409, as verdicts; anything else is a failure to judge the code, thrown. */
function refused(answer: Answer): Refused {
  const problem = answer.body as Partial<ProblemBody>;
  if (problem.code === 'invalid-code') {
    if (!isCount(problem.attemptsLeft)) throw new OtpStepError('bad-response');
    return {status: 'rejected', reason: 'invalid', attemptsLeft: problem.attemptsLeft};
  }
  if (problem.code === 'used') return {status: 'rejected', reason: 'used'};
  throw refusal(answer);
}

/**
 * `POST {endpoint}/authenticator/enrollments`: a new secret for the signed-in
 * user, not active yet. A user who has an app already sends `proof`, a code
 * of it or a recovery code; without one the server answers 403
 * `current-authenticator-required`, told here as a verdict.
 */
export async function startEnrollment(
  send: Send,
  now: number,
  signal?: AbortSignal,
  proof: EnrollmentRequestBody = {},
): Promise<StartVerdict> {
  const answer = await send('/authenticator/enrollments', proof, signal);
  if (
    answer.status === 403 &&
    (answer.body as Partial<ProblemBody>).code === 'current-authenticator-required'
  )
    return {status: 'current-required'};
  if (answer.status === 422 || answer.status === 409) return refused(answer);
  if (answer.status !== 201 && answer.status !== 200) throw refusal(answer);
  const {enrollmentId, uri, secret, expiresIn} = answer.body;
  if (
    !isText(enrollmentId, 256) ||
    !isText(uri) ||
    !uri.startsWith('otpauth://totp/') ||
    typeof secret !== 'string' ||
    !/^[A-Z2-7]{16,128}$/.test(secret) ||
    !isCount(expiresIn)
  )
    throw new OtpStepError('bad-response');
  return {
    status: 'started',
    enrollment: {id: enrollmentId, uri, secret, expiresAt: now + expiresIn * 1000},
  };
}

/** `POST …/enrollments/{id}/confirm` with the app's first code: the recovery codes, once. */
export async function confirmEnrollment(
  send: Send,
  id: string,
  code: string,
  signal?: AbortSignal,
): Promise<EnrollVerdict> {
  const answer = await send(
    `/authenticator/enrollments/${encodeURIComponent(id)}/confirm`,
    {code},
    signal,
  );
  if (answer.status !== 200) return refused(answer);
  const {recoveryCodes} = answer.body;
  if (
    !Array.isArray(recoveryCodes) ||
    !recoveryCodes.length ||
    recoveryCodes.length > 100 ||
    !recoveryCodes.every(isRecoveryCode)
  )
    throw new OtpStepError('bad-response');
  return {status: 'enrolled', recoveryCodes: recoveryCodes as string[]};
}

/** `POST {endpoint}/authenticator/confirm`: the app's code, or a recovery code, for a confirmation. */
export async function confirmSignIn(
  send: Send,
  body: AuthenticatorConfirmRequestBody,
  signal?: AbortSignal,
): Promise<SignInVerdict> {
  const answer = await send('/authenticator/confirm', body, signal);
  if (answer.status !== 200) return refused(answer);
  const {status, requestId, confirmation, method} = answer.body;
  // The token is what the app's server checks: a confirmation without one is no use.
  if (
    status !== 'confirmed' ||
    !isText(requestId, 256) ||
    !isText(confirmation) ||
    (method !== 'authenticator' && method !== 'recovery-code')
  )
    throw new OtpStepError('bad-response');
  return {status: 'confirmed', requestId, confirmation, method};
}
