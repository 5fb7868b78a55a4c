/**
 * RFC 6238 TOTP as every authenticator app runs it by default: HMAC-SHA1, 6
 * digits, 30-second steps counted from the Unix epoch.
 *
 * Built on @oslojs/otp's `generateHOTP` (RFC 4226) rather than a TOTP
 * library's own clock: it is small, synchronous and depends on nothing beyond
 * @oslojs/*, and it takes the counter from us, so the step comes from the
 * handler's `now` (tests run RFC 6238 Appendix B's times through the real
 * route) and the check can refuse any step not later than the last one the
 * account had accepted. otplib's TOTP is built on async plugins and keeps the
 * clock itself.
 */
import {timingSafeEqual} from 'node:crypto';
import {generateHOTP} from '@oslojs/otp';

export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps either side of now accepted, for a phone's clock that is off (RFC 6238 §5.2 recommends one). */
export const TOTP_DRIFT_STEPS = 1;

/** The time step `nowMs` falls in. */
export const stepAt = (nowMs: number): number =>
  Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

/** The code of `step` for `key`. */
export const totpCode = (key: Uint8Array, step: number): string =>
  generateHOTP(key, BigInt(step), TOTP_DIGITS);

/** True when `code` is a code's shape: 6 ASCII digits. */
export const isTotpShaped = (code: string): boolean => /^[0-9]{6}$/.test(code);

/**
 * The latest step within the drift of `nowStep` whose code is `code`, or
 * undefined. Every step of the window is computed and compared in constant
 * time whatever matched, so how long it takes says nothing of which step (or
 * how much of the code) was right. A code of the wrong shape is compared all
 * the same, against nothing it could match.
 */
export function matchingStep(
  key: Uint8Array,
  code: string,
  nowStep: number,
): number | undefined {
  const given = Buffer.from(isTotpShaped(code) ? code : 'x'.repeat(TOTP_DIGITS));
  let matched: number | undefined;
  for (let step = nowStep - TOTP_DRIFT_STEPS; step <= nowStep + TOTP_DRIFT_STEPS; step++)
    if (timingSafeEqual(given, Buffer.from(totpCode(key, step))) && step >= 0)
      matched = step;
  return matched;
}
