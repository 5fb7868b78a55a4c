/**
 * The JSON over HTTP protocol between `<otp-step endpoint="…">` and a server,
 * as types both sides share. docs/protocol.md explains it, docs/openapi.json
 * describes it for tools. Times are sent as seconds from now (free of clock
 * skew between browser and server) and as ISO 8601 instants (for people and logs).
 */
import type {ConfigErrorCode} from '../step/step-config.js';

/** `POST {endpoint}/codes`, with an `Idempotency-Key` header. */
export interface IssueRequestBody {
  /** The platform's "user name": name or ID of the user. */
  user: string;
  /** The platform's "client for request". */
  client: string;
  /** The platform's "code lifetime", in seconds; the server may refuse a longer one. */
  lifetime: number;
  stepName: string;
  sourceStep: string;
  length: number;
  alphabet: 'numeric' | 'alphanumeric';
  /**
   * Where to send the code. Without it the server takes the first channel the
   * user has a destination for, in the order it was configured.
   */
  channel?: DeliveryChannel;
  /**
   * The page's bot-check token (`humanCheck`), sent only on the retry of an
   * issue the server answered 428 `human-check-required`.
   */
  humanToken?: string;
}

/** The kinds of destination a server can send a code to. */
export type DeliveryChannel = 'email' | 'sms';

/** How far sending the code has got: it goes out behind the issue answer. */
export type DeliveryState = 'queued' | 'sent' | 'failed';

/** 201 Created. */
export interface IssueResponseBody {
  requestId: string;
  /** When the server issued the code: orders two answers that arrive out of order. */
  issuedAt: string;
  expiresAt: string;
  expiresIn: number;
  resendAt: string;
  resendIn: number;
  attemptsLeft: number;
  resendsLeft: number;
  /** The channel the code is sent on, when the server sends it. */
  channel?: DeliveryChannel;
  /** The destination, masked: `m•••@example.com`, `+55 ••• •••• 1234`. */
  destinationHint?: string;
  /** Every channel this user can be sent to, in the server's order. */
  channels?: DeliveryChannel[];
  /** Where sending stands; `queued` in the issue answer when the server sends. */
  delivery?: DeliveryState;
  /** Only from a server in test mode: the code, for the ForTestCode. */
  code?: string;
}

/** `GET {endpoint}/codes/{requestId}`: the challenge's status, never the code. */
export interface StatusResponseBody {
  requestId: string;
  status: 'pending' | 'confirmed' | 'expired' | 'locked' | 'canceled';
  expiresAt: string;
  expiresIn: number;
  attemptsLeft: number;
  resendIn: number;
  resendsLeft: number;
  channel?: DeliveryChannel;
  destinationHint?: string;
  delivery?: DeliveryState;
}

/**
 * `POST {endpoint}/codes/{requestId}/cancel` takes no body and answers 200
 * with a `StatusResponseBody` whose status is `canceled`.
 */

/** `POST {endpoint}/codes/{requestId}/confirm`. */
export interface ConfirmRequestBody {
  code: string;
}

/** 200 OK: the code is confirmed, and used up. */
export interface ConfirmResponseBody {
  status: 'confirmed';
  requestId: string;
  /**
   * Proof of the confirmation for the app's own server: a short-lived token
   * signed with the server's secret, which `verifyConfirmation` accepts once.
   */
  confirmation: string;
}

/**
 * The authenticator factor (an app such as Google Authenticator, RFC 6238),
 * on a server given `authenticator: {issuer}`; its routes answer 404
 * `not-found` on one without. Enrolment, removal and new recovery codes are
 * for the signed-in user only (`authenticate`).
 *
 * `POST {endpoint}/authenticator/enrollments` takes an `EnrollmentRequestBody`
 * and answers 201 with this: an enrolment waiting for its first code. Nothing
 * changes for the user until it is confirmed.
 */
export interface EnrollmentResponseBody {
  enrollmentId: string;
  /** `otpauth://totp/{issuer}:{user}?secret=…&issuer=…`: what the QR code holds. */
  uri: string;
  /** The 160-bit secret in Base32 (RFC 4648, no padding), for typing into an app. */
  secret: string;
  /** The QR code of `uri` as SVG markup (attributes only, no script or style). */
  qrSvg: string;
  /** Until when the enrolment can be confirmed. */
  expiresAt: string;
  expiresIn: number;
}

/**
 * `POST {endpoint}/authenticator/enrollments`: `{}` for a user with no
 * authenticator; a user who has one proves it first (NIST SP 800-63B-4
 * §4.1.2.1: a replacement is bound only after authenticating with the current
 * authenticator), with one of `code` (a current code of that app) or
 * `recoveryCode` (one of their recovery codes, spent by it). Without either,
 * 403 `current-authenticator-required`. Someone who lost both has the app's
 * support desk remove the old one (`handler.removeAuthenticator(user)`).
 */
export interface EnrollmentRequestBody {
  code?: string;
  recoveryCode?: string;
}

/**
 * `POST {endpoint}/authenticator/enrollments/{enrollmentId}/confirm`, and the
 * body of `DELETE {endpoint}/authenticator` and `POST
 * {endpoint}/authenticator/recovery-codes`: a current code from the app.
 */
export interface AuthenticatorCodeBody {
  code: string;
}

/**
 * 200 from confirming an enrolment (status `enrolled`) and from `POST
 * {endpoint}/authenticator/recovery-codes` (status `replaced`): the recovery
 * codes, `XXXXX-XXXXX` in Crockford Base32, shown this once; any earlier set
 * no longer works.
 */
export interface RecoveryCodesResponseBody {
  status: 'enrolled' | 'replaced';
  recoveryCodes: string[];
}

/** `POST {endpoint}/authenticator/confirm`: sign-in with the app's code, or with a recovery code in its place. */
export interface AuthenticatorConfirmRequestBody {
  user: string;
  client?: string;
  stepName?: string;
  code?: string;
  recoveryCode?: string;
}

/** How a confirmation was earned: a sent code, the authenticator app's code, or a recovery code. */
export type ConfirmationMethod = 'code' | 'authenticator' | 'recovery-code';

/** 200 from `POST {endpoint}/authenticator/confirm`: a confirmation as a sent code's, with a fresh request id. */
export interface AuthenticatorConfirmResponseBody extends ConfirmResponseBody {
  method: 'authenticator' | 'recovery-code';
  /** With a recovery code: how many of the set are left. */
  recoveryCodesLeft?: number;
}

/** Stable codes of the problems a server answers with (RFC 9457 `code` member). */
export type ProblemCode =
  | ConfigErrorCode
  | 'invalid-code'
  | 'expired'
  | 'locked'
  | 'used'
  | 'canceled'
  | 'unknown-request'
  | 'unknown-user'
  | 'not-enrolled'
  | 'unknown-enrollment'
  | 'current-authenticator-required'
  | 'rate-limited'
  | 'client-address-unknown'
  | 'resend-cooldown'
  | 'resend-limit'
  | 'request-in-progress'
  | 'idempotency-key-reused'
  | 'unauthenticated'
  | 'forbidden'
  | 'busy'
  | 'store-unavailable'
  | 'notification-failed'
  | 'channel-unavailable'
  | 'human-check-required'
  | 'client-address-unknown'
  | 'request-timeout'
  | 'invalid-request'
  | 'malformed-json'
  | 'unsupported-media-type'
  | 'body-too-large'
  | 'not-found'
  | 'method-not-allowed'
  | 'internal-error';

/** An `application/problem+json` body (RFC 9457) with our extension members. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
  /** With `invalid-code` and `locked`. */
  attemptsLeft?: number;
  /** With 429 and 503, as in the `Retry-After` header. */
  retryAfter?: number;
}

export const PROBLEM_TYPE_PREFIX = 'urn:otp-step:problem:';
