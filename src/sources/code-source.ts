import type {ChallengeView, ConfirmOutcome} from '../challenge/challenge.js';
import type {StepConfig} from '../step/step-config.js';

/** A code as issued: what the element may show, plus the code itself where the source gives it out. */
export interface IssuedCode {
  challenge: ChallengeView;
  /** Given only by sources that run in test mode, such as the local demo generator. */
  code?: string;
}

/**
 * Where codes come from and are checked. Methods throw `OtpStepError` with a
 * stable code when they refuse, and stop early when `signal` aborts.
 */
export interface CodeSource {
  /** Issues a new code for the step, or one in place of the pending one (a resend). */
  issue(config: StepConfig, signal?: AbortSignal): Promise<IssuedCode>;
  /** Confirms a cleaned, well-formed code against the pending challenge. */
  confirm(
    config: StepConfig,
    code: string,
    signal?: AbortSignal,
  ): Promise<{outcome: ConfirmOutcome; challenge: ChallengeView}>;
  /** The challenge left open for the step, e.g. before a reload; undefined when there is none. */
  pending(config: StepConfig, signal?: AbortSignal): Promise<ChallengeView | undefined>;
  /**
   * Ends the pending challenge, on the server for a backend, and forgets it:
   * it can no longer be confirmed, and a new code may be asked for at once.
   * Sources without it are only forgotten by the element.
   */
  cancel?(config: StepConfig, signal?: AbortSignal): Promise<void>;
  /**
   * Reads how far sending the pending code has got (backends that send it), and
   * keeps what it learnt; `unsupported` when the server has no status route.
   */
  status?(
    config: StepConfig,
    signal?: AbortSignal,
  ): Promise<ChallengeView | 'unsupported'>;
}

/** Where a page names its code source: its own, a backend's URL, or the demo generator. */
export interface SourceChoice {
  source?: CodeSource;
  endpoint: string;
  demo: boolean;
}

/** Whether the page named a code source at all; without one, no code is issued. */
export const hasCodeSource = ({source, endpoint, demo}: SourceChoice): boolean =>
  !!(source || endpoint || demo);
