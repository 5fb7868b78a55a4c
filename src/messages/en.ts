import type {DeveloperErrorCode, OtpErrorCode} from '../errors.js';
import type {Format} from './format.js';
import {enTrigger} from './en-trigger.js';
import {isolate} from './isolate.js';

/** A code's shape, as messages describe it. */
export interface CodeShape {
  length: number;
  numeric: boolean;
}

/**
 * Everything the element says. A page can pass its own for any language (the
 * `messages` property); English, Portuguese, German and Arabic come with it.
 * Values put into sentences are isolated (`isolate()`), so they read right in
 * right-to-left text too.
 */
export interface OtpStepMessages {
  trigger: string;
  title: string;
  description(shape: CodeShape, user: string, f: Format): string;
  /** In place of the description once the server says where the code went: its masked hint. */
  sentTo(shape: CodeShape, hint: string, f: Format): string;
  /** The server could not deliver the code: a new one can be asked for at once. */
  notSent: string;
  /** A button that sends a new code on the other channel. */
  sendBy(channel: 'email' | 'sms'): string;
  inputLabel(shape: CodeShape, f: Format): string;
  testCode: string;
  testCodeNote: string;
  /** Under the description in demo mode: where codes come from. */
  demoNote: string;
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
  /** A locked code, with the time (in the language's clock) from which a new code may be asked for. */
  lockedUntil(time: string): string;
  /** The trigger once the code is confirmed: the step is done. */
  triggerConfirmed: string;
  used: string;
  /** The code was canceled (by the app, or from another tab): a new one may be asked for. */
  canceled: string;
  retry: string;
  retryIn(seconds: string): string;
  /** Why a `required` element keeps its form from submitting. */
  required: string;
  /**
   * Beside the trigger when the page set the element up wrongly: the person
   * cannot mend that, so they get no detail (the developer gets it in the console).
   */
  misconfigured: string;
  errors: Record<Exclude<OtpErrorCode, DeveloperErrorCode>, string>;

  // The authenticator app (method="authenticator"); codes and keys are isolated left-to-right.
  /** The dialog's title when signing in with the app. */
  appTitle: string;
  appDescription(user: string, f: Format): string;
  /** The title, and the description, once the entry takes a recovery code. */
  recoveryTitle: string;
  recoveryDescription: string;
  /** The entry's label for a recovery code. */
  recoveryLabel: string;
  /** The link that turns the entry into a recovery code's. */
  useRecoveryCode: string;
  /** The link back to the app's code. */
  useAppCode: string;
  /** 409 for the app's code: it works once, and the app shows a new one every 30 s. */
  appCodeUsed: string;
  recoveryCodeUsed: string;
  /** The dialog's title while setting an app up (`enroll`). */
  enrollTitle: string;
  /** Under the title, with the QR code. */
  enrollScan: string;
  /** The QR code's accessible name. */
  qrLabel: string;
  /** Before the secret, for an app that cannot scan (and for anyone who cannot see the QR code). */
  secretNote: string;
  copySecret: string;
  secretCopied: string;
  next: string;
  back: string;
  /** Setting up a new app over one the person has: a code of that one first (or a recovery code). */
  enrollCurrent: string;
  enrollCurrentRecovery: string;
  /** The description while the app's first code is typed. */
  enrollCode(f: Format): string;
  recoveryCodesTitle: string;
  recoveryCodesNote: string;
  /** The list's accessible name. */
  recoveryCodesLabel: string;
  copyCodes: string;
  codesCopied: string;
  download: string;
  done: string;
  /** The first line of the downloaded (and copied) recovery codes. */
  recoveryCodesHeading(user: string): string;
}

const attemptsLeft = (n: number, f: Format) =>
  `${isolate(f.number(n))} ${f.plural(n) === 'one' ? 'attempt' : 'attempts'} left`;
const kind = ({length, numeric}: CodeShape, f: Format) =>
  `${isolate(f.number(length))}-${numeric ? 'digit' : 'character'} code`;

/**
 * English, all of it. It loads with the dialog and the flow, which need it; the
 * lines drawn beside the trigger come with the element (en-trigger.ts).
 */
export const en: OtpStepMessages = {
  ...enTrigger,
  title: 'Enter the one-time code',
  description: (shape, user, f) =>
    `Enter the ${kind(shape, f)} sent for ${isolate(user)}.`,
  inputLabel: kind,
  sentTo: (shape, hint, f) => `We sent a ${kind(shape, f)} to ${isolate(hint)}.`,
  notSent: 'The code could not be sent. Send a new code.',
  sendBy: (channel) =>
    channel === 'sms' ? 'Send by SMS instead' : 'Send by e-mail instead',
  testCode: 'Test code',
  testCodeNote: 'shown for testing only',
  demoNote: 'Demo: codes are made and checked in this browser.',
  copy: 'Copy',
  copied: 'Test code copied.',
  expiresIn: (clock) => `Expires in ${isolate(clock)}`,
  timeLeft: 'Time left',
  left: (duration) => `${isolate(duration)} left`,
  attemptsLeft,
  resend: 'Resend code',
  resendIn: (seconds) => `Resend in ${isolate(seconds)} s`,
  confirm: 'Confirm',
  close: 'Close',
  issued: 'A new code was sent.',
  invalid: (n, f) => `That code is not right. ${attemptsLeft(n, f)}.`,
  expired: 'This code has expired — send a new code.',
  locked: 'Too many wrong codes. This code is locked until it expires.',
  lockedUntil: (time) =>
    `Too many wrong codes. You can ask for a new code at ${isolate(time)}.`,
  used: 'This code has already been used.',
  canceled: 'This code was canceled — send a new code.',
  errors: {
    ...enTrigger.errors,
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
    'copy-failed': 'It could not be copied: select it and copy it by hand.',
    'network-error': 'The server could not be reached: check the connection and retry.',
    timeout: 'The server took too long to answer. Retry.',
    'server-error': 'The server had a problem. Retry in a moment.',
    'bad-response': 'The answer from the server could not be read. Retry.',
    'rate-limited': 'Too many requests. Retry once the wait is over.',
    'request-failed': 'The server refused the request.',
    'unknown-user': 'There is no such user.',
    'unknown-request': 'The server no longer knows this code: ask for a new one.',
    unauthenticated: 'You are not signed in, or your session ended: sign in again.',
    forbidden: 'This request is not allowed.',
    'human-check-required': 'We could not check that you are a person. Try again.',
    'not-enrolled':
      'No authenticator app is set up for this account. Use another way to sign in.',
    'unknown-enrollment': 'This set-up has expired. Close it and start again.',
  },
  appTitle: 'Enter the code from your app',
  appDescription: (user, f) =>
    `Open your authenticator app and enter the ${kind({length: 6, numeric: true}, f)} it shows for ${isolate(user)}.`,
  recoveryDescription:
    'Lost your phone? Enter one of the recovery codes you saved when you set up the app.',
  recoveryTitle: 'Enter a recovery code',
  recoveryLabel: 'Recovery code',
  useRecoveryCode: 'Use a recovery code',
  useAppCode: "Use the app's code",
  appCodeUsed: 'This code was already used: wait for the next one in the app.',
  recoveryCodeUsed: 'This recovery code was already used: enter another one.',
  enrollTitle: 'Set up your authenticator app',
  enrollScan:
    'Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Bitwarden…).',
  qrLabel: 'QR code for your authenticator app',
  secretNote: "Can't scan it? Enter this key in the app:",
  copySecret: 'Copy key',
  secretCopied: 'Key copied.',
  next: 'Next',
  back: 'Back',
  enrollCurrent:
    'You already have an authenticator app. Enter a code from it to set up a new one.',
  enrollCurrentRecovery:
    'Lost the phone with your app? Enter one of your recovery codes to set up a new one.',
  enrollCode: (f) =>
    `Enter the ${kind({length: 6, numeric: true}, f)} the app now shows, to finish setting it up.`,
  recoveryCodesTitle: 'Save your recovery codes',
  recoveryCodesNote:
    'Your app is set up. If you lose your phone, each of these codes signs you in once. Keep them somewhere safe: they are shown only now.',
  recoveryCodesLabel: 'Recovery codes',
  copyCodes: 'Copy codes',
  codesCopied: 'Recovery codes copied.',
  download: 'Download',
  done: 'Done',
  recoveryCodesHeading: (user) =>
    `Recovery codes for ${user}. Each one signs you in once, in place of the app's code.`,
};
