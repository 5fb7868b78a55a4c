import {adoptStyles, type CSSResultOrNative, type ReactiveControllerHost} from 'lit';
import type {DialogActions, StepDialog} from '../dialog/step-dialog.js';
import {OtpStepError} from '../errors.js';
import type {StepFlow, StepFlowHost} from '../flow/step-flow.js';
import {hasCodeSource} from '../sources/code-source.js';
import type {SourceSettings} from '../sources/source-loader.js';

/** The element the loader works for: its settings pick the code source. */
export type LoaderHost = ReactiveControllerHost & HTMLElement & SourceSettings;

/** What the element does with what the flow and the dialog tell it. */
export interface LoaderHooks extends Pick<StepFlowHost, 'emit' | 'messages' | 'changed'> {
  /** The element's own styles, which the dialog's join in its shadow root. */
  styles: CSSResultOrNative;
  /** The dialog's code and styles are here: the element can build it. */
  dialogReady(): void;
  actions: DialogActions;
}

/**
 * Loads on demand what an idle `<otp-step>` does not need: the flow (when a code
 * is asked for, or may be pending after a reload) and the dialog (on a pointer
 * or focus on the trigger, a code to show, a Retry to offer). Keeps every load
 * in `updateComplete` until it settles.
 */
export class StepLoader {
  flow?: StepFlow;
  dialog?: StepDialog;
  private flowLoading?: Promise<StepFlow>;
  private dialogLoading?: Promise<StepDialog>;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly host: LoaderHost,
    private readonly hooks: LoaderHooks,
  ) {}

  /** Whether something is still loading. */
  get loading(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves once what is loading now has settled. */
  settled(): Promise<unknown> {
    return Promise.all(this.pending);
  }

  /** Keeps a load in `loading` until it settles, whichever way. */
  track<T>(loading: Promise<T>): Promise<T> {
    // Each load asks for its own render if it needs one (the messages, the
    // dialog); an idle element that only made its flow is not drawn again.
    const settled: Promise<unknown> = loading.then(
      (): unknown => this.pending.delete(settled),
      (): unknown => this.pending.delete(settled),
    );
    this.pending.add(settled);
    return loading;
  }

  /** Loads the flow's code and makes the step's flow, once. */
  loadFlow(): Promise<StepFlow> {
    const {host, hooks} = this;
    return (this.flowLoading ??= this.track(
      import('../flow/index.js').then(({StepFlow, SourceLoader}) => {
        const sources = new SourceLoader(host, () =>
          this.flow!.report(new OtpStepError('storage-unavailable')),
        );
        return (this.flow = new StepFlow({
          source: () => sources.get(),
          hasSource: () => hasCodeSource(host),
          emit: hooks.emit,
          messages: hooks.messages,
          changed: hooks.changed,
          // The dialog is shown (a modal, open) once its code is here and it is drawn.
          rendered: async () => (
            this.flow!.state.open && (await this.loadDialog()),
            host.updateComplete
          ),
          now: () => Date.now(),
        }));
      }),
    ));
  }

  /** Loads the dialog's code and styles, once. */
  loadDialog(): Promise<StepDialog> {
    const {host, hooks} = this;
    return (this.dialogLoading ??= this.track(
      Promise.all([this.loadFlow(), import('../dialog/step-dialog.js')]).then(
        ([flow, {StepDialog, dialogStyles}]) => {
          adoptStyles(host.shadowRoot!, [hooks.styles, dialogStyles]);
          this.dialog = new StepDialog(host, flow, hooks.actions);
          hooks.dialogReady();
          return this.dialog;
        },
      ),
    ));
  }

  /**
   * Runs `run` on the flow: at once when it is here (so a confirmation is
   * running, busy, before `confirmCode()` returns), else once its code has
   * loaded. Code that cannot load is reported as any failure.
   */
  useFlow<T>(run: (flow: StepFlow) => T | Promise<T>): Promise<T | undefined> {
    if (this.flow) return Promise.resolve(run(this.flow));
    return this.loadFlow().then(run, (error: unknown) => {
      console.error(error);
      this.hooks.emit('otp-error', {
        code: 'source-failed',
        message: this.hooks.messages().errors['source-failed'],
      });
      return undefined;
    });
  }
}
