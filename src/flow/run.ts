import type {OtpStepEventMap} from '../events.js';
import type {CodeSource} from '../sources/code-source.js';
import type {SourceSettings} from '../sources/code-sources.js';
import type {StepState} from './step-state.js';

/**
 * One run of the step's flow (asking for a code, confirming one, picking one up
 * after a reload), as `StepController` hands it to the flow's functions: the
 * state to read, and the only ways to change it. Once the run is aborted (a newer
 * request replaced it, or the element left the page) it changes nothing and
 * fires nothing.
 */
export interface Run {
  readonly signal: AbortSignal;
  /** The state now. */
  readonly state: StepState;
  now(): number;
  /** Changes the state, and has it drawn unless `draw` is false (a change nothing shows). */
  set(patch: Partial<StepState>, draw?: boolean): void;
  /** The request to the code source starts: any other run is aborted, and the step is busy. */
  begin(): void;
  /** Fires one of the step's events on the element; false when a listener cancelled it. */
  emit<K extends keyof OtpStepEventMap>(
    type: K,
    detail: OtpStepEventMap[K]['detail'],
    cancelable?: boolean,
  ): boolean;
  /** Resolves once the state is drawn: the dialog shown, when it should be. */
  drawn(): Promise<unknown>;
  /** The code source the element's settings name. */
  source(): Promise<CodeSource>;
  /** The element's settings for its source, as they are now (the authenticator talks to `endpoint` itself). */
  readonly settings: SourceSettings;
}
