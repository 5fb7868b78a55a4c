/**
 * What the developer is told, in the console and in `otp-error`'s `message`:
 * always English, since the person using the page never sees it. Loaded with
 * the dialog's code, where issuing checks the element's setup.
 */
import type {DeveloperErrorCode} from '../errors.js';
import type {ConfigWarningCode} from '../step/step-config.js';

export const developerMessages: Record<DeveloperErrorCode, string> = {
  'user-required': 'otp-step: no user; set the user attribute before requesting a code.',
  'invalid-lifetime':
    'otp-step: lifetime must be seconds, 90s, 5m, 1h or PT5M, above zero and at most 24 hours.',
  'invalid-length': 'otp-step: length must be a whole number from 4 to 10.',
  'invalid-alphabet': 'otp-step: alphabet must be "numeric" or "alphanumeric".',
  'invalid-max-attempts': 'otp-step: max-attempts must be a whole number from 1 to 100.',
  'invalid-resend-after': 'otp-step: resend-after must be whole seconds from 0 to 86400.',
  'invalid-max-resends': 'otp-step: max-resends must be a whole number from 0 to 100.',
  'invalid-channel':
    'otp-step: channel must be "email" or "sms", or left empty for the server to choose.',
  'no-source':
    'otp-step: no code source, so no code was issued. Set endpoint to your server (production), or demo to make and check codes in this browser (demos and tests only).',
  'invalid-method': 'otp-step: method must be "code" (the default) or "authenticator".',
  'endpoint-required':
    'otp-step: method="authenticator" needs endpoint: an authenticator app\'s codes are checked by your server (otp-step/server with the authenticator option), never in the browser. Set endpoint, or use method="code" with demo.',
};

/** Settings that work but fall short of NIST SP 800-63B-4. */
export const warnings: Record<ConfigWarningCode, string> = {
  'long-lifetime':
    'otp-step: code lifetime over 10 minutes, the most NIST SP 800-63B-4 (§3.1.3) allows.',
  'short-code':
    'otp-step: code shorter than the six digits NIST SP 800-63B-4 (§3.1.3) asks for.',
};
