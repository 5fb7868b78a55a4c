import {html, nothing, type PropertyValues} from 'lit';
import {state} from 'lit/decorators.js';
import type {ConfirmOutcome} from './challenge/challenge.js';
import {fire} from './events.js';
import {StepAttributes} from './step/step-attributes.js';
import type {DialogSettings, StepDialog} from './dialog/step-dialog.js';
import type {StepFlow} from './flow/step-flow.js';
import {errorText} from './messages/index.js';
import {LanguageController} from './messages/language-controller.js';
import {styles} from './otp-step.styles.js';
import {hasCodeSource} from './sources/code-source.js';
import {currentSourceOutput, watchSourceStep} from './step/source-step.js';
import {resolveStepConfig} from './step/step-config.js';
import {StepLoader} from './step/step-loader.js';
import {onTick} from './ticker.js';
import {WhileController} from './controllers/while-controller.js';
import {defineElement} from './define-element.js';

export type {
  ChallengeStatus,
  ChallengeView,
  ConfirmOutcome,
  RejectReason,
} from './challenge/challenge.js';
export type {AlphabetName} from './code/alphabets.js';
export {OtpStepError} from './errors.js';
export type {OtpErrorCode} from './errors.js';
export type {StepConfig} from './step/step-config.js';
export type {CodeSource, IssuedCode} from './sources/code-source.js';
export type * from './events.js';
export type {CodeShape, Format, OtpStepMessages} from './messages/index.js';
/** Sets a value apart in a sentence of a page's own messages (FSI … PDI), as the built-in ones do. */
export {isolate} from './messages/isolate.js';

/**
 * The one-time-code step of a two-factor sign-in in one element: it obtains a
 * code for a user, keeps the pending challenge, shows it in a modal dialog and
 * confirms what the user types. Form-associated: its value is the server's
 * confirmation token (backend mode) or the confirmed code (demo mode).
 *
 * @summary Get and confirm a one-time code for a user.
 *
 * @tagname otp-step
 *
 * @slot trigger - Replaces the default "Get code" button; a click on it starts the step.
 *
 * @csspart trigger - The default trigger button.
 * @csspart status - Outcome shown beside the trigger ("Code confirmed.").
 * @csspart error - A problem that stopped the step, beside the trigger.
 * @csspart dialog - The modal `<dialog>`.
 * @csspart title - The dialog's heading.
 * @csspart description - What to enter, and for whom.
 * @csspart demo-note - In demo mode: says that codes are made and checked in this browser.
 * @csspart test-code - The box that shows the ForTestCode.
 * @csspart code - The ForTestCode itself.
 * @csspart copy - The button that copies the ForTestCode.
 * @csspart label - The input's label ("6-digit code").
 * @csspart entry - The input with the boxes drawn under it.
 * @csspart input - The one real `<input>` that carries the code; transparent, over the boxes.
 * @csspart boxes - The row of boxes.
 * @csspart box - One character's box; also `box-filled`, and `box-active` for the caret's.
 * @csspart caret - The caret drawn in the active box.
 * @csspart timer - The remaining lifetime as text.
 * @csspart progress - The remaining lifetime as a bar.
 * @csspart attempts - Attempts left.
 * @csspart message - What happened to the last attempt; a live region.
 * @csspart actions - The row of buttons.
 * @csspart resend - The Resend button.
 * @csspart confirm - The Confirm button.
 * @csspart close - The Close button.
 * @csspart retry - Retry, after a request failed in a way that trying again can mend.
 *
 * @cssprop --otp-step-accent - Colour of the Confirm button, the active box and the progress bar.
 * @cssprop --otp-step-on-accent - Text colour on the accent.
 * @cssprop --otp-step-background - Background of the dialog and the boxes.
 * @cssprop --otp-step-color - Text colour.
 * @cssprop --otp-step-border-color - Borders of buttons, boxes and dialog.
 * @cssprop --otp-step-error-color - Colour of errors and of boxes holding a wrong code.
 * @cssprop --otp-step-success-color - Colour of the confirmed trigger and of success messages.
 * @cssprop --otp-step-radius - Corner radius of buttons and boxes.
 * @cssprop --otp-step-dialog-radius - Corner radius of the dialog.
 * @cssprop --otp-step-dialog-padding - Padding of the dialog.
 * @cssprop --otp-step-gap - Space between parts.
 * @cssprop --otp-step-font - Font of the element.
 * @cssprop --otp-step-code-font - Font of the code and the boxes.
 * @cssprop --otp-step-box-size - Width of a box (its height follows); set by `size` unless given.
 * @cssprop --otp-step-button-padding - Padding of buttons.
 * @cssprop --otp-step-button-background - Background of buttons.
 * @cssprop --otp-step-backdrop - The dialog's backdrop.
 *
 * @cssstate confirmed - The code was confirmed; the element's value is set.
 * @cssstate expired - The pending code expired.
 * @cssstate locked - Too many wrong codes.
 *
 * @fires {CustomEvent<OtpRequestDetail>} otp-request - Before a code is requested (first or resent); cancelable: `preventDefault()` stops it.
 * @fires {CustomEvent<OtpIssuedDetail>} otp-issued - A code was issued and the dialog shows it; `forTestCode` holds it where the source gives it out.
 * @fires {CustomEvent<OtpConfirmedDetail>} otp-confirmed - The code was confirmed; `detail.confirmation` carries the server's token in backend mode.
 * @fires {CustomEvent<OtpRejectedDetail>} otp-rejected - A code was not accepted; `detail.reason` is `invalid`, `expired`, `locked` or `used`, with `attemptsLeft`.
 * @fires {CustomEvent<OtpExpiredDetail>} otp-expired - The pending code's lifetime ran out.
 * @fires {CustomEvent<OtpErrorDetail>} otp-error - Something stopped the step; `detail.code` is stable, `detail.message` readable.
 * @fires {CustomEvent<StepCompleteDetail>} step-complete - The step is done (after `otp-confirmed`), so a step chained to it can start.
 */
export class OtpStep extends StepAttributes {
  static override styles = styles;

  /** The flow and the dialog, loaded when first needed. */
  private readonly parts = new StepLoader(this, {
    styles,
    emit: (type, detail, cancelable) => fire(this, type, detail, cancelable),
    messages: () => this.language.t,
    changed: () => this.handleFlowChange(),
    dialogReady: () => (this.dialogBuilt = true),
    actions: {
      resend: () => void this.requestCode(),
      submitForm: () => this.form?.requestSubmit(),
    },
  });
  /** The code the flow last gave out, so a `forTestCode` set by the page stays until a new one. */
  private issuedCode = '';
  /** The phase and form value last applied to `:state()` and the form. */
  private applied?: string;
  private readonly language = new LanguageController(this, (loading) =>
    this.parts.track(loading),
  );

  /** The dialog's DOM is built once its code is here, so an idle element costs only its trigger. */
  @state() private dialogBuilt = false;

  /** The server's confirmation token (backend mode) or the confirmed code (demo mode); '' until a code is confirmed. */
  get value(): string {
    return this.flow?.state.value ?? '';
  }

  constructor() {
    super();
    // Counts down only while the flow has something to count: idle and finished
    // elements run no timer. (A change of the flow's state renders, and is seen then.)
    new WhileController(
      this,
      () => !!this.flow?.ticking,
      () => onTick(() => this.flow?.tick()),
    );
    // The step before this one (source-step) hands on its user and client when it completes.
    new WhileController(
      this,
      () => !!this.sourceStep,
      () =>
        watchSourceStep(
          this.getRootNode(),
          () => this.sourceStep,
          (output) => {
            if (output.user !== undefined) this.user = output.user;
            if (output.client !== undefined) this.client = output.client;
            // Completed again (a second "Sign in") while its code is pending: that code, again.
            this.reopenOrRequest();
          },
        ),
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.flow?.abort();
  }

  /** `updateComplete` also waits for what loads on demand, and the render it brings. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.parts.loading) {
      await this.parts.settled();
      done = await super.getUpdateComplete();
    }
    return done;
  }

  protected override updated(changed: PropertyValues): void {
    const value = this.value;
    const phase = this.phase();
    const applied = `${phase} ${value}`;
    const valueChanged = applied !== this.applied;
    if (valueChanged) {
      this.applied = applied;
      for (const name of ['confirmed', 'expired', 'locked'] as const) {
        // CustomStateSet throws on old engines; the states are an extra there.
        try {
          if (phase === name) this.internals.states.add(name);
          else this.internals.states.delete(name);
        } catch {
          /* no :state() here */
        }
      }
      this.internals.setFormValue(value || null, value);
    }
    if (this.language.takeChange() || valueChanged || changed.has('required')) {
      if (this.required && !value) {
        this.internals.setValidity(
          {valueMissing: true},
          this.language.t.required,
          this.renderRoot.querySelector<HTMLElement>('[part~="trigger"]') ?? undefined,
        );
      } else {
        this.internals.setValidity({});
      }
    }
  }

  formResetCallback(): void {
    this.dialog?.close();
    this.flow?.reset();
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string')
      void this.parts.useFlow((flow) => flow.restoreValue(state));
  }

  /** The step's flow, once its code has loaded. */
  private get flow(): StepFlow | undefined {
    return this.parts.flow;
  }

  /** The dialog, once its code has loaded. */
  private get dialog(): StepDialog | undefined {
    return this.parts.dialog;
  }

  private handleFlowChange(): void {
    const {state} = this.flow!;
    // The page may set forTestCode itself (the platform's execute-script step); a new code replaces it.
    if (state.forTestCode !== this.issuedCode)
      this.forTestCode = this.issuedCode = state.forTestCode;
    // An open dialog or a Retry to offer needs the dialog's code.
    if ((state.open || state.retry) && !this.dialog)
      void this.parts.loadDialog().catch(() => {});
    this.requestUpdate();
  }

  private phase(): 'idle' | 'pending' | 'expired' | 'locked' | 'confirmed' {
    if (this.value) return 'confirmed';
    const status = this.flow?.state.challenge?.status;
    // A challenge confirmed before a form reset no longer makes the element confirmed.
    return !status || status === 'confirmed' ? 'idle' : status;
  }

  /** After a reload, picks up the challenge left open for this step, user and client. */
  private async restore(): Promise<void> {
    await this.updateComplete;
    // Without a source there is nothing to pick up; requestCode() says why.
    if (this.flow?.state.challenge || !hasCodeSource(this)) return;
    // In a chain the user comes from the step before: a form still holds them
    // after a reload, though it was not submitted again.
    const from = this.user.trim()
      ? undefined
      : currentSourceOutput(this.getRootNode(), this.sourceStep);
    const checked = resolveStepConfig({
      ...this.stepOptions(),
      ...(from?.user !== undefined && {user: from.user}),
      ...(from?.client !== undefined && {client: from.client}),
    });
    if (!checked.ok) return;
    const found = await this.parts.useFlow((flow) => flow.restore(checked.config));
    // Picked up from the form: the step now holds that user, as a submit would have set.
    if (found && from) ({user: this.user, client: this.client} = checked.config);
  }

  /**
   * A pointer over the trigger, or focus on it, comes just before a click: load
   * and build the dialog and the code source, and the language's Intl formats
   * (slow the first time), so the click itself has little left to do.
   */
  private warmUp(): void {
    void this.parts.loadDialog().then(
      async (dialog) => {
        await this.updateComplete;
        dialog.warmUp(this.dialogSettings());
        if (hasCodeSource(this)) this.flow!.warmUp();
      },
      () => {},
    );
  }

  /** What the dialog shows besides the flow's state. */
  private dialogSettings(): DialogSettings {
    const {t, lang} = this.language;
    return {
      t,
      lang,
      forTestCode: this.forTestCode,
      mask: this.mask,
      webOtp: this.webOtp,
      noAutoConfirm: this.noAutoConfirm,
      size: this.size,
      demo: this.demo && !this.source && !this.endpoint,
      pasteTransformer: this.pasteTransformer,
    };
  }

  private handleTriggerClick(): void {
    // Done: a new code only when the page asks for one (requestCode(), a form reset).
    if (!this.flow?.state.value) this.reopenOrRequest();
  }

  /** Shows the code still pending for the step's parameters, or asks for one. */
  private reopenOrRequest(): void {
    const {challenge, config} = this.flow?.state ?? {};
    const same =
      config?.stepName === this.stepName &&
      config.user === this.user.trim() &&
      config.client === this.client.trim();
    if (same && challenge?.status === 'pending') void this.show();
    else void this.requestCode();
  }

  /** Once the code is confirmed, Enter on the trigger goes on to the owning form, as in a text field. */
  private handleTriggerKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && this.value && this.form) {
      event.preventDefault();
      this.form.requestSubmit();
    }
  }

  /**
   * Obtains a new code for the user (or one in place of the pending code, after
   * the resend cooldown), keeps the challenge, sets `forTestCode` and opens the
   * dialog. Resolves to false when the step did not issue a code; the reason went
   * out as an event.
   */
  async requestCode(): Promise<boolean> {
    if (this.isDisabled) return false;
    return !!(await this.parts.useFlow((flow) => flow.issue(resolveStepConfig(this))));
  }

  /** Opens the dialog. */
  async show(): Promise<void> {
    await this.parts.useFlow((flow) => flow.open());
    await this.updateComplete;
  }

  /**
   * Confirms what the user typed, once cleaned of spaces, dashes and other
   * separators. Resolves to the outcome, or undefined when the code was not
   * checked (malformed, nothing pending, or a failure reported as `otp-error`).
   */
  async confirmCode(typed: string): Promise<ConfirmOutcome | undefined> {
    return this.parts.useFlow((flow) => flow.confirm(typed));
  }

  /** Closes the dialog; the pending challenge stays and the trigger reopens it. */
  close(): void {
    if (this.dialog) this.dialog.close();
    else this.flow?.close();
  }

  override render() {
    const state = this.flow?.state;
    const {dialog} = this;
    const {t, lang} = this.language;
    // Confirmed in this page (not a value the browser gave back): the trigger says so.
    const confirmed = !!state?.value && state.challenge?.status === 'confirmed';
    return html`
      <slot
        name="trigger"
        @pointerover=${this.warmUp}
        @focusin=${this.warmUp}
        @click=${this.handleTriggerClick}
        @keydown=${this.handleTriggerKeydown}
      >
        <button
          part="trigger"
          type="button"
          ?disabled=${this.isDisabled}
          aria-disabled=${confirmed ? 'true' : nothing}
          aria-busy=${state?.busy && !state.open ? 'true' : nothing}
        >
          ${confirmed ? t.triggerConfirmed : t.trigger}
        </button>
      </slot>
      <p part="error" role="alert">
        ${state?.problem ? errorText(t, state.problem) : (dialog?.triggerNote({t, lang}) ?? '')}
      </p>
      ${state?.retry && !state.retry.inDialog && dialog ? dialog.renderRetry({t, lang}) : nothing}
      <p part="status" role="status" class=${confirmed ? 'visually-hidden' : ''}>
        ${confirmed ? t.confirmed : ''}
      </p>
      ${this.dialogBuilt && dialog ? dialog.render(this.dialogSettings()) : nothing}
    `;
  }
}

/**
 * Defines `<otp-step>`, or the step under another name or in another registry
 * (a scoped one), and returns its constructor. Importing `otp-step` does this
 * for the usual name; `otp-step/class` leaves it to the page.
 */
export function define(
  name = 'otp-step',
  registry: CustomElementRegistry = customElements,
): typeof OtpStep {
  return defineElement(OtpStep, name, registry);
}

declare global {
  interface HTMLElementTagNameMap {
    'otp-step': OtpStep;
  }
}
