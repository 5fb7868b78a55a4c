import {LitElement, html, nothing} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import type {ChallengeView, ConfirmOutcome} from './challenge/challenge.js';
import {openChallengeStore} from './challenge/challenge-store.js';
import {cleanCode, isWellFormedCode} from './code/clean-code.js';
import {OtpStepError, type OtpErrorCode} from './errors.js';
import {fire, type StepIdentity} from './events.js';
import {messages} from './messages.js';
import {styles} from './otp-step.styles.js';
import type {CodeSource} from './sources/code-source.js';
import {localCodeSource} from './sources/local-source.js';
import {watchSourceStep} from './step/source-step.js';
import {resolveStepConfig, type StepConfig} from './step/step-config.js';
import {onTick} from './ticker.js';

export type {ChallengeView, ConfirmOutcome} from './challenge/challenge.js';
export type {OtpErrorCode} from './errors.js';
export type * from './events.js';

/**
 * The one-time-code step of a two-factor sign-in in one element: it obtains a
 * code for a user, keeps the pending challenge, shows it in a modal dialog and
 * confirms what the user types.
 *
 * @summary Get and confirm a one-time code for a user.
 *
 * @slot trigger - Replaces the default "Get code" button; a click on it starts the step.
 *
 * @csspart trigger - The default trigger button.
 * @csspart status - Outcome shown beside the trigger ("Code confirmed.").
 * @csspart error - A problem that stopped the step, beside the trigger.
 * @csspart dialog - The modal `<dialog>`.
 * @csspart title - The dialog's heading.
 * @csspart description - What to enter, and for whom.
 * @csspart test-code - The box that shows the ForTestCode.
 * @csspart code - The ForTestCode itself.
 * @csspart copy - The button that copies the ForTestCode.
 * @csspart input - The code input.
 * @csspart timer - The remaining lifetime as text.
 * @csspart progress - The remaining lifetime as a bar.
 * @csspart attempts - Attempts left.
 * @csspart message - What happened to the last attempt; a live region.
 * @csspart actions - The row of buttons.
 * @csspart resend - The Resend button.
 * @csspart confirm - The Confirm button.
 * @csspart close - The Close button.
 *
 * @cssprop --otp-step-accent - Colour of the Confirm button.
 * @cssprop --otp-step-on-accent - Text colour on the accent.
 * @cssprop --otp-step-background - Dialog background.
 * @cssprop --otp-step-color - Text colour.
 * @cssprop --otp-step-border-color - Borders of buttons, input and dialog.
 * @cssprop --otp-step-error-color - Colour of errors and of an invalid input.
 * @cssprop --otp-step-radius - Corner radius of buttons and input.
 * @cssprop --otp-step-dialog-radius - Corner radius of the dialog.
 * @cssprop --otp-step-dialog-padding - Padding of the dialog.
 * @cssprop --otp-step-gap - Space between parts.
 * @cssprop --otp-step-font - Font of the element.
 * @cssprop --otp-step-code-font - Font of the code and the input.
 * @cssprop --otp-step-button-padding - Padding of buttons.
 * @cssprop --otp-step-button-background - Background of buttons.
 * @cssprop --otp-step-backdrop - The dialog's backdrop.
 *
 * @fires otp-request - Before a code is requested (first or resent); cancelable: `preventDefault()` stops it.
 * @fires otp-issued - A code was issued; `forTestCode` holds it where the source gives it out.
 * @fires otp-confirmed - The code was confirmed.
 * @fires otp-rejected - A code was not accepted; `detail.reason` is `invalid`, `expired`, `locked` or `used`, with `attemptsLeft`.
 * @fires otp-expired - The pending code's lifetime ran out.
 * @fires otp-error - Something stopped the step; `detail.code` is stable, `detail.message` readable.
 * @fires step-complete - The step is done (after `otp-confirmed`), so a step chained to it can start.
 */
@customElement('otp-step')
export class OtpStep extends LitElement {
  static override styles = styles;

  private sourcePromise?: Promise<CodeSource>;
  /** The checked parameters the pending challenge was issued under. */
  private activeConfig?: StepConfig;
  private controller?: AbortController;
  private issuing?: Promise<boolean>;
  private stopTicking?: () => void;
  private stopWatchingSource?: () => void;
  private opener?: HTMLElement;

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('input') private input?: HTMLInputElement;

  @state() private challenge?: ChallengeView;
  @state() private now = Date.now();
  /** The dialog's DOM is built on first open, so an idle element costs only its trigger. */
  @state() private dialogBuilt = false;
  @state() private busy = false;
  /** What happened to the last attempt, shown in the dialog. */
  @state() private message = '';
  @state() private invalid = false;
  /** A problem that stopped the step, shown beside the trigger. */
  @state() private errorText = '';
  @state() private statusText = '';

  /** Name of this step, part of what keys its challenge. */
  @property({attribute: 'step-name'}) stepName = '';
  /** Id of the step before this one (an element or a `<form>` in the same root); when it completes, this step starts. */
  @property({attribute: 'source-step'}) sourceStep = '';
  /** Name or ID of the user the code is for. */
  @property() user = '';
  /** The client or application that starts the confirmation. */
  @property() client = '';
  /** Code lifetime: seconds, or `90s`, `5m`, `1h`, `PT5M`; at most 24 hours. */
  @property() lifetime: string | number = 300;
  /** Number of characters in a code, 4 to 10. */
  @property({type: Number}) length = 6;
  /** `numeric`, or `alphanumeric` (upper-case letters and digits without 0/O and 1/I/L). */
  @property() alphabet = 'numeric';
  /** Wrong codes allowed before the challenge locks, across resends. */
  @property({type: Number, attribute: 'max-attempts'}) maxAttempts = 5;
  /** Seconds before a new code can be sent. */
  @property({type: Number, attribute: 'resend-after'}) resendAfter = 30;
  /** How many times a code can be sent again in place of the first. */
  @property({type: Number, attribute: 'max-resends'}) maxResends = 3;
  /** The code obtained (the platform's ForTestCode definition); set only where the source gives the code out. */
  @property({attribute: false}) forTestCode = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.syncSourceWatch();
    this.syncTicker();
    void this.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
    this.stopWatchingSource?.();
    this.stopWatchingSource = undefined;
    this.stopTicking?.();
    this.stopTicking = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A new challenge is shown against the time now, not that of the last tick.
    if (changed.has('challenge')) this.now = Date.now();
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('sourceStep')) this.syncSourceWatch();
    if (changed.has('challenge')) this.syncTicker();
  }

  private syncSourceWatch(): void {
    const root = this.getRootNode();
    if (!this.sourceStep || !this.isConnected) {
      this.stopWatchingSource?.();
      this.stopWatchingSource = undefined;
    } else if (!this.stopWatchingSource) {
      this.stopWatchingSource = watchSourceStep(
        root,
        () => this.sourceStep,
        (output) => {
          if (output.user !== undefined) this.user = output.user;
          if (output.client !== undefined) this.client = output.client;
          void this.requestCode();
        },
      );
    }
  }

  /** Counts down only while a code is pending: idle and finished elements run no timer. */
  private syncTicker(): void {
    const pending = this.isConnected && this.challenge?.status === 'pending';
    if (pending && !this.stopTicking) {
      this.stopTicking = onTick(this.handleTick);
    } else if (!pending && this.stopTicking) {
      this.stopTicking();
      this.stopTicking = undefined;
    }
  }

  private handleTick = (): void => {
    this.now = Date.now();
    const challenge = this.challenge;
    if (challenge?.status === 'pending' && this.now >= challenge.expiresAt) {
      this.challenge = {...challenge, status: 'expired'};
      this.showOutcome(messages.expired, true);
      fire(this, 'otp-expired', {...this.identity(), requestId: challenge.requestId});
    }
  };

  /** After a reload, picks up the challenge left open for this step, user and client. */
  private async restore(): Promise<void> {
    await this.updateComplete;
    if (this.challenge || !this.user.trim()) return;
    const result = resolveStepConfig(this);
    if (!result.ok) return;
    try {
      const view = await (await this.getSource()).pending(result.config);
      if (!view || this.challenge) return;
      this.activeConfig = result.config;
      this.challenge = view;
      await this.show();
    } catch (error) {
      this.reportError(error);
    }
  }

  private getSource(): Promise<CodeSource> {
    this.sourcePromise ??= openChallengeStore().then((store) => {
      if (!store.persistent) this.reportError(new OtpStepError('storage-unavailable'));
      return localCodeSource(store);
    });
    return this.sourcePromise;
  }

  private identity(): StepIdentity {
    const {stepName, user, client} = this.activeConfig ?? this;
    return {stepName, user, client};
  }

  /** Shows a problem where the person is looking and tells the page with `otp-error`. */
  private reportError(error: unknown): void {
    const known = error instanceof OtpStepError;
    if (!known) console.error(error);
    const code: OtpErrorCode = known ? error.code : 'source-failed';
    const message = messages.errors[code];
    if (this.dialog?.open) this.showOutcome(message, true);
    else this.errorText = message;
    fire(this, 'otp-error', {
      code,
      message,
      ...(known && error.retryAfterSeconds !== undefined
        ? {retryAfterSeconds: error.retryAfterSeconds}
        : {}),
    });
  }

  private showOutcome(message: string, invalid: boolean): void {
    this.message = message;
    this.invalid = invalid;
  }

  private async issueCode(): Promise<boolean> {
    const result = resolveStepConfig(this);
    if (!result.ok) {
      this.reportError(new OtpStepError(result.error));
      return false;
    }
    const {config, warnings} = result;
    for (const warning of warnings) console.warn(messages.warnings[warning]);
    const resend = this.challenge?.status === 'pending';
    const identity = {
      stepName: config.stepName,
      user: config.user,
      client: config.client,
    };
    if (!fire(this, 'otp-request', {...identity, resend}, true)) return false;

    this.controller?.abort();
    const {signal} = (this.controller = new AbortController());
    this.busy = true;
    try {
      const {challenge, code} = await (await this.getSource()).issue(config, signal);
      this.activeConfig = config;
      this.challenge = challenge;
      this.forTestCode = code ?? '';
      this.errorText = this.statusText = '';
      this.showOutcome(resend ? messages.issued : '', false);
      if (this.input) this.input.value = '';
      // Open first, so that a page handling otp-issued finds the code on screen.
      await this.show();
      fire(this, 'otp-issued', {
        ...identity,
        requestId: challenge.requestId,
        expiresAt: challenge.expiresAt,
        resendAt: challenge.resendAt,
        attemptsLeft: challenge.attemptsLeft,
      });
      return true;
    } catch (error) {
      if (!signal.aborted) this.reportError(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private handleTriggerClick(): void {
    if (this.challenge?.status === 'pending') void this.show();
    else void this.requestCode();
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.confirmCode(this.input?.value ?? '');
  }

  private handleCancel(event: Event): void {
    // Escape must not close the dialog under a confirmation that is still running.
    if (this.busy) event.preventDefault();
  }

  private handleClose(): void {
    const opener = this.opener;
    this.opener = undefined;
    // Browsers differ on where focus goes when a dialog closes; put it back on what opened it.
    if (opener?.isConnected) opener.focus();
  }

  private async handleCopy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.forTestCode);
      this.showOutcome(messages.copied, false);
    } catch {
      this.reportError(new OtpStepError('copy-failed'));
    }
  }

  /**
   * Obtains a new code for the user (or one in place of the pending code, after
   * the resend cooldown), keeps the challenge, sets `forTestCode` and opens the
   * dialog. Resolves to false when the step did not issue a code; the reason went
   * out as an event.
   */
  requestCode(): Promise<boolean> {
    // A second click while a code is on its way gets the same answer, not a second code.
    this.issuing ??= this.issueCode().finally(() => (this.issuing = undefined));
    return this.issuing;
  }

  /**
   * Confirms what the user typed, once cleaned of spaces, dashes and other
   * separators. Resolves to the outcome, or undefined when the code was not
   * checked (malformed, nothing pending, or a failure reported as `otp-error`).
   */
  async confirmCode(typed: string): Promise<ConfirmOutcome | undefined> {
    const config = this.activeConfig;
    if (!config || !this.challenge) {
      this.reportError(new OtpStepError('no-pending-code'));
      return undefined;
    }
    if (this.busy) return undefined;
    const code = cleanCode(typed, config.alphabet);
    if (!isWellFormedCode(code, config.length, config.alphabet)) {
      this.reportError(new OtpStepError('malformed-code'));
      return undefined;
    }
    const {signal} = (this.controller = new AbortController());
    this.busy = true;
    try {
      const {outcome, challenge} = await (
        await this.getSource()
      ).confirm(config, code, signal);
      const wasPending = this.challenge?.status === 'pending';
      this.challenge = challenge;
      const identity = {...this.identity(), requestId: challenge.requestId};
      if (outcome.status === 'confirmed') {
        this.statusText = messages.confirmed;
        this.showOutcome(messages.confirmed, false);
        fire(this, 'otp-confirmed', identity);
        this.close();
        fire(this, 'step-complete', identity);
      } else {
        const {reason, attemptsLeft} = outcome;
        this.showOutcome(
          reason === 'invalid' ? messages.invalid(attemptsLeft) : messages[reason],
          true,
        );
        fire(this, 'otp-rejected', {...identity, reason, attemptsLeft});
        if (reason === 'expired' && wasPending) fire(this, 'otp-expired', identity);
        if (reason === 'invalid' && this.input) {
          this.input.value = '';
          this.input.focus();
        }
      }
      return outcome;
    } catch (error) {
      if (!signal.aborted) this.reportError(error);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** Opens the dialog. */
  async show(): Promise<void> {
    this.dialogBuilt = true;
    await this.updateComplete;
    const dialog = this.dialog;
    if (!dialog || dialog.open || !this.isConnected) return;
    this.opener = deepActiveElement();
    dialog.showModal();
  }

  /** Closes the dialog; the pending challenge stays and the trigger reopens it. */
  close(): void {
    this.dialog?.close();
  }

  override render() {
    return html`
      <slot name="trigger" @click=${this.handleTriggerClick}>
        <button part="trigger" type="button">${messages.trigger}</button>
      </slot>
      <p part="error" role="alert">${this.errorText}</p>
      <p part="status" role="status">${this.statusText}</p>
      ${this.dialogBuilt ? this.renderDialog() : nothing}
    `;
  }

  private renderDialog() {
    const config = this.activeConfig ?? {
      length: this.length,
      alphabet: 'numeric' as const,
      user: this.user,
    };
    const challenge = this.challenge;
    const pending = challenge?.status === 'pending';
    const secondsLeft = challenge
      ? Math.max(0, (challenge.expiresAt - this.now) / 1000)
      : 0;
    const lifetime = challenge ? (challenge.expiresAt - challenge.issuedAt) / 1000 : 1;
    const resendIn = challenge ? (challenge.resendAt - this.now) / 1000 : 0;
    const canResend =
      !this.busy &&
      !!challenge &&
      challenge.status !== 'locked' &&
      (challenge.status !== 'pending' || (resendIn <= 0 && challenge.resendsLeft > 0));
    return html`
      <dialog
        part="dialog"
        aria-labelledby="title"
        aria-describedby="description"
        @cancel=${this.handleCancel}
        @close=${this.handleClose}
      >
        <form @submit=${this.handleSubmit} novalidate>
          <h2 id="title" part="title">${messages.title}</h2>
          <p id="description" part="description">
            ${messages.description(config.length, config.alphabet, config.user)}
          </p>
          ${
            this.forTestCode
              ? html`<div part="test-code">
                  <span
                    >${messages.testCode} <small>(${messages.testCodeNote})</small>:</span
                  >
                  <output part="code" dir="ltr" aria-label=${messages.testCode}
                    >${this.forTestCode}</output
                  >
                  <button type="button" part="copy" @click=${this.handleCopy}>
                    ${messages.copy}
                  </button>
                </div>`
              : nothing
          }
          <label for="code">${messages.inputLabel(config.length, config.alphabet)}</label>
          <input
            id="code"
            part="input"
            name="code"
            autocomplete="one-time-code"
            inputmode=${config.alphabet === 'numeric' ? 'numeric' : 'text'}
            autocapitalize="characters"
            spellcheck="false"
            dir="ltr"
            autofocus
            aria-invalid=${this.invalid ? 'true' : 'false'}
            aria-describedby="message"
            ?disabled=${!pending}
          />
          <p part="timer">${pending ? messages.expiresIn(secondsLeft) : ''}</p>
          <progress
            part="progress"
            aria-label=${messages.timeLeft}
            max=${lifetime}
            .value=${pending ? secondsLeft : 0}
          ></progress>
          <p part="attempts">
            ${pending ? messages.attemptsLeft(challenge.attemptsLeft) : ''}
          </p>
          <p id="message" part="message" aria-live="polite">${this.message}</p>
          <div part="actions">
            <button
              type="button"
              part="resend"
              ?disabled=${!canResend}
              @click=${this.requestCode}
            >
              ${pending && resendIn > 0 ? messages.resendIn(resendIn) : messages.resend}
            </button>
            <button type="submit" part="confirm" ?disabled=${!pending || this.busy}>
              ${messages.confirm}
            </button>
            <button type="button" part="close" @click=${this.close}>
              ${messages.close}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}

/** The focused element, looking inside shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'otp-step': OtpStep;
  }
}
