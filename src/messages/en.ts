import type {OtpErrorCode} from '../errors.js';
import type {Format} from './format.js';

/** A code's shape, as messages describe it. */
export interface CodeShape {
  length: number;
  numeric: boolean;
}

/**
 * Everything the element says. A page can pass its own for any language (the
 * `messages` property); English, Portuguese and German come with it.
 */
export interface OtpStepMessages {
  trigger: string;
  title: string;
  description(shape: CodeShape, user: string, f: Format): string;
  inputLabel(shape: CodeShape, f: Format): string;
  testCode: string;
  testCodeNote: string;
  copy: string;
  copied: string;
  expiresIn(clock: string): string;
  timeLeft: string;
  /** Spoken at a few milestones of the countdown: "1 minute left". */
  left(duration: string): string;
  attemptsLeft(n: number, f: Format): string;
  resend: string;
  resendIn(seconds: string): string;
  confirm: string;
  close: string;
  issued: string;
  confirmed: string;
  invalid(attemptsLeft: number, f: Format): string;
  expired: string;
  locked: string;
  used: string;
  retry: string;
  retryIn(seconds: string): string;
  /** Why a `required` element keeps its form from submitting. */
  required: string;
  errors: Record<OtpErrorCode, string>;
}

const attemptsLeft = (n: number, f: Format) =>
  `${f.number(n)} ${f.plural(n) === 'one' ? 'attempt' : 'attempts'} left`;
const kind = ({length, numeric}: CodeShape, f: Format) =>
  `${f.number(length)}-${numeric ? 'digit' : 'character'} code`;

export const en: OtpStepMessages = {
  trigger: 'Get code',
  title: 'Enter the one-time code',
  description: (shape, user, f) => `Enter the ${kind(shape, f)} sent for ${user}.`,
  inputLabel: kind,
  testCode: 'Test code',
  testCodeNote: 'shown for testing only',
  copy: 'Copy',
  copied: 'Test code copied.',
  expiresIn: (clock) => `Expires in ${clock}`,
  timeLeft: 'Time left',
  left: (duration) => `${duration} left`,
  attemptsLeft,
  resend: 'Resend code',
  resendIn: (seconds) => `Resend in ${seconds} s`,
  confirm: 'Confirm',
  close: 'Close',
  issued: 'A new code was sent.',
  confirmed: 'Code confirmed.',
  invalid: (n, f) => `That code is not right. ${attemptsLeft(n, f)}.`,
  expired: 'This code has expired — send a new code.',
  locked: 'Too many wrong codes. This code is locked until it expires.',
  used: 'This code has already been used.',
  retry: 'Retry',
  retryIn: (seconds) => `Retry in ${seconds} s`,
  required: 'Confirm a one-time code to continue.',
  errors: {
    'user-required': 'No user: set the user attribute before requesting a code.',
    'invalid-lifetime':
      'lifetime must be seconds, 90s, 5m, 1h or PT5M, above zero and at most 24 hours.',
    'invalid-length': 'length must be a whole number from 4 to 10.',
    'invalid-alphabet': 'alphabet must be "numeric" or "alphanumeric".',
    'invalid-max-attempts': 'max-attempts must be a whole number from 1 to 100.',
    'invalid-resend-after': 'resend-after must be whole seconds from 0 to 86400.',
    'invalid-max-resends': 'max-resends must be a whole number from 0 to 100.',
    'malformed-code':
      'Enter the whole code: it has too few or too many characters, or one that cannot be in it.',
    'no-pending-code': 'There is no code to confirm: request a new code.',
    locked: 'Too many wrong codes: ask for a new code once this one expires.',
    'resend-cooldown': 'A new code can be sent shortly.',
    'resend-limit': 'No more codes can be sent for this sign-in; start again later.',
    'storage-unavailable':
      'IndexedDB is unavailable: the code is kept in memory and lost on reload.',
    'crypto-unavailable':
      'No code can be made outside a secure context (https or localhost).',
    'copy-failed': 'The test code could not be copied: select it and copy it by hand.',
    'network-error': 'The server could not be reached: check the connection and retry.',
    timeout: 'The server took too long to answer. Retry.',
    'server-error': 'The server had a problem. Retry in a moment.',
    'bad-response': 'The answer from the server could not be read. Retry.',
    'rate-limited': 'Too many requests. Retry once the wait is over.',
    'request-failed': 'The server refused the request.',
    'unknown-user': 'There is no such user.',
    'unknown-request': 'The server no longer knows this code: ask for a new one.',
    'source-failed': 'The code could not be obtained or checked. Retry.',
  },
};
