/**
 * The step's state, as one value: what `StepController` holds, what the element
 * and its dialog draw, and the rules read off it. No DOM.
 */
import type {AuthenticatorState} from '../authenticator/authenticator-state.js';
import type {ChallengeView} from '../challenge/challenge.js';
import type {OtpErrorCode} from '../errors.js';
import type {StepIdentity} from '../events.js';
import type {StepConfig} from '../step/step-config.js';

/** What happened last, as the dialog's message line says it. */
export type Notice =
  | {key: 'issued' | 'confirmed' | 'copied' | 'expired' | 'used' | 'canceled' | 'notSent'}
  /** The authenticator's: a code of the app's, or a recovery code, already used; a copy made. */
  | {key: 'appCodeUsed' | 'recoveryCodeUsed' | 'secretCopied' | 'codesCopied'}
  | {key: 'invalid'; attemptsLeft: number}
  /** Too many wrong codes: a new code may be asked for from `until` (epoch ms). */
  | {key: 'locked'; until: number}
  | {key: 'error'; code: OtpErrorCode};

/** Everything the views draw. Replaced, never changed in place, on every change. */
export interface StepState {
  /**
   * The challenge being confirmed, or the last one. With `method="authenticator"`
   * there is none to wait on: once signed in, the confirmation the server made
   * (its request id, confirmed).
   */
  readonly challenge?: ChallengeView;
  /** The checked parameters it was issued under. */
  readonly config?: StepConfig;
  /** The dialog is shown. */
  readonly open: boolean;
  /** A request to the code source is running. */
  readonly busy: boolean;
  /** The clock at the last change or tick, epoch ms: what countdowns count from. */
  readonly now: number;
  /**
   * The code, where the source gives it out (the platform's ForTestCode), or
   * what the page set in its place until the next code.
   */
  readonly forTestCode: string;
  /** The form value: the server's confirmation token, or the confirmed code in demo mode. */
  readonly value: string;
  /** The code as typed so far. */
  readonly entry: string;
  /** The entry holds a code that was turned down, or the last request failed. */
  readonly invalid: boolean;
  readonly notice?: Notice;
  /** A problem that stopped the step while the dialog was closed, shown beside the trigger. */
  readonly problem?: OtpErrorCode;
  /** A Retry is offered, from `at` (epoch ms), in the dialog or beside the trigger. */
  readonly retry?: {readonly at: number; readonly inDialog: boolean};
  /** The countdown milestone last spoken, in seconds. */
  readonly announcement?: number;
  /**
   * The parameters last looked up with nothing pending for them (after a
   * reload, say): a first code for them needs no second look. Not drawn.
   */
  readonly lookedUp?: StepConfig;
  /** With `method="authenticator"`: the app's sign-in or set-up the dialog shows. */
  readonly authenticator?: AuthenticatorState;
}

/** An element that has done nothing yet. */
export const idleState = (now: number): StepState => ({
  open: false,
  busy: false,
  now,
  forTestCode: '',
  value: '',
  entry: '',
  invalid: false,
});

/** Whether two sets of parameters name the same challenge: step, user and client. */
export const sameStep = (a: StepIdentity | undefined, b: StepIdentity): boolean =>
  !!a && a.stepName === b.stepName && a.user === b.user && a.client === b.client;

/** Whether a countdown runs: a pending or locked code, or a Retry that must wait. */
export function isTicking({challenge, retry}: StepState, now: number): boolean {
  // A locked challenge is counted down too: its note beside the trigger goes when it ends.
  return (
    challenge?.status === 'pending' ||
    challenge?.status === 'locked' ||
    (!!retry && retry.at > now)
  );
}

/** Confirmed in this page, not a value the browser gave back: the trigger says so. */
export const isConfirmed = ({value, challenge}: StepState): boolean =>
  !!value && challenge?.status === 'confirmed';
