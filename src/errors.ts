import type {ChannelErrorCode, ConfigErrorCode} from './step/step-config.js';

/**
 * Every stable code an `otp-error` event can carry. Pages may switch on these;
 * the wording of messages may change, the codes do not.
 */
export type OtpErrorCode =
  | DeveloperErrorCode
  /** The typed code is not `length` characters of the alphabet once cleaned. No attempt is used. */
  | 'malformed-code'
  /** `confirmCode()` with no code requested, or the challenge is gone. */
  | 'no-pending-code'
  /** Too many wrong codes: no new code until the locked one expires. */
  | 'locked'
  /** A new code was asked for before the resend cooldown ended. */
  | 'resend-cooldown'
  /** All resends for this challenge are used. */
  | 'resend-limit'
  /** IndexedDB is unavailable: the challenge is kept in memory and lost on reload. */
  | 'storage-unavailable'
  /** Web Crypto is missing: the page is not a secure context (https or localhost). */
  | 'crypto-unavailable'
  /** The test code could not be written to the clipboard. */
  | 'copy-failed'
  /** Backend: the server could not be reached (offline, DNS, refused, CORS). */
  | 'network-error'
  /** Backend: no answer within `timeout` seconds. */
  | 'timeout'
  /** Backend: a 5xx answer. */
  | 'server-error'
  /** Backend: an answer that is not JSON, or not of the documented shape. */
  | 'bad-response'
  /** Backend: 429; `retryAfterSeconds` says when to try again. */
  | 'rate-limited'
  /** Backend: a 4xx answer not listed here. */
  | 'request-failed'
  /** Backend: the server has no such user. */
  | 'unknown-user'
  /** Backend: the server no longer knows the pending request. */
  | 'unknown-request'
  /** Backend: 401, the request carried no valid session or credentials (sign in again). */
  | 'unauthenticated'
  /** Backend: 403, the signed-in session may not ask for codes for this user. */
  | 'forbidden'
  /**
   * Backend: 428, the server asks for a bot check (`humanCheck`) and there is
   * none, it gave no token, or the server refused the token it gave.
   */
  | 'human-check-required'
  /** Backend, `method="authenticator"`: the user has no authenticator app set up (enrol one with `enroll`). */
  | 'not-enrolled'
  /** Backend, `enroll`: the enrolment expired or was replaced before its first code; start again. */
  | 'unknown-enrollment'
  /** The code source failed in a way not listed above. */
  | 'source-failed';

/**
 * Mistakes in how the page set the element up. The person sees only a short
 * generic line; the developer's detail goes to the console and to `otp-error`.
 */
export type DeveloperErrorCode =
  | ConfigErrorCode
  /** `channel` is neither `email` nor `sms` (nor empty, for the server to choose). */
  | ChannelErrorCode
  /**
   * No code source: neither `endpoint` (production), `source`, nor `demo` (codes
   * made and checked in this browser, for demos and tests) is set. No code is issued.
   */
  | 'no-source'
  /** `method` is neither `code` nor `authenticator`. */
  | 'invalid-method'
  /** `method="authenticator"` without `endpoint`: the app's codes are checked by a server only. */
  | 'endpoint-required';

/** Failures worth trying again as they were: the element offers a Retry button for them. */
export const RETRYABLE: ReadonlySet<OtpErrorCode> = new Set<OtpErrorCode>([
  'network-error',
  'timeout',
  'server-error',
  'bad-response',
  'rate-limited',
  'resend-cooldown',
  'request-failed',
  'source-failed',
]);

/**
 * An error a code source or the element reports with a stable code. A page's
 * own `source` throws it to say why it refused (`rate-limited`, `unknown-user`…);
 * any other error becomes `source-failed`.
 */
export class OtpStepError extends Error {
  constructor(
    readonly code: OtpErrorCode,
    message: string = code,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'OtpStepError';
  }
}

/**
 * Whether `error` is an `OtpStepError`, from this copy of the step or another:
 * a page that loads the bundle under a query string, or twice, has two classes
 * of that name, and its source may throw either.
 */
export const isOtpStepError = (error: unknown): error is OtpStepError =>
  error instanceof Error &&
  error.name === 'OtpStepError' &&
  typeof (error as OtpStepError).code === 'string';
