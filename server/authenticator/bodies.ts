/**
 * The authenticator's request bodies, checked: each either the fields it
 * carries or the sentence that says what to change (answered 400
 * `invalid-request`). Lengths are bounded before anything is computed from
 * them, so a huge string costs a comparison, not a normalisation.
 */
import type {AuthenticatorConfirmRequestBody} from '../../src/sources/protocol.js';
import type {Proof} from './proof.js';

/** Longest user, client or step name (issue/request.ts keeps the same bound). */
const MAX_NAME_LENGTH = 256;
/** Longest code or recovery code as typed, separators included. */
const MAX_CODE_LENGTH = 64;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const EITHER_SENTENCE =
  'Send either "code" (the app\'s current code) or "recoveryCode" (one of the recovery codes), not both.';
const CODE_SENTENCE = `The body must be {"code": "…"} with the app's current code as a string of at most ${MAX_CODE_LENGTH} characters.`;

/**
 * `POST …/authenticator/enrollments`: `{}`, or the proof of the current
 * authenticator a user who has one must give (`{code}` or `{recoveryCode}`).
 */
export function checkedEnrollBody(value: unknown): {proof?: Proof} | string {
  if (!isObject(value))
    return 'The body must be a JSON object: send {}, or {"code": "…"} with a code of the current app.';
  const proof = checkedProof(value);
  if (typeof proof === 'string') return proof;
  return proof ? {proof} : {};
}

/** One of `code` or `recoveryCode`, not both; undefined for neither. */
function checkedProof(value: Record<string, unknown>): Proof | undefined | string {
  const code = Object.hasOwn(value, 'code') ? value.code : undefined;
  const recoveryCode = Object.hasOwn(value, 'recoveryCode')
    ? value.recoveryCode
    : undefined;
  if (code === undefined && recoveryCode === undefined) return undefined;
  if (code !== undefined && recoveryCode !== undefined) return EITHER_SENTENCE;
  const given = code ?? recoveryCode;
  if (typeof given !== 'string' || given.length > MAX_CODE_LENGTH)
    return `Send "${code === undefined ? 'recoveryCode' : 'code'}" as a string of at most ${MAX_CODE_LENGTH} characters.`;
  return code === undefined ? {recoveryCode: given} : {code: given};
}

/** `{code}`: confirming an enrolment, removing the app, new recovery codes. */
export function checkedCodeBody(value: unknown): {code: string} | string {
  if (!isObject(value)) return CODE_SENTENCE;
  const {code} = value;
  if (typeof code !== 'string' || code.length > MAX_CODE_LENGTH) return CODE_SENTENCE;
  return {code};
}

export type SignInBody = Required<Pick<AuthenticatorConfirmRequestBody, 'user'>> & {
  client: string;
  stepName: string;
} & Proof;

/** `POST …/authenticator/confirm`: the user, the labels, and one of `code` or `recoveryCode`. */
export function checkedSignInBody(value: unknown): SignInBody | string {
  if (!isObject(value)) return 'The body must be a JSON object.';
  const name = (field: string, fallback?: string) => {
    const v = Object.hasOwn(value, field) ? value[field] : fallback;
    return typeof v === 'string' && v.length <= MAX_NAME_LENGTH ? v : undefined;
  };
  const user = name('user');
  if (!user)
    return `Send "user" as a non-empty string of at most ${MAX_NAME_LENGTH} characters.`;
  const client = name('client', '');
  const stepName = name('stepName', '');
  if (client === undefined || stepName === undefined)
    return `Send "client" and "stepName" as strings of at most ${MAX_NAME_LENGTH} characters, or leave them out.`;
  const proof = checkedProof(value);
  if (proof === undefined) return EITHER_SENTENCE;
  if (typeof proof === 'string') return proof;
  return {user, client, stepName, ...proof};
}
