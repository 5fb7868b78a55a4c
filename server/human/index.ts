/**
 * otp-step/server/human: bot checks for `createOtpHandler`'s `verifyHuman`.
 * Each calls its provider's documented siteverify API (a form-encoded POST of
 * `secret`, `response` and, where the app gives it, `remoteip`) and resolves to
 * true only when the provider vouches for the token. Anything else, a network
 * failure, a timeout (5 s), a non-2xx answer or one that is not JSON included,
 * resolves to false: a check that cannot be made is failed, never passed.
 * docs/human-check.md sets each one up.
 */
import {siteverify, type HumanVerifier, type SiteverifyOptions} from './siteverify.js';

export type {HumanVerifier, SiteverifyOptions} from './siteverify.js';

/** https://developers.cloudflare.com/turnstile/get-started/server-side-validation/ */
export const TURNSTILE_SITEVERIFY =
  'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** https://docs.hcaptcha.com/#verify-the-user-response-server-side */
export const HCAPTCHA_SITEVERIFY = 'https://api.hcaptcha.com/siteverify';
/** https://developers.google.com/recaptcha/docs/verify */
export const RECAPTCHA_SITEVERIFY = 'https://www.google.com/recaptcha/api/siteverify';

/** Cloudflare Turnstile: `success` is the verdict. */
export function turnstile(options: SiteverifyOptions): HumanVerifier {
  return siteverify('turnstile', TURNSTILE_SITEVERIFY, options, () => true);
}

/**
 * hCaptcha: `success` is the verdict. The Enterprise `score` (higher is riskier,
 * the other way round from reCAPTCHA's) is not read.
 */
export function hcaptcha(options: SiteverifyOptions): HumanVerifier {
  return siteverify('hcaptcha', HCAPTCHA_SITEVERIFY, options, () => true);
}

export interface RecaptchaOptions extends SiteverifyOptions {
  /** v3: the lowest `score` that passes, 0 to 1 (1 is very likely a person); 0.5 by default, as Google suggests. */
  minScore?: number;
  /** v3: the `action` the page gave `grecaptcha.execute`; when set, an answer for another action (or none) fails. */
  action?: string;
}

/**
 * Google reCAPTCHA v2 or v3: `success`, and for v3 a `score` of at least
 * `minScore`. A v2 answer has no score and passes on `success` alone; a score
 * that is there but not a number fails.
 */
export function recaptcha(options: RecaptchaOptions): HumanVerifier {
  const {minScore = 0.5, action} = options ?? {};
  if (typeof minScore !== 'number' || !(minScore >= 0 && minScore <= 1))
    throw new TypeError('otp-step: recaptcha() `minScore` must be a number from 0 to 1');
  return siteverify('recaptcha', RECAPTCHA_SITEVERIFY, options, (answer) => {
    if (action !== undefined && answer.action !== action) return false;
    if (answer.score === undefined) return true;
    return typeof answer.score === 'number' && answer.score >= minScore;
  });
}
