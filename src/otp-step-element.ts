import {html, nothing} from 'lit';
import {property} from 'lit/decorators.js';
import type {ConfirmOutcome} from './challenge/challenge.js';
import {Loads} from './controllers/loads.js';
import {WhileController} from './controllers/while-controller.js';
import {defineElement} from './define-element.js';
import type {DialogEventMap} from './dialog/dialog-events.js';
import {StepController} from './flow/step-controller.js';
import {isConfirmed} from './flow/step-state.js';
import {errorText} from './messages/index.js';
import {LanguageController} from './messages/language-controller.js';
import {styles} from './otp-step.styles.js';
import {retryButton} from './retry-button.js';
import {hasCodeSource} from './sources/code-source.js';
import {previousStepOutput, watchPreviousStep} from './step/previous-step.js';
import {StepAttributes} from './step/step-attributes.js';

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
export type {HumanCheck} from './sources/human-check.js';
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
 * @csspart other-channel - "Send by SMS instead" / "Send by e-mail instead": a new code on the other channel the server has for the user.
 * @csspart confirm - The Confirm button.
 * @csspart close - The Close button.
 * @csspart retry - Retry, after a request failed in a way that trying again can mend.
 * @csspart qr - `enroll`: the QR code of the app's `otpauth://` URI, dark on light in either scheme.
 * @csspart secret - `enroll`: the secret, in groups of four, for an app that cannot scan.
 * @csspart copy-secret - `enroll`: copies the secret, without its spaces.
 * @csspart next - `enroll`: from the QR code to the app's first code.
 * @csspart back - `enroll`: back to the QR code.
 * @csspart recovery-codes - `enroll`: the list of recovery codes, shown once.
 * @csspart copy-codes - `enroll`: copies the recovery codes, one a line.
 * @csspart download - `enroll`: downloads the recovery codes as recovery-codes.txt.
 * @csspart done - `enroll`: the recovery codes are saved; closes the dialog.
 * @csspart switch-entry - `method="authenticator"`: "Use a recovery code" / "Use the app's code", a button that reads as a link.
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
 * @fires {CustomEvent<OtpConfirmedDetail>} otp-confirmed - The code was confirmed; `detail.confirmation` carries the server's token in backend mode, `detail.method` says how (`code`, `authenticator` or `recovery-code`).
 * @fires {CustomEvent<OtpEnrolledDetail>} otp-enrolled - `enroll`: an authenticator app was set up for the user (its first code confirmed, the recovery codes shown); `detail.user` only, never the secret or the codes.
 * @fires {CustomEvent<OtpRejectedDetail>} otp-rejected - A code was not accepted; `detail.reason` is `invalid`, `expired`, `locked`, `used` or `canceled`, with `attemptsLeft` (with `method="authenticator"`, `requestId` is empty: no challenge was issued).
 * @fires {CustomEvent<OtpExpiredDetail>} otp-expired - The pending code's lifetime ran out.
 * @fires {CustomEvent<OtpCanceledDetail>} otp-canceled - `cancel()` ended the pending code and closed the dialog.
 * @fires {CustomEvent<OtpErrorDetail>} otp-error - Something stopped the step; `detail.code` is stable, `detail.message` readable.
 * @fires {CustomEvent<StepCompleteDetail>} step-complete - The step is done (after `otp-confirmed`), so a step chained to it can start.
 */
export class OtpStep extends StepAttributes {
  static override styles = styles;

  readonly #loads = new Loads();
  readonly #language = new LanguageController(this, this.#loads.track);
  /** The step's state and its runs: everything the element draws comes from here. */
  readonly #step = new StepController(this, {
    sources: this,
    messages: () => this.#language.current(),
    loadMessages: () => this.#language.want(),
    track: this.#loads.track,
  });
  /**
   * The phase and form value last applied to `:state()` and the form: at first
   * what a new element has already (no state, no value), so a page of idle
   * steps makes no calls for them.
   */
  #applied = 'idle ';
  /** The form was told a value is missing (`required`, and none yet). */
  #missing = false;
  /**
   * The dialog's code, once it was wanted (a pointer or focus on the trigger, a
   * code to show): from then on the dialog is drawn.
   */
  #dialogCode?: Promise<unknown>;

  /** The code obtained (the platform's ForTestCode definition); set only where the source gives the code out. A page may set it too, until the next code. */
  @property({attribute: false})
  get forTestCode(): string {
    return this.#step.state.forTestCode;
  }
  set forTestCode(code: string) {
    this.#step.setTestCode(code);
  }

  /** The server's confirmation token (backend mode) or the confirmed code (demo mode); '' until a code is confirmed. */
  get value(): string {
    return this.#step.state.value;
  }

  constructor() {
    super();
    // The step before this one (source-step) hands on its user and client when it completes.
    new WhileController(
      this,
      () => !!this.sourceStep,
      () =>
        watchPreviousStep(
          this.getRootNode(),
          () => this.sourceStep,
          (output) => {
            if (output.user !== undefined) this.user = output.user;
            if (output.client !== undefined) this.client = output.client;
            // Completed again (a second "Sign in") while its code is pending: that code, again.
            this.#start();
          },
        ),
    );
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#restore();
  }

  /** `updateComplete` also waits for what loads on demand (the pick-up of a challenge left open included), the render it brings, and the dialog's own. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.#loads.busy) {
      await this.#loads.settled();
      done = await super.getUpdateComplete();
    }
    const dialog = this.renderRoot.querySelector('otp-step-dialog') as
      (HTMLElement & {updateComplete?: Promise<boolean>}) | null;
    if (dialog?.updateComplete) await dialog.updateComplete;
    return done;
  }

  protected override willUpdate(): void {
    const {open, retry} = this.#step.state;
    if (open || retry?.inDialog) this.#loadDialog();
  }

  protected override updated(): void {
    const value = this.value;
    const phase = this.#phase();
    const applied = `${phase} ${value}`;
    const valueChanged = applied !== this.#applied;
    if (valueChanged) {
      this.#applied = applied;
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
    const reworded = this.#language.takeChange();
    const missing = this.required && !value;
    if (missing && (reworded || valueChanged || !this.#missing)) {
      this.internals.setValidity(
        {valueMissing: true},
        this.#language.t.required,
        this.renderRoot.querySelector<HTMLElement>('[part~="trigger"]') ?? undefined,
      );
    } else if (!missing && this.#missing) {
      this.internals.setValidity({});
    }
    this.#missing = missing;
  }

  formResetCallback(): void {
    this.#step.reset();
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string') this.#step.restoreValue(state);
  }

  #phase(): 'idle' | 'pending' | 'expired' | 'locked' | 'confirmed' {
    if (this.value) return 'confirmed';
    const status = this.#step.state.challenge?.status;
    // A challenge confirmed before a form reset no longer makes the element
    // confirmed; a canceled one leaves it as if none had been asked for.
    return !status || status === 'confirmed' || status === 'canceled' ? 'idle' : status;
  }

  /** After a reload, picks up the challenge left open for this step, user and client. */
  async #restore(): Promise<void> {
    await this.updateComplete;
    // Without a source there is nothing to pick up; requestCode() says why.
    if (this.#step.state.challenge || !hasCodeSource(this)) return;
    // In a chain the user comes from the step before: a form still holds them
    // after a reload, though it was not submitted again.
    const from = this.user.trim()
      ? undefined
      : previousStepOutput(this.getRootNode(), this.sourceStep);
    const options = {
      ...this.stepOptions(),
      ...(from?.user !== undefined && {user: from.user}),
      ...(from?.client !== undefined && {client: from.client}),
    };
    // No user, no challenge: the flow's code need not load for that.
    if (!options.user.trim()) return;
    // Kept in updateComplete: once it resolves, a challenge left open is on screen.
    const found = await this.#loads.track(this.#step.restore(options));
    // Picked up from the form: the step now holds that user, as a submit would have set.
    if (found && from) ({user: this.user, client: this.client} = found);
  }

  /** Loads the dialog's code, once; until it is here, the dialog drawn is an element still to upgrade. */
  #loadDialog(): void {
    this.#dialogCode ??= this.#loads.track(
      Promise.all([import('./dialog/otp-step-dialog.js'), this.#language.want()]).catch(
        (error: unknown) => {
          // The dialog cannot be shown: the failure goes beside the trigger, with a Retry that tries again.
          this.#dialogCode = undefined;
          this.#step.close();
          this.#step.fail(error, () => this.#step.open());
        },
      ),
    );
    this.requestUpdate();
  }

  /**
   * A pointer over the trigger, or focus on it, comes just before a click: load
   * and draw the dialog and get the code source ready, so the click itself has
   * little left to do.
   */
  #warmUp(): void {
    if (this.#dialogCode) return;
    this.#loadDialog();
    if (hasCodeSource(this)) this.#step.warmUp();
  }

  #handleTriggerClick(): void {
    // Done: a new code only when the page asks for one (requestCode(), a form reset).
    if (!this.value) this.#start();
  }

  /** Shows the code still pending for the step's parameters, or asks for one. */
  #start(): void {
    if (!this.isDisabled) void this.#step.request(this.stepOptions());
  }

  /** Once the code is confirmed, Enter on the trigger goes on to the owning form, as in a text field. */
  #handleTriggerKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && this.value && this.form) {
      event.preventDefault();
      this.form.requestSubmit();
    }
  }

  #handleInput(event: DialogEventMap['dialog-input']): void {
    this.#step.type(event.detail.entry);
  }

  /** Confirmed from Enter: the owning form is submitted, as from a text field. */
  async #handleConfirm(event: DialogEventMap['dialog-confirm']): Promise<void> {
    const {code, submit} = event.detail;
    const outcome = await this.#step.confirm(code);
    if (submit && outcome?.status === 'confirmed') this.form?.requestSubmit();
  }

  #handleRetry(): void {
    void this.#step.retry();
  }

  #handleClose(): void {
    this.#step.close();
  }

  /** Escape must not close the dialog under a confirmation that is still running. */
  #handleCancel(event: DialogEventMap['dialog-cancel']): void {
    if (this.#step.state.busy) event.preventDefault();
    else this.#step.close();
  }

  /**
   * Obtains a new code for the user (or one in place of the pending code, after
   * the resend cooldown), keeps the challenge, sets `forTestCode` and opens the
   * dialog. Resolves to false when the step did not issue a code; the reason went
   * out as an event.
   */
  async requestCode(): Promise<boolean> {
    if (this.isDisabled) return false;
    return this.#step.issue(this.stepOptions());
  }

  /**
   * "Send by SMS instead": a new code on the other channel. The element's
   * `channel` follows, so a later Resend goes where the person chose.
   */
  #handleSwitch = (event: DialogEventMap['dialog-switch']): void => {
    if (this.isDisabled) return;
    this.channel = event.detail.channel;
    void this.#step.issue({...this.stepOptions(), channel: event.detail.channel});
  };

  /** Opens the dialog. */
  async show(): Promise<void> {
    this.#step.open();
    await this.updateComplete;
  }

  /**
   * Confirms what the user typed, once cleaned of spaces, dashes and other
   * separators. Resolves to the outcome, or undefined when the code was not
   * checked (malformed, nothing pending, or a failure reported as `otp-error`).
   */
  confirmCode(typed: string): Promise<ConfirmOutcome | undefined> {
    return this.#step.confirm(typed);
  }

  /** Closes the dialog; the pending challenge stays and the trigger reopens it. */
  close(): void {
    this.#step.close();
  }

  /**
   * Ends the pending code (`POST {endpoint}/codes/{requestId}/cancel` in backend
   * mode), forgets it and closes the dialog, firing `otp-canceled`; a new code
   * may be asked for at once. Closing the dialog does not cancel. Resolves to
   * false when no code was pending, or the cancel failed (reported as `otp-error`).
   */
  cancel(): Promise<boolean> {
    return this.#step.cancel();
  }

  override render() {
    const {state} = this.#step;
    const {t, all, f, lang} = this.#language;
    const confirmed = isConfirmed(state);
    const {challenge, retry, problem} = state;
    const locked = !state.open && challenge?.status === 'locked';
    return html`
      <slot
        name="trigger"
        @pointerover=${this.#warmUp}
        @focusin=${this.#warmUp}
        @click=${this.#handleTriggerClick}
        @keydown=${this.#handleTriggerKeydown}
      >
        <button
          part="trigger"
          type="button"
          ?disabled=${this.isDisabled}
          aria-disabled=${confirmed ? 'true' : nothing}
          aria-busy=${state.busy && !state.open ? 'true' : nothing}
        >
          ${confirmed ? t.triggerConfirmed : t.trigger}
        </button>
      </slot>
      <p part="error" role="alert">
        ${
          problem
            ? errorText(t, problem)
            : // Why the step is locked, and until when, once the dialog is closed.
              // (A lock comes from a run, which brought all the messages.)
              locked && all && f
              ? all.lockedUntil(f.time(challenge.expiresAt))
              : ''
        }
      </p>
      ${retry && !retry.inDialog ? retryButton(state, t, f, this.#handleRetry) : nothing}
      <p part="status" role="status" class=${confirmed ? 'visually-hidden' : ''}>
        ${confirmed ? t.confirmed : ''}
      </p>
      ${
        this.#dialogCode
          ? html`<otp-step-dialog
              .state=${state}
              .messages=${this.#language.all}
              .language=${lang}
              .mask=${this.mask}
              .webOtp=${this.webOtp}
              .noAutoConfirm=${this.noAutoConfirm}
              .size=${this.size}
              .group=${this.group}
              .demo=${this.demo && !this.source && !this.endpoint}
              .pasteTransformer=${this.pasteTransformer}
              @dialog-input=${this.#handleInput}
              @dialog-confirm=${this.#handleConfirm}
              @dialog-resend=${this.requestCode}
              @dialog-switch=${this.#handleSwitch}
              @dialog-retry=${this.#handleRetry}
              @dialog-close=${this.#handleClose}
              @dialog-cancel=${this.#handleCancel}
              @dialog-act=${this.#step}
            ></otp-step-dialog>`
          : nothing
      }
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
