import {LitElement, adoptStyles, html, nothing, type PropertyValues} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import type {ChallengeView, ConfirmOutcome} from './challenge/challenge.js';
import {openChallengeStore, type ChallengeStore} from './challenge/challenge-store.js';
import type {CodeText} from './code/code-editing.js';
import {OtpStepError, type OtpErrorCode} from './errors.js';
import {fire, type StepIdentity} from './events.js';
import {
  loadMessages,
  messagesFor,
  type CodeShape,
  type OtpStepMessages,
} from './messages/index.js';
import {styles} from './otp-step.styles.js';
import type {CodeSource} from './sources/code-source.js';
import {watchSourceStep} from './step/source-step.js';
import {resolveStepConfig, type StepConfig} from './step/step-config.js';
import {onTick} from './ticker.js';

export type {ChallengeView, ConfirmOutcome} from './challenge/challenge.js';
export type {OtpErrorCode} from './errors.js';
export type {CodeSource, IssuedCode} from './sources/code-source.js';
export type * from './events.js';
export type {CodeShape, Format, OtpStepMessages} from './messages/index.js';

/** What the step is doing, as the page can style it with `:state()`. */
type Phase = 'idle' | 'pending' | 'expired' | 'locked' | 'confirmed';

/**
 * The one-time-code step of a two-factor sign-in in one element: it obtains a
 * code for a user, keeps the pending challenge, shows it in a modal dialog and
 * confirms what the user types. Form-associated: its value is the server's
 * confirmation token (backend mode) or the confirmed code (demo mode).
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
 * @fires otp-request - Before a code is requested (first or resent); cancelable: `preventDefault()` stops it.
 * @fires otp-issued - A code was issued and the dialog shows it; `forTestCode` holds it where the source gives it out.
 * @fires otp-confirmed - The code was confirmed; `detail.confirmation` carries the server's token in backend mode.
 * @fires otp-rejected - A code was not accepted; `detail.reason` is `invalid`, `expired`, `locked` or `used`, with `attemptsLeft`.
 * @fires otp-expired - The pending code's lifetime ran out.
 * @fires otp-error - Something stopped the step; `detail.code` is stable, `detail.message` readable.
 * @fires step-complete - The step is done (after `otp-confirmed`), so a step chained to it can start.
 */
@customElement('otp-step')
export class OtpStep extends LitElement {
  static override styles = styles;
  static formAssociated = true;

  private readonly internals = this.attachInternals();
  private storePromise?: Promise<ChallengeStore>;
  private localSource?: CodeSource;
  private httpSource?: CodeSource;
  /** @internal The checked parameters the pending challenge was issued under. */
  activeConfig?: StepConfig;
  /** @internal */ controller?: AbortController;
  private issuing?: Promise<boolean>;
  /** @internal The pending WebOTP request, aborted when the code no longer needs it. */
  smsRequest?: AbortController;
  private stopTicking?: () => void;
  private stopWatchingSource?: () => void;
  /** @internal */ opener?: HTMLElement;
  /** @internal Set when Enter confirmed the code: once confirmed, the owning form is submitted. */
  submitFormOnConfirm = false;
  /** @internal The language `t` is for; the messages are rebuilt only when it changes. */
  messagesLang?: string;
  private languageChanged = false;
  /** The built-in messages of the element's language, while they load. */
  private messagesLoading?: Promise<unknown>;
  /** The dialog's code, while it loads. */
  private dialogLoading?: Promise<typeof import('./dialog/otp-dialog.js')>;
  /** @internal */ t: OtpStepMessages = messagesFor('en');

  /** @internal */
  @query('dialog') dialog?: HTMLDialogElement;
  /** @internal */
  @query('input') input?: HTMLInputElement;

  /** @internal */
  @state() challenge?: ChallengeView;
  /** @internal */
  @state() now = Date.now();
  /** The dialog's DOM is built on first open, so an idle element costs only its trigger. */
  @state() private dialogBuilt = false;
  /** The dialog's code, loaded when first needed. */
  @state() private dialogView?: typeof import('./dialog/otp-dialog.js');
  /** @internal */
  @state() busy = false;
  /** @internal The code as typed so far, with the caret, as the boxes draw it. */
  @state() entry: CodeText = {value: '', start: 0, end: 0};
  /** @internal What happened to the last attempt, shown in the dialog. */
  @state() message = '';
  /** @internal */
  @state() invalid = false;
  /** @internal The countdown at its milestones, for screen readers only. */
  @state() announcement = '';
  /** @internal A problem that stopped the step, shown beside the trigger. */
  @state() errorText = '';
  /** @internal */
  @state() statusText = '';
  /** @internal The element's form value: the server's confirmation token, or in demo mode the confirmed code. */
  @state() confirmedCode = '';
  /** @internal What a Retry button would do again, where it shows, and from when. */
  @state() retry?: {run: () => unknown; inDialog: boolean; at: number};
  /** @internal */
  @state() formDisabled = false;

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
  /** `numeric`, or `alphanumeric` (Crockford's Base32: digits and letters without I, L, O, U). */
  @property() alphabet = 'numeric';
  /** Wrong codes allowed before the challenge locks, across resends. */
  @property({type: Number, attribute: 'max-attempts'}) maxAttempts = 5;
  /** Seconds before a new code can be sent. */
  @property({type: Number, attribute: 'resend-after'}) resendAfter = 30;
  /** How many times a code can be sent again in place of the first. */
  @property({type: Number, attribute: 'max-resends'}) maxResends = 3;
  /** The code obtained (the platform's ForTestCode definition); set only where the source gives the code out. */
  @property({attribute: false}) forTestCode = '';
  /** Shows • in the boxes instead of the characters typed. */
  @property({type: Boolean}) mask = false;
  /** Do not confirm by itself once every box is filled; wait for Enter or Confirm. */
  @property({type: Boolean, attribute: 'no-auto-confirm'}) noAutoConfirm = false;
  /** Fill in a code that arrives by SMS, through the WebOTP API where the browser has it. */
  @property({type: Boolean, attribute: 'web-otp'}) webOtp = false;
  /** Box size: `small`, `medium` or `large`. */
  @property({reflect: true}) size: 'small' | 'medium' | 'large' = 'medium';
  /** Name under which the confirmed code is submitted with the owning form. */
  @property({reflect: true}) name = '';
  /** The owning form cannot be submitted until a code is confirmed. */
  @property({type: Boolean, reflect: true}) required = false;
  /** The step cannot be started. */
  @property({type: Boolean, reflect: true}) disabled = false;
  /** Turns pasted or autofilled text into the code; by default the code is taken out of it ("Your code is 123 456"). */
  @property({attribute: false}) pasteTransformer?: (text: string) => string;
  /** Base URL of a backend speaking docs/protocol.md: where production codes come from. */
  @property() endpoint = '';
  /** Codes made and checked in this browser by the local demo generator, for demos and tests; used only without `endpoint` and `source`. Without any of the three, no code is issued. */
  @property({type: Boolean}) demo = false;
  /** Seconds to wait for the backend before giving up. */
  @property({type: Number}) timeout = 10;
  /** Whether requests to the backend carry cookies: `same-origin`, `include` or `omit`. */
  @property() credentials: RequestCredentials = 'same-origin';
  /** Headers sent with every backend request, such as a CSRF or bearer token. */
  @property({attribute: false}) headers: Record<string, string> = {};
  /** A code source of the page's own (any backend: Twilio Verify, AWS, in-house); wins over `endpoint`. */
  @property({attribute: false}) source?: CodeSource;
  /** The page's own messages, for a language the element does not have or to reword it. */
  @property({attribute: false}) messages?: Partial<OtpStepMessages>;

  /** The server's confirmation token (backend mode) or the confirmed code (demo mode); '' until a code is confirmed. */
  get value(): string {
    return this.confirmedCode;
  }

  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.syncSourceWatch();
    this.syncTicker();
    void this.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.controller?.abort();
    this.smsRequest?.abort();
    this.stopWatchingSource?.();
    this.stopWatchingSource = undefined;
    this.stopTicking?.();
    this.stopTicking = undefined;
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A new challenge or retry is shown against the time now, not that of the last tick.
    if (changed.has('challenge') || changed.has('retry')) this.now = Date.now();
    // Rendering runs every second during a countdown: rebuild the messages only
    // when the language or the page's messages change.
    const lang = languageOf(this);
    if (lang !== this.messagesLang || changed.has('messages')) {
      this.messagesLang = lang;
      const loading = loadMessages(lang);
      // English until they arrive; then render again in the element's language.
      if (loading) {
        this.messagesLoading = loading.then(() => {
          this.messagesLang = this.messagesLoading = undefined;
          this.requestUpdate();
        });
      }
      this.t = messagesFor(lang, this.messages);
      this.languageChanged = true;
    }
  }

  /** `updateComplete` also waits for what loads on demand: the language's messages, the dialog's code. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    // What loads on demand (messages, the dialog's code), then the render it brings.
    while (this.messagesLoading || this.dialogLoading) {
      await Promise.all([this.messagesLoading, this.dialogLoading]);
      done = await super.getUpdateComplete();
    }
    return done;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('sourceStep')) this.syncSourceWatch();
    if (changed.has('challenge') || changed.has('retry')) this.syncTicker();
    if (changed.has('confirmedCode') || changed.has('challenge')) {
      const phase = this.phase();
      for (const name of ['confirmed', 'expired', 'locked'] as const) {
        // CustomStateSet throws on old engines; the states are an extra there.
        try {
          if (phase === name) this.internals.states.add(name);
          else this.internals.states.delete(name);
        } catch {
          /* no :state() here */
        }
      }
      this.internals.setFormValue(this.confirmedCode || null, this.confirmedCode);
    }
    if (changed.has('confirmedCode') || changed.has('required') || this.languageChanged) {
      this.languageChanged = false;
      if (this.required && !this.confirmedCode) {
        this.internals.setValidity(
          {valueMissing: true},
          this.t.required,
          this.renderRoot.querySelector<HTMLElement>('[part~="trigger"]') ?? undefined,
        );
      } else {
        this.internals.setValidity({});
      }
    }
  }

  formResetCallback(): void {
    this.close();
    this.confirmedCode = this.statusText = this.errorText = this.message = '';
    this.clearEntry();
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string') this.confirmedCode = state;
  }

  /** Loads the dialog's code and styles, once. */
  private loadDialog(): Promise<typeof import('./dialog/otp-dialog.js')> {
    if (this.dialogView) return Promise.resolve(this.dialogView);
    return (this.dialogLoading ??= import('./dialog/otp-dialog.js').then((view) => {
      adoptStyles(this.renderRoot as ShadowRoot, [styles, view.dialogStyles]);
      this.dialogLoading = undefined;
      return (this.dialogView = view);
    }));
  }

  /** @internal Empties the code input and its boxes. */
  clearEntry(): void {
    this.entry = {value: '', start: 0, end: 0};
    if (this.input) this.input.value = '';
  }

  private phase(): Phase {
    if (this.confirmedCode) return 'confirmed';
    const status = this.challenge?.status;
    // A challenge confirmed before a form reset no longer makes the element confirmed.
    return !status || status === 'confirmed' ? 'idle' : status;
  }

  private syncSourceWatch(): void {
    if (!this.sourceStep || !this.isConnected) {
      this.stopWatchingSource?.();
      this.stopWatchingSource = undefined;
    } else if (!this.stopWatchingSource) {
      this.stopWatchingSource = watchSourceStep(
        this.getRootNode(),
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
    const pending =
      this.isConnected &&
      (this.challenge?.status === 'pending' ||
        (!!this.retry && this.retry.at > Date.now()));
    if (pending && !this.stopTicking) {
      this.stopTicking = onTick(this.handleTick);
    } else if (!pending && this.stopTicking) {
      this.stopTicking();
      this.stopTicking = undefined;
    }
  }

  private handleTick = (): void => {
    const before = this.now;
    this.now = Date.now();
    // Ticking only for a Retry countdown: stop once it is over.
    if (this.challenge?.status !== 'pending') return this.syncTicker();
    // A pending code is always shown, so the dialog's code is here to count it down.
    this.dialogView?.tick.call(this, before);
  };

  /** After a reload, picks up the challenge left open for this step, user and client. */
  private async restore(): Promise<void> {
    await this.updateComplete;
    // Without a source there is nothing to pick up; requestCode() says why.
    if (
      this.challenge ||
      !this.user.trim() ||
      !(this.source || this.endpoint || this.demo)
    )
      return;
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

  /** @internal The page's source, else the backend at `endpoint`, else, with `demo`, the local demo generator. */
  async getSource(): Promise<CodeSource> {
    if (this.source) return this.source;
    if (!this.endpoint && !this.demo) throw new OtpStepError('no-source');
    this.storePromise ??= openChallengeStore().then((store) => {
      if (!store.persistent) this.reportError(new OtpStepError('storage-unavailable'));
      return store;
    });
    const store = await this.storePromise;
    // Each source is loaded when first used: an idle element, or a page in
    // backend mode, never pays for the other.
    if (!this.endpoint) {
      const {localCodeSource} = await import('./sources/local-source.js');
      return (this.localSource ??= localCodeSource(store));
    }
    const {httpCodeSource} = await import('./sources/http-source.js');
    return (this.httpSource ??= httpCodeSource(store, () => ({
      endpoint: this.endpoint,
      timeout: this.timeout,
      credentials: this.credentials,
      headers: this.headers,
    })));
  }

  /** @internal */
  identity(): StepIdentity {
    const {stepName, user, client} = this.activeConfig ?? this;
    return {stepName, user, client};
  }

  /** @internal */
  shape(): CodeShape & {alphabet: StepConfig['alphabet']} {
    const config = this.activeConfig;
    const alphabet =
      config?.alphabet ?? (this.alphabet === 'alphanumeric' ? 'alphanumeric' : 'numeric');
    return {
      length: config?.length ?? this.length,
      numeric: alphabet === 'numeric',
      alphabet,
    };
  }

  /** @internal Reports a failed request and, where trying again can help, offers a Retry button for it. */
  fail(error: unknown, again: () => unknown): void {
    this.reportError(error);
    const inDialog = !!this.dialog?.open;
    // Whether Retry can help, and its button, are the dialog's code.
    const offer = (view: typeof import('./dialog/otp-dialog.js')) =>
      view.offerRetry.call(this, error, again, inDialog);
    if (this.dialogView) offer(this.dialogView);
    else void this.loadDialog().then(offer);
  }

  /** @internal Shows a problem where the person is looking and tells the page with `otp-error`. */
  reportError(error: unknown): void {
    const known = error instanceof OtpStepError;
    if (!known) console.error(error);
    const code: OtpErrorCode = known ? error.code : 'source-failed';
    // The messages have no line for the page's own mistakes (a bad attribute, no
    // source), which the person cannot mend: they get a generic line, and the
    // developer the detail, in the console and in the event.
    const text = (this.t.errors as Partial<Record<OtpErrorCode, string>>)[code];
    const message = text ?? (error as Error).message;
    if (text === undefined) console.error(message);
    const shown = text ?? this.t.misconfigured;
    if (this.dialog?.open) this.showOutcome(shown, true);
    else this.errorText = shown;
    fire(this, 'otp-error', {
      code,
      message,
      ...(known && error.retryAfterSeconds !== undefined
        ? {retryAfterSeconds: error.retryAfterSeconds}
        : {}),
    });
  }

  /** @internal */
  showOutcome(message: string, invalid: boolean): void {
    this.message = message;
    this.invalid = invalid;
  }

  /**
   * A pointer over the trigger, or focus on it, comes just before a click: load
   * the dialog's code and the code source, and build the language's Intl
   * formats (slow the first time), so the click itself has little left to do.
   */
  private warmUp(): void {
    void this.loadDialog().then((view) => view.warmUp.call(this));
  }

  private handleTriggerClick(): void {
    if (this.challenge?.status === 'pending' && !this.confirmedCode) void this.show();
    else void this.requestCode();
  }

  /**
   * Obtains a new code for the user (or one in place of the pending code, after
   * the resend cooldown), keeps the challenge, sets `forTestCode` and opens the
   * dialog. Resolves to false when the step did not issue a code; the reason went
   * out as an event.
   */
  requestCode(): Promise<boolean> {
    // A second click while a code is on its way gets the same answer, not a second code.
    this.issuing ??= this.loadDialog()
      .then((view) => view.issueCode.call(this))
      .catch((error: unknown) => (this.reportError(error), false))
      .finally(() => (this.issuing = undefined));
    return this.issuing;
  }

  /** Opens the dialog. */
  async show(): Promise<void> {
    const view = await this.loadDialog();
    this.dialogBuilt = true;
    await this.updateComplete;
    if (this.isConnected && this.dialog && !this.dialog.open)
      view.open.call(this, this.dialog);
  }

  /**
   * Confirms what the user typed, once cleaned of spaces, dashes and other
   * separators. Resolves to the outcome, or undefined when the code was not
   * checked (malformed, nothing pending, or a failure reported as `otp-error`).
   */
  async confirmCode(typed: string): Promise<ConfirmOutcome | undefined> {
    // Straight in when the dialog's code is here, so the step is busy at once.
    const view = this.dialogView ?? (await this.loadDialog());
    return view.confirmCode.call(this, typed);
  }

  /** Closes the dialog; the pending challenge stays and the trigger reopens it. */
  close(): void {
    this.smsRequest?.abort();
    this.dialog?.close();
  }

  override render() {
    return html`
      <slot
        name="trigger"
        @pointerover=${this.warmUp}
        @focusin=${this.warmUp}
        @click=${this.handleTriggerClick}
        @keydown=${this.dialogView?.handleTriggerKeydown}
      >
        <button
          part="trigger"
          type="button"
          ?disabled=${this.disabled || this.formDisabled}
        >
          ${this.t.trigger}
        </button>
      </slot>
      <p part="error" role="alert">${this.errorText}</p>
      ${
        this.retry && !this.retry.inDialog && this.dialogView
          ? this.dialogView.renderRetry.call(this, this.retry)
          : nothing
      }
      <p part="status" role="status">${this.statusText}</p>
      ${this.dialogBuilt && this.dialogView ? this.dialogView.renderDialog.call(this) : nothing}
    `;
  }
}

/** The language that applies to `element`: its own `lang` or its nearest ancestor's, across shadow roots. */
function languageOf(element: Element): string {
  for (let node: Element | null = element; node;) {
    if (node.getAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return navigator.language || 'en';
}

declare global {
  interface HTMLElementTagNameMap {
    'otp-step': OtpStep;
  }
}
