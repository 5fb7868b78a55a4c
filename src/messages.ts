import type {AlphabetName} from './code/alphabets.js';
import type {OtpErrorCode} from './errors.js';
import type {ConfigWarningCode} from './step/step-config.js';

/** `4:05` for 245 seconds. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

const attempts = (n: number) => (n === 1 ? '1 attempt left' : `${n} attempts left`);

/** Everything the element says, in one place so it can be translated. */
export const messages = {
  trigger: 'Get code',
  title: 'Enter the one-time code',
  description: (length: number, alphabet: AlphabetName, user: string) =>
    `Enter the ${length}-${alphabet === 'numeric' ? 'digit' : 'character'} code sent for ${user}.`,
  inputLabel: (length: number, alphabet: AlphabetName) =>
    `${length}-${alphabet === 'numeric' ? 'digit' : 'character'} code`,
  testCode: 'Test code',
  testCodeNote: 'shown for testing only',
  copy: 'Copy',
  copied: 'Test code copied.',
  expiresIn: (seconds: number) => `Expires in ${formatClock(seconds)}`,
  timeLeft: 'Time left',
  attemptsLeft: attempts,
  resend: 'Resend code',
  resendIn: (seconds: number) => `Resend in ${Math.max(0, Math.ceil(seconds))} s`,
  confirm: 'Confirm',
  close: 'Close',
  issued: 'A new code was sent.',
  confirmed: 'Code confirmed.',
  invalid: (attemptsLeft: number) => `That code is not right. ${attempts(attemptsLeft)}.`,
  expired: 'This code has expired — send a new code.',
  locked: 'Too many wrong codes. This code is locked until it expires.',
  used: 'This code has already been used.',
  errors: {
    'user-required': 'No user: set a user name or ID before requesting a code.',
    'invalid-lifetime':
      'The code lifetime is not valid: give seconds (300), 90s, 5m, 1h or PT5M, more than zero and at most 24 hours.',
    'invalid-length': 'The code length must be a whole number from 4 to 10.',
    'invalid-alphabet': 'The alphabet must be "numeric" or "alphanumeric".',
    'invalid-max-attempts': 'max-attempts must be a whole number from 1 to 100.',
    'invalid-resend-after':
      'resend-after must be a whole number of seconds from 0 to 86400.',
    'invalid-max-resends': 'max-resends must be a whole number from 0 to 100.',
    'malformed-code':
      'Enter the whole code: it has the wrong number of characters or a character that cannot be in it.',
    'no-pending-code': 'There is no code to confirm: request a new code.',
    locked:
      'Too many wrong codes: a new code can be requested once the locked one expires.',
    'resend-cooldown': 'A new code can be sent shortly; please wait.',
    'resend-limit': 'No more codes can be sent for this sign-in. Start again later.',
    'storage-unavailable':
      'IndexedDB is unavailable, so the code is kept in memory only and is lost if the page reloads.',
    'crypto-unavailable':
      'This page is not a secure context (https or localhost), so no code can be made here.',
    'copy-failed': 'The test code could not be copied: select it and copy it by hand.',
    'source-failed': 'The code could not be obtained or checked. Try again.',
  } satisfies Record<OtpErrorCode, string>,
  warnings: {
    'long-lifetime':
      'otp-step: the code lifetime is over 10 minutes; NIST SP 800-63B-4 (§3.1.3) limits out-of-band codes to 10 minutes.',
    'short-code':
      'otp-step: the code is shorter than 6 characters; NIST SP 800-63B-4 (§3.1.3) asks for at least six digits (20 bits).',
  } satisfies Record<ConfigWarningCode, string>,
};
