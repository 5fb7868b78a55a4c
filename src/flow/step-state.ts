/** The flow's state, as views draw it, and what the flow needs from its element. */
import type {ChallengeView} from '../challenge/challenge.js';
import type {OtpErrorCode} from '../errors.js';
import type {OtpStepEventMap} from '../events.js';
import type {OtpStepMessages} from '../messages/en.js';
import type {CodeSource} from '../sources/code-source.js';
import type {StepConfig} from '../step/step-config.js';

/** What happened last, as the dialog's message line says it. */
export type Notice =
  | {key: 'issued' | 'confirmed' | 'copied' | 'expired' | 'used'}
  | {key: 'invalid'; attemptsLeft: number}
  /** Too many wrong codes: a new code may be asked for from `until` (epoch ms). */
  | {key: 'locked'; until: number}
  | {key: 'error'; code: OtpErrorCode};

/** Everything the views draw. Replaced, never changed in place, on every change. */
export interface StepState {
  /** The challenge being confirmed, or the last one. */
  readonly challenge?: ChallengeView;
  /** The checked parameters it was issued under. */
  readonly config?: StepConfig;
  /** The dialog is shown. */
  readonly open: boolean;
  /** A request to the source is running. */
  readonly busy: boolean;
  /** The clock at the last change or tick, epoch ms: what countdowns count from. */
  readonly now: number;
  /** The code, where the source gives it out (the platform's ForTestCode). */
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
}

/** What the flow needs from its element, so that it needs no DOM. */
export interface StepFlowHost {
  /** The code source; throws `OtpStepError('no-source')` when there is none. */
  source(): Promise<CodeSource>;
  /** Whether the page named a source at all (`source`, `endpoint` or `demo`). */
  hasSource(): boolean;
  /** Fires one of the step's events; false when a listener cancelled it. */
  emit<K extends keyof OtpStepEventMap>(
    type: K,
    detail: OtpStepEventMap[K]['detail'],
    cancelable?: boolean,
  ): boolean;
  /** The messages of the element's language, for the text of `otp-error`. */
  messages(): OtpStepMessages;
  /** The state changed: draw it again. */
  changed(): void;
  /** Resolves once the state is drawn (the dialog open, when it should be). */
  rendered(): Promise<unknown>;
  now(): number;
}
