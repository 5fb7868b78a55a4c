import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {ConfirmOutcome} from '../challenge/challenge.js';
import {pageClock, type Clock} from '../clock.js';
import {isOtpStepError, OtpStepError, RETRYABLE, type OtpErrorCode} from '../errors.js';
import {fire} from '../events.js';
import type {TriggerMessages} from '../messages/en-trigger.js';
import type {CodeSource} from '../sources/code-source.js';
import type {CodeSources, SourceSettings} from '../sources/code-sources.js';
import type {StepConfig, StepOptions} from '../step/step-config.js';
import type {DialogEventMap} from '../dialog/dialog-events.js';
import type {Run} from './run.js';
import {idleState, isTicking, type StepState} from './step-state.js';

type Flow = typeof import('./step-flow.js');

/**
 * The flow's code, once it has loaded for the page (with all the messages):
 * every step after the first starts its runs at once, so a page of steps
 * picking up their challenges at load waits on nothing per step.
 */
let loadedFlow: Flow | undefined;

/** The element a step controller works for: it draws the state, and the events go out from it. */
export type StepHost = ReactiveControllerHost &
  EventTarget & {readonly isConnected: boolean};

export interface StepControllerOptions {
  /** The element's settings that pick the code source; read when a run first needs one. */
  sources: SourceSettings;
  /** The messages of the element's language, for the text of `otp-error`. */
  messages(): TriggerMessages;
  /** Brings all the messages, which a run may say (the flow's code waits for them). */
  loadMessages?: () => Promise<unknown>;
  /** Keeps a load in the host's `updateComplete` until it settles. */
  track?: <T>(loading: Promise<T>) => Promise<T>;
  clock?: Clock;
}

/** How long a request from the trigger runs before the trigger shows it busy. */
const BUSY_SHOWN_AFTER_MS = 100;

/**
 * The one owner of the step's state, on the model of `@lit/task`: it holds the
 * state the element draws, starts each run of the flow (step-flow.ts, loaded
 * when first needed) with an `AbortController` of its own, and reports every
 * failure the same way: `otp-error`, the note in the dialog or beside the
 * trigger, and a Retry where trying again can mend it.
 */
export class StepController implements ReactiveController {
  state: StepState;
  readonly #clock: Clock;
  /** Runs under way; the element leaving aborts them all, a request to the source the others. */
  readonly #runs = new Set<AbortController>();
  /** A code on its way: a second ask gets the same answer, not a second code. */
  #issuing?: Promise<boolean>;
  /** What Retry runs again. */
  #again?: () => unknown;
  #loadingFlow?: Promise<Flow>;
  #sources?: CodeSources;
  #stopTicking?: () => void;
  /** The delivery status poll under way, and the code it is for. */
  #delivery?: {code: string; stop: () => void};

  readonly #host: StepHost;
  readonly #options: StepControllerOptions;

  constructor(host: StepHost, options: StepControllerOptions) {
    this.#host = host;
    this.#options = options;
    this.#clock = options.clock ?? pageClock;
    this.state = idleState(this.#clock.now());
    host.addController(this);
  }

  hostUpdated(): void {
    this.#syncTicking();
    this.#syncDelivery();
  }

  hostDisconnected(): void {
    for (const run of this.#runs) run.abort();
    // Nothing is running any more; the state says so, unseen until the element is back.
    if (this.state.busy) this.state = {...this.state, busy: false};
    this.#syncTicking();
    this.#syncDelivery();
  }

  /** Shows the code still pending for these parameters, or asks for one. */
  request(options: StepOptions): Promise<boolean> {
    return this.#issueOnce(() =>
      this.#run(
        (flow, run) => flow.request(run, options),
        () => this.request(options),
      ),
    );
  }

  /** Asks for a new code, or one in place of the pending code (a resend). */
  issue(options: StepOptions): Promise<boolean> {
    return this.#issueOnce(() =>
      this.#run(
        (flow, run) => flow.issue(run, options),
        () => this.issue(options),
      ),
    );
  }

  /** Confirms what was typed; undefined when it was not judged (see `flow.confirm`). */
  confirm(typed: string): Promise<ConfirmOutcome | undefined> {
    return this.#run(
      (flow, run) => flow.confirm(run, typed),
      () => this.confirm(typed),
    );
  }

  /**
   * What the person did in the dialog (`dialog-act`: a copy, a move of the
   * authenticator's dialog), for the flow. The controller is the listener
   * itself (`@dialog-act=${controller}`): the element adds nothing of its own.
   */
  handleEvent(event: DialogEventMap['dialog-act']): Promise<unknown> {
    const action = event.detail;
    return this.#run(
      (flow, run) => flow.act(run, action),
      () => this.handleEvent(event),
    );
  }

  /** Ends the pending code and closes the dialog; resolves to whether a code was ended. */
  async cancel(): Promise<boolean> {
    return !!(await this.#run(
      (flow, run) => flow.cancel(run),
      () => this.cancel(),
    ));
  }

  /** Picks up the challenge left open for these parameters; resolves to them when there was one. */
  restore(options: StepOptions): Promise<StepConfig | undefined> {
    return this.#run(
      (flow, run) => flow.restore(run, options),
      () => this.restore(options),
    );
  }

  /** Runs again what failed, as the Retry button does; resolves when it is done. */
  async retry(): Promise<void> {
    const again = this.#again;
    this.#again = undefined;
    this.#set({retry: undefined});
    await again?.();
  }

  /** Shows the dialog on what there is (the pending code, after it was closed). */
  open(): void {
    this.#set({open: true});
  }

  /** Hides the dialog; the challenge stays, and `open()` shows it again. */
  close(): void {
    if (this.state.open) this.#set({open: false});
  }

  /** The code as typed so far; typing again takes the error look off. */
  type(entry: string): void {
    const clears = !!entry && this.state.invalid;
    // Every keystroke lands here: the input draws itself, so redraw only for the look.
    this.#set({entry, invalid: clears ? false : this.state.invalid}, clears);
  }

  /** The page's own test code (the platform's execute-script step), shown until a new code. */
  setTestCode(code: string): void {
    if (code !== this.state.forTestCode) this.#set({forTestCode: code});
  }

  /** The owning form was reset: no value, nothing said, the dialog closed. */
  reset(): void {
    this.#set({
      open: false,
      value: '',
      entry: '',
      invalid: false,
      notice: undefined,
      problem: undefined,
    });
  }

  /** The browser gave back the form value it had kept (history, session restore). */
  restoreValue(value: string): void {
    this.#set({value});
  }

  /** Gets the flow and the code source ready ahead of a click, quietly: a run reports any failure. */
  warmUp(): void {
    this.#loadFlow()
      .then(() => this.#source())
      .catch(() => undefined);
  }

  /**
   * Tells the page what went wrong (`otp-error`, with a stable code) and shows
   * it where the person is looking: in the dialog, else beside the trigger;
   * with a Retry of `again` where trying again can mend it.
   */
  fail(error: unknown, again?: () => unknown): void {
    const known = isOtpStepError(error);
    if (!known) console.error(error);
    const code: OtpErrorCode = known ? error.code : 'source-failed';
    // The messages have no line for the page's own mistakes (a bad attribute, no
    // source), which the person cannot mend: the element shows a generic line, and
    // the developer gets the detail, in the console and in the event.
    const text = (
      this.#options.messages().errors as Partial<Record<OtpErrorCode, string>>
    )[code];
    const message = text ?? (error as Error).message;
    if (text === undefined) console.error(message);
    const wait = known ? error.retryAfterSeconds : undefined;
    const {open} = this.state;
    const retry =
      again && RETRYABLE.has(code)
        ? {at: this.#clock.now() + (wait ?? 0) * 1000, inDialog: open}
        : undefined;
    this.#again = retry && again;
    this.#set({
      busy: false,
      retry,
      ...(open ? {notice: {key: 'error', code}, invalid: true} : {problem: code}),
    });
    fire(this.#host, 'otp-error', {
      code,
      message,
      ...(wait !== undefined ? {retryAfterSeconds: wait} : {}),
    });
  }

  #set(patch: Partial<StepState>, draw = true): void {
    this.state = {...this.state, ...patch, now: this.#clock.now()};
    if (draw) this.#host.requestUpdate();
  }

  #issueOnce(issue: () => Promise<boolean | undefined>): Promise<boolean> {
    return (this.#issuing ??= issue()
      .then((issued) => !!issued)
      .finally(() => (this.#issuing = undefined)));
  }

  /**
   * Runs `task` with a run of its own (run.ts): at once when the flow's code is
   * here (so a confirmation is busy before `confirmCode()` returns), else once
   * it has loaded. Whatever it throws, loading included, is reported by `fail`,
   * unless the run was aborted: then there is nothing to say.
   */
  async #run<T>(
    task: (flow: Flow, run: Run) => Promise<T>,
    again: () => unknown,
  ): Promise<T | undefined> {
    const abort = new AbortController();
    const {signal} = abort;
    this.#runs.add(abort);
    const state = () => this.state;
    const run: Run = {
      signal,
      // The state a run reads is always the latest.
      get state() {
        return state();
      },
      now: () => this.#clock.now(),
      set: (patch, draw) => signal.aborted || this.#set(patch, draw),
      begin: () => this.#begin(abort),
      emit: (type, detail, cancelable) =>
        !signal.aborted && fire(this.#host, type, detail, cancelable),
      drawn: () => this.#host.updateComplete,
      source: () => this.#source(),
      settings: this.#options.sources,
    };
    try {
      return await task(loadedFlow ?? (await this.#loadFlow()), run);
    } catch (error) {
      if (!signal.aborted) this.fail(error, again);
      return undefined;
    } finally {
      this.#runs.delete(abort);
    }
  }

  /** A run's request to the code source starts: the others stop, and the step is busy. */
  #begin(mine: AbortController): void {
    for (const run of this.#runs) if (run !== mine) run.abort();
    const {open, retry} = this.state;
    this.#set({busy: true, retry: undefined}, false);
    // In the open dialog, busy shows at once (Confirm and Resend disabled). A
    // first code, from the trigger, is drawn busy only if it takes long enough
    // to be seen (a backend), so a quick one opens with no redraw before it.
    if (open || retry) this.#host.requestUpdate();
    else
      this.#clock.after(BUSY_SHOWN_AFTER_MS, () => {
        if (this.state.busy && !this.state.open) this.#host.requestUpdate();
      });
  }

  #loadFlow(): Promise<Flow> {
    // The messages come too: a run may have to say what it did.
    const loading = (this.#loadingFlow ??= Promise.all([
      import('./step-flow.js'),
      this.#options.loadMessages?.(),
    ]).then(([flow]) => (loadedFlow = flow)));
    // A load that failed is tried again the next time (a Retry, say).
    loading.catch(() => (this.#loadingFlow = undefined));
    return this.#options.track ? this.#options.track(loading) : loading;
  }

  async #source(): Promise<CodeSource> {
    const {CodeSources} = loadedFlow ?? (await this.#loadFlow());
    this.#sources ??= new CodeSources(this.#options.sources, () =>
      this.fail(new OtpStepError('storage-unavailable')),
    );
    return this.#sources.get();
  }

  /** One second of a countdown: expiry of the pending code, and the milestones spoken. */
  #tick(): void {
    if (!loadedFlow) return;
    const {patch, expired} = loadedFlow.tick(this.state, this.#clock.now());
    this.#set(patch);
    if (expired) fire(this.#host, 'otp-expired', expired);
  }

  /**
   * Reads the delivery status while the open dialog shows a code still queued:
   * a code that could not be sent is said at once, and Resend enabled.
   */
  #syncDelivery(): void {
    const {open, challenge, config} = this.state;
    const code = challenge && `${challenge.requestId}@${challenge.issuedAt}`;
    const wanted =
      this.#host.isConnected &&
      open &&
      !!loadedFlow &&
      !!config &&
      challenge?.status === 'pending' &&
      challenge.delivery === 'queued';
    if (this.#delivery && (!wanted || this.#delivery.code !== code)) {
      this.#delivery.stop();
      this.#delivery = undefined;
    }
    if (!wanted || this.#delivery || !loadedFlow || !config || !code) return;
    const read = async () => {
      const source = await this.#source();
      if (!source.status) return 'unsupported' as const;
      const view = await source.status(config);
      if (view === 'unsupported') return view;
      const now = this.state.challenge;
      if (now?.requestId === view.requestId && now.issuedAt === view.issuedAt) {
        const failed = view.delivery === 'failed' && now.delivery !== 'failed';
        this.#set({challenge: view, ...(failed ? {notice: {key: 'notSent'}} : {})});
      }
      return view.delivery === 'queued' ? ('queued' as const) : ('done' as const);
    };
    this.#delivery = {code, stop: loadedFlow.watchDelivery({clock: this.#clock, read})};
  }

  /** Counts down only while there is something to count: idle and finished elements run no timer. */
  #syncTicking(): void {
    if (this.#host.isConnected && isTicking(this.state, this.#clock.now())) {
      this.#stopTicking ??= this.#clock.everySecond(() => this.#tick());
    } else if (this.#stopTicking) {
      this.#stopTicking();
      this.#stopTicking = undefined;
    }
  }
}
