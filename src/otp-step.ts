import {LitElement, html, nothing, type PropertyValues} from 'lit';
import {customElement, property, query, state} from 'lit/decorators.js';
import {live} from 'lit/directives/live.js';
import type {ChallengeView, ConfirmOutcome} from './challenge/challenge.js';
import {openChallengeStore, type ChallengeStore} from './challenge/challenge-store.js';
import {
  cleanCode,
  extractCode,
  isWellFormedCode,
  keepAlphabet,
} from './code/clean-code.js';
import {activeBox, typeCharacter, type CodeText} from './code/code-editing.js';
import {OtpStepError, RETRYABLE, type OtpErrorCode} from './errors.js';
import {fire, type StepIdentity} from './events.js';
import {
  formatFor,
  loadMessages,
  messagesFor,
  warnings,
  type CodeShape,
  type Format,
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

/** Seconds left at which the countdown is spoken; never every second. */
const MILESTONES = [60, 30, 10];

/** What the step is doing, as the page can style it with `:state()`. */
type Phase = 'idle' | 'pending' | 'expired' | 'locked' | 'confirmed';

interface OtpCredential extends Credential {
  code: string;
}

/**
 * The one-time-code step of a two-factor sign-in in one element: it obtains a
 * code for a user, keeps the pending challenge, shows it in a modal dialog and
 * confirms what the user types. Form-associated: its value is the confirmed code.
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
 * @fires otp-confirmed - The code was confirmed.
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
  /** The checked parameters the pending challenge was issued under. */
  private activeConfig?: StepConfig;
  private controller?: AbortController;
  private issuing?: Promise<boolean>;
  /** The pending WebOTP request, aborted when the code no longer needs it. */
  private smsRequest?: AbortController;
  private stopTicking?: () => void;
  private stopWatchingSource?: () => void;
  private opener?: HTMLElement;
  /** Set when Enter confirmed the code: once confirmed, the owning form is submitted. */
  private submitFormOnConfirm = false;
  /** The language the messages and formats below are for; they are rebuilt only when it changes. */
  private messagesLang?: string;
  private languageChanged = false;
  /** The built-in messages of the element's language, while they load. */
  private messagesLoading?: Promise<unknown>;
  private t: OtpStepMessages = messagesFor('en');
  private f: Format = formatFor('en');

  @query('dialog') private dialog?: HTMLDialogElement;
  @query('input') private input?: HTMLInputElement;
  @query('[part~="trigger"]') private defaultTrigger?: HTMLButtonElement;

  @state() private challenge?: ChallengeView;
  @state() private now = Date.now();
  /** The dialog's DOM is built on first open, so an idle element costs only its trigger. */
  @state() private dialogBuilt = false;
  @state() private busy = false;
  /** The code as typed so far, with the caret, as the boxes draw it. */
  @state() private entry: CodeText = {value: '', start: 0, end: 0};
  /** What happened to the last attempt, shown in the dialog. */
  @state() private message = '';
  @state() private invalid = false;
  /** The countdown at its milestones, for screen readers only. */
  @state() private announcement = '';
  /** A problem that stopped the step, shown beside the trigger. */
  @state() private errorText = '';
  @state() private statusText = '';
  /** The confirmed code: the element's form value. */
  @state() private confirmedCode = '';
  /** What a Retry button would do again, where it shows, and from when. */
  @state() private retry?: {run: () => unknown; inDialog: boolean; at: number};
  @state() private formDisabled = false;

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
  /** Base URL of a backend speaking docs/protocol.md; without it, codes come from the local demo generator. */
  @property() endpoint = '';
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

  /** The confirmed code, or '' until a code is confirmed. */
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
    // Rendering runs every second during a countdown: build the Intl formatters
    // only when the language or the page's messages change.
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
      this.f = formatFor(lang);
      this.languageChanged = true;
    }
  }

  /** `updateComplete` also waits for the messages of the element's language to load. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.messagesLoading) return done;
    await this.messagesLoading;
    return super.getUpdateComplete();
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
          this.defaultTrigger,
        );
      } else {
        this.internals.setValidity({});
      }
    }
  }

  formResetCallback(): void {
    this.close();
    this.confirmedCode = this.statusText = this.errorText = this.message = '';
    this.setEntry({value: '', start: 0, end: 0});
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string') this.confirmedCode = state;
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
    const challenge = this.challenge;
    // Ticking only for a Retry countdown: stop once it is over.
    if (challenge?.status !== 'pending') return this.syncTicker();
    if (this.now >= challenge.expiresAt) {
      this.challenge = {...challenge, status: 'expired'};
      this.smsRequest?.abort();
      this.showOutcome(this.t.expired, true);
      fire(this, 'otp-expired', {...this.identity(), requestId: challenge.requestId});
      return;
    }
    const leftBefore = (challenge.expiresAt - before) / 1000;
    const left = (challenge.expiresAt - this.now) / 1000;
    const milestone = MILESTONES.find((m) => leftBefore > m && left <= m);
    if (milestone) this.announcement = this.t.left(this.f.duration(milestone));
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

  /** The page's source, else the backend at `endpoint`, else the local demo generator. */
  private async getSource(): Promise<CodeSource> {
    if (this.source) return this.source;
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

  private identity(): StepIdentity {
    const {stepName, user, client} = this.activeConfig ?? this;
    return {stepName, user, client};
  }

  private shape(): CodeShape & {alphabet: StepConfig['alphabet']} {
    const config = this.activeConfig;
    const alphabet =
      config?.alphabet ?? (this.alphabet === 'alphanumeric' ? 'alphanumeric' : 'numeric');
    return {
      length: config?.length ?? this.length,
      numeric: alphabet === 'numeric',
      alphabet,
    };
  }

  /** Reports a failed request and, where trying again can help, offers a Retry button for it. */
  private fail(error: unknown, again: () => unknown): void {
    this.reportError(error);
    const code = error instanceof OtpStepError ? error.code : 'source-failed';
    if (!RETRYABLE.has(code)) return;
    const wait = error instanceof OtpStepError ? (error.retryAfterSeconds ?? 0) : 0;
    this.retry = {
      run: again,
      inDialog: !!this.dialog?.open,
      at: Date.now() + wait * 1000,
    };
  }

  /** Shows a problem where the person is looking and tells the page with `otp-error`. */
  private reportError(error: unknown): void {
    const known = error instanceof OtpStepError;
    if (!known) console.error(error);
    const code: OtpErrorCode = known ? error.code : 'source-failed';
    const message = this.t.errors[code];
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
    if (this.disabled || this.formDisabled) return false;
    const result = resolveStepConfig(this);
    if (!result.ok) {
      this.reportError(new OtpStepError(result.error));
      return false;
    }
    const {config} = result;
    for (const warning of result.warnings) console.warn(warnings[warning]);
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
    this.retry = undefined;
    try {
      const {challenge, code} = await (await this.getSource()).issue(config, signal);
      this.activeConfig = config;
      this.challenge = challenge;
      this.forTestCode = code ?? '';
      this.confirmedCode = this.errorText = this.statusText = this.announcement = '';
      this.showOutcome(resend ? this.t.issued : '', false);
      this.setEntry({value: '', start: 0, end: 0});
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
      if (!signal.aborted) this.fail(error, () => this.requestCode());
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Puts the code and caret in the input and the boxes, and confirms a complete code. */
  private setEntry(entry: CodeText): void {
    this.entry = entry;
    const input = this.input;
    if (input) {
      input.value = entry.value;
      if (input === this.shadowRoot?.activeElement)
        input.setSelectionRange(entry.start, entry.end);
    }
    if (entry.value) this.invalid = false;
    const {length} = this.shape();
    if (
      entry.value.length === length &&
      !this.noAutoConfirm &&
      this.challenge?.status === 'pending'
    ) {
      void this.confirmCode(entry.value);
    }
  }

  /** Fills every box from text that arrived at once: a paste, SMS autofill, WebOTP. */
  private fillFrom(text: string): void {
    const {length, alphabet} = this.shape();
    const code = this.pasteTransformer
      ? this.pasteTransformer(text)
      : extractCode(text, length, alphabet);
    const value = keepAlphabet(code, alphabet).slice(0, length);
    this.setEntry({value, start: value.length, end: value.length});
  }

  private caretOf(input: HTMLInputElement): CodeText {
    const at = input.value.length;
    return {
      value: input.value,
      start: input.selectionStart ?? at,
      end: input.selectionEnd ?? at,
    };
  }

  private handleBeforeInput(event: InputEvent): void {
    const input = event.target as HTMLInputElement;
    const {length, alphabet} = this.shape();
    const data =
      event.data ??
      (event.inputType.startsWith('insertFrom')
        ? event.dataTransfer?.getData('text/plain')
        : null);
    // Composition (IME) and anything the browser will not let us cancel is
    // tidied up afterwards, in handleInput.
    if (!event.cancelable || !data || event.inputType === 'insertCompositionText') return;
    event.preventDefault();
    if (event.inputType === 'insertText' && [...data].length === 1) {
      const character = keepAlphabet(data, alphabet);
      if (character) this.setEntry(typeCharacter(this.caretOf(input), character, length));
    } else {
      // Several characters at once: SMS autofill, a paste, a drop, a keyboard's suggestion.
      this.fillFrom(data);
    }
  }

  private handlePaste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text/plain');
    // No text (an image, say): leave it to the browser, and handleInput tidies up.
    if (!text) return;
    event.preventDefault();
    this.fillFrom(text);
  }

  /** Whatever changed the input without a cancelable beforeinput (deleting, IME, some autofill). */
  private handleInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const {length, alphabet} = this.shape();
    const clean = keepAlphabet(input.value, alphabet);
    if (clean === input.value && clean.length <= length)
      this.setEntry(this.caretOf(input));
    else this.fillFrom(input.value);
  }

  /** Keeps the boxes' caret where the input's is, after arrows, Home, End or a selection. */
  private handleCaretMove(event: Event): void {
    this.entry = this.caretOf(event.target as HTMLInputElement);
  }

  /** A click lands on the transparent input; put the caret in the box under the pointer. */
  private handleInputClick(event: MouseEvent): void {
    const input = event.target as HTMLInputElement;
    if (input.selectionStart !== input.selectionEnd) return;
    const {length} = this.shape();
    const box = Math.floor((event.offsetX / input.offsetWidth) * length);
    const caret = Math.max(0, Math.min(box, input.value.length));
    input.setSelectionRange(caret, caret);
    this.entry = this.caretOf(input);
  }

  private handleTriggerClick(): void {
    if (this.challenge?.status === 'pending' && !this.confirmedCode) void this.show();
    else void this.requestCode();
  }

  private handleTriggerKeydown(event: KeyboardEvent): void {
    // Once the code is confirmed, Enter goes on to the owning form, as in a text field.
    if (event.key === 'Enter' && this.confirmedCode && this.internals.form) {
      event.preventDefault();
      this.internals.form.requestSubmit();
    }
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    // Enter pressed out of habit after a full code was confirmed by itself and
    // rejected: keep the message about that code rather than complain of an empty one.
    if (!this.input?.value && this.invalid) return;
    this.submitFormOnConfirm = true;
    void this.confirmCode(this.input?.value ?? '').finally(
      () => (this.submitFormOnConfirm = false),
    );
  }

  private handleCancel(event: Event): void {
    // Escape must not close the dialog under a confirmation that is still running.
    if (this.busy) event.preventDefault();
  }

  private handleClose(): void {
    this.smsRequest?.abort();
    const opener = this.opener;
    this.opener = undefined;
    // Browsers differ on where focus goes when a dialog closes; put it back on what opened it.
    if (opener?.isConnected) opener.focus();
  }

  private async handleCopy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.forTestCode);
      this.showOutcome(this.t.copied, false);
    } catch {
      this.reportError(new OtpStepError('copy-failed'));
    }
  }

  /**
   * Asks the browser for a code that arrives by SMS (WebOTP). The request ends
   * when the dialog closes, the code is confirmed or it expires. In an iframe
   * the browser allows it only with `allow="otp-credentials"`.
   */
  private async listenForSms(): Promise<void> {
    if (
      !this.webOtp ||
      !('OTPCredential' in window) ||
      this.challenge?.status !== 'pending'
    )
      return;
    this.smsRequest?.abort();
    const {signal} = (this.smsRequest = new AbortController());
    try {
      const credential = (await navigator.credentials.get({
        otp: {transport: ['sms']},
        signal,
      } as CredentialRequestOptions)) as OtpCredential | null;
      if (credential?.code && !signal.aborted) this.fillFrom(credential.code);
    } catch {
      // Aborted, refused or unsupported: the person types the code instead.
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
    if (this.busy && this.issuing) return this.issuing;
    return (this.issuing = this.issueCode());
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
    this.retry = undefined;
    try {
      const {outcome, challenge} = await (
        await this.getSource()
      ).confirm(config, code, signal);
      const wasPending = this.challenge?.status === 'pending';
      this.challenge = challenge;
      const identity = {...this.identity(), requestId: challenge.requestId};
      if (outcome.status === 'confirmed') {
        this.smsRequest?.abort();
        this.confirmedCode = code;
        this.statusText = this.t.confirmed;
        this.showOutcome(this.t.confirmed, false);
        fire(this, 'otp-confirmed', identity);
        this.close();
        fire(this, 'step-complete', identity);
        if (this.submitFormOnConfirm) {
          await this.updateComplete;
          this.internals.form?.requestSubmit();
        }
      } else {
        const {reason, attemptsLeft} = outcome;
        this.showOutcome(
          reason === 'invalid' ? this.t.invalid(attemptsLeft, this.f) : this.t[reason],
          true,
        );
        fire(this, 'otp-rejected', {...identity, reason, attemptsLeft});
        if (reason === 'expired' && wasPending) fire(this, 'otp-expired', identity);
        if (reason !== 'invalid') this.smsRequest?.abort();
        if (reason === 'invalid') {
          this.entry = {value: '', start: 0, end: 0};
          if (this.input) this.input.value = '';
          this.input?.focus();
        }
      }
      return outcome;
    } catch (error) {
      // The challenge and the typed code stay as they were, for Retry.
      if (!signal.aborted) this.fail(error, () => this.confirmCode(code));
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
    void this.listenForSms();
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
        @click=${this.handleTriggerClick}
        @keydown=${this.handleTriggerKeydown}
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
      ${this.retry && !this.retry.inDialog ? this.renderRetry(this.retry) : nothing}
      <p part="status" role="status">${this.statusText}</p>
      ${this.dialogBuilt ? this.renderDialog() : nothing}
    `;
  }

  private renderRetry(retry: {run: () => unknown; at: number}) {
    const wait = Math.ceil((retry.at - this.now) / 1000);
    return html`<button
      type="button"
      part="retry"
      ?disabled=${this.busy || wait > 0}
      @click=${() => {
        this.retry = undefined;
        void retry.run();
      }}
    >
      ${wait > 0 ? this.t.retryIn(this.f.number(wait)) : this.t.retry}
    </button>`;
  }

  private renderDialog() {
    const {t, f, challenge, entry} = this;
    const shape = this.shape();
    const user = this.activeConfig?.user ?? this.user;
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
    const active = activeBox(entry, shape.length);
    return html`
      <dialog
        part="dialog"
        aria-labelledby="title"
        aria-describedby="description"
        @cancel=${this.handleCancel}
        @close=${this.handleClose}
      >
        <form @submit=${this.handleSubmit} novalidate>
          <h2 id="title" part="title">${t.title}</h2>
          <p id="description" part="description">${t.description(shape, user, f)}</p>
          ${
            this.forTestCode
              ? html`<div part="test-code">
                  <span>${t.testCode} <small>(${t.testCodeNote})</small>:</span>
                  <output part="code" dir="ltr" aria-label=${t.testCode}
                    >${this.forTestCode}</output
                  >
                  <button type="button" part="copy" @click=${this.handleCopy}>
                    ${t.copy}
                  </button>
                </div>`
              : nothing
          }
          <label part="label" for="code">${t.inputLabel(shape, f)}</label>
          <div part="entry" dir="ltr" style="--otp-step-length: ${shape.length}">
            <input
              id="code"
              part="input"
              name="code"
              autocomplete="one-time-code"
              inputmode=${shape.numeric ? 'numeric' : 'text'}
              pattern=${shape.numeric ? `\\d{${shape.length}}` : `[0-9A-Za-z]{${shape.length}}`}
              autocapitalize=${shape.numeric ? 'off' : 'characters'}
              autocorrect="off"
              spellcheck="false"
              dir="ltr"
              autofocus
              .value=${live(entry.value)}
              aria-invalid=${this.invalid ? 'true' : 'false'}
              aria-describedby="message"
              ?disabled=${!pending}
              @beforeinput=${this.handleBeforeInput}
              @input=${this.handleInput}
              @paste=${this.handlePaste}
              @keyup=${this.handleCaretMove}
              @select=${this.handleCaretMove}
              @focus=${this.handleCaretMove}
              @click=${this.handleInputClick}
            />
            <div part="boxes" aria-hidden="true">
              ${Array.from({length: shape.length}, (_, i) => {
                const character = entry.value[i] ?? '';
                const parts = `box${character ? ' box-filled' : ''}${i === active ? ' box-active' : ''}`;
                return html`<span part=${parts}
                  >${character && this.mask ? '•' : character}${
                    i === active && pending ? html`<span part="caret"></span>` : nothing
                  }</span
                >`;
              })}
            </div>
          </div>
          <p part="timer">${pending ? t.expiresIn(f.clock(secondsLeft)) : ''}</p>
          <progress
            part="progress"
            aria-label=${t.timeLeft}
            max=${lifetime}
            .value=${pending ? secondsLeft : 0}
          ></progress>
          <p part="attempts">
            ${pending ? t.attemptsLeft(challenge.attemptsLeft, f) : ''}
          </p>
          <p id="message" part="message" aria-live="polite">${this.message}</p>
          <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
          ${this.retry?.inDialog ? this.renderRetry(this.retry) : nothing}
          <div part="actions">
            <button
              type="button"
              part="resend"
              ?disabled=${!canResend}
              @click=${this.requestCode}
            >
              ${pending && resendIn > 0 ? t.resendIn(f.number(Math.ceil(resendIn))) : t.resend}
            </button>
            <button type="submit" part="confirm" ?disabled=${!pending || this.busy}>
              ${t.confirm}
            </button>
            <button type="button" part="close" @click=${this.close}>${t.close}</button>
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
