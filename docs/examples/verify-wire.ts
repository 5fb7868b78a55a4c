/**
 * What the page's source (verify-source.ts) and the app's server
 * (verify-server.ts) say to each other: JSON over the app's own origin. Both
 * sides import these types, so a change to one side that the other does not
 * follow fails the type check, not the sign-in.
 */
import type {ChallengeView, ConfirmOutcome, OtpErrorCode} from 'otp-step';

/**
 * `GET` and `POST {base}/verification` (no body: the server sends the code to
 * the signed-in user, never to whom the page names): the pending verification
 * as the element shows it. Times are seconds from now,
 * not instants, so a browser clock that is off does not shorten the lifetime.
 */
export interface ChallengeAnswer extends Omit<
  ChallengeView,
  'issuedAt' | 'expiresAt' | 'resendAt'
> {
  expiresIn: number;
  resendIn: number;
}

/** `POST {base}/verification/check`: the code the person typed. */
export interface CheckRequest {
  requestId: string;
  code: string;
}

/** What a check came to, and the verification after it. */
export interface CheckAnswer {
  outcome: ConfirmOutcome;
  challenge: ChallengeAnswer;
}

/**
 * Every refusal: one of the element's stable error codes, so the source can
 * pass it on as it is (`rate-limited` shows a countdown, `unknown-user` says
 * there is nowhere to send a code).
 */
export interface Problem {
  code: OtpErrorCode;
  detail?: string;
  /** Seconds until trying again can succeed (with `rate-limited`). */
  retryAfter?: number;
}
