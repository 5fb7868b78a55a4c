import type {RejectReason} from './challenge/challenge.js';
import type {OtpErrorCode} from './errors.js';

/** Who a code is for: the step's parameters, as every event reports them. */
export interface StepIdentity {
  /** The step's `step-name`. */
  stepName: string;
  /** The user the code is for, trimmed. */
  user: string;
  /** The client or application that started the confirmation, trimmed. */
  client: string;
}

export interface OtpRequestDetail extends StepIdentity {
  /** True when the code replaces one still pending (Resend). */
  resend: boolean;
}

export interface OtpIssuedDetail extends StepIdentity {
  /** The challenge's id, the same from `otp-issued` to its end. */
  requestId: string;
  /** Epoch milliseconds: when the code expires. */
  expiresAt: number;
  /** Epoch milliseconds: when Resend opens. */
  resendAt: number;
  /** Wrong codes allowed before the challenge locks. */
  attemptsLeft: number;
}

export interface OtpConfirmedDetail extends StepIdentity {
  /** The challenge's id, the same from `otp-issued` to its end. */
  requestId: string;
  /**
   * Backend mode: the server's signed, single-use proof of this confirmation, for
   * the app's server to check (`verifyConfirmation`); absent in demo mode. The
   * event alone proves nothing: a page's script can fire it.
   */
  confirmation?: string;
  /**
   * How it was confirmed: `code` (a code sent or shown, today's step),
   * `authenticator` (the code of an authenticator app, `method="authenticator"`)
   * or `recovery-code` (one of the user's recovery codes in its place).
   */
  method: 'code' | 'authenticator' | 'recovery-code';
}

export interface OtpRejectedDetail extends StepIdentity {
  /** The challenge's id, the same from `otp-issued` to its end. */
  requestId: string;
  /** `invalid` (a wrong code), `expired`, `locked` (too many wrong codes), `used` (already confirmed) or `canceled` (ended by the app or another tab). */
  reason: RejectReason;
  /** Wrong codes still allowed; 0 once locked. */
  attemptsLeft: number;
}

export interface OtpExpiredDetail extends StepIdentity {
  /** The challenge's id, the same from `otp-issued` to its end. */
  requestId: string;
}

export interface OtpErrorDetail {
  /** Stable: switch on this, not on the message. */
  code: OtpErrorCode;
  /**
   * Readable, as shown in the element; for the page's own mistakes (a bad
   * attribute, `no-source`) the developer's detail in English, while the element
   * shows only a generic line.
   */
  message: string;
  /** With `resend-cooldown`: seconds until a new code can be sent. */
  retryAfterSeconds?: number;
}

/** Fired when `cancel()` ended the pending code: it can no longer be confirmed. */
export interface OtpCanceledDetail extends StepIdentity {
  /** The challenge's id, the same from `otp-issued` to its end. */
  requestId: string;
}

/**
 * Fired when `enroll` has added an authenticator app for the user (its first
 * code confirmed, the recovery codes shown): never the secret or the codes.
 */
export interface OtpEnrolledDetail {
  /** The user the app was enrolled for, as the step names them. */
  user: string;
}

/** Fired when a step has done its work, so the next step can start (`source-step`). */
export interface StepCompleteDetail extends StepIdentity {
  /** The challenge's id, the same from `otp-issued` to its end. */
  requestId: string;
  /** As in `otp-confirmed`: the server's confirmation token, in backend mode. */
  confirmation?: string;
}

/** The events of `<otp-step>`, by name. */
export interface OtpStepEventMap {
  'otp-request': CustomEvent<OtpRequestDetail>;
  'otp-issued': CustomEvent<OtpIssuedDetail>;
  'otp-confirmed': CustomEvent<OtpConfirmedDetail>;
  'otp-rejected': CustomEvent<OtpRejectedDetail>;
  'otp-expired': CustomEvent<OtpExpiredDetail>;
  'otp-canceled': CustomEvent<OtpCanceledDetail>;
  'otp-enrolled': CustomEvent<OtpEnrolledDetail>;
  'otp-error': CustomEvent<OtpErrorDetail>;
  'step-complete': CustomEvent<StepCompleteDetail>;
}

declare global {
  // Typed addEventListener('otp-…') for every element and for document.
  interface GlobalEventHandlersEventMap extends OtpStepEventMap {}
}

/**
 * Fires one of our events the way every one of them goes out: bubbling and
 * crossing shadow roots, so a page hears it from any depth. Returns false when
 * a listener cancelled it.
 */
export function fire<K extends keyof OtpStepEventMap>(
  target: EventTarget,
  type: K,
  detail: OtpStepEventMap[K]['detail'],
  cancelable = false,
): boolean {
  return target.dispatchEvent(
    new CustomEvent(type, {detail, bubbles: true, composed: true, cancelable}),
  );
}
