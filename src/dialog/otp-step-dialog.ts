/**
 * `<otp-step-dialog>`: the step's modal dialog, a view of the step's state with
 * `<otp-input>` for the code. State goes in as properties; what the person does
 * comes out as events (dialog-events.ts). Private to `<otp-step>`, which loads
 * it when first needed (a pointer or focus on the trigger, a code to show), so an
 * idle page never pays for it.
 */
import {html, LitElement, nothing, render, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {live} from 'lit/directives/live.js';
import {defineElement} from '../define-element.js';
import type {StepState} from '../flow/step-state.js';
import '../input/otp-input.js';
import type {OtpInput} from '../input/otp-input.js';
import {en, type OtpStepMessages} from '../messages/en.js';
import {formatFor, type Format} from '../messages/format.js';
import {tell, type DialogEventMap} from './dialog-events.js';
import {noticeText} from './notice-text.js';
import {dialogStyles} from './otp-step-dialog.styles.js';
import {retryButton} from '../retry-button.js';

export type {DialogEventMap} from './dialog-events.js';

/** The dialog's parts, its code entry's, and the authenticator's view's. */
const PARTS =
  'dialog,title,description,demo-note,test-code,code,copy,label,entry,input,boxes,box,box-filled,box-active,caret,timer,progress,attempts,message,retry,actions,resend,other-channel,confirm,close,qr,secret,copy-secret,switch-entry,recovery-codes,copy-codes,download,next,back,done';

/** The authenticator's view (`method="authenticator"`), loaded the first time one is shown. */
const AUTHENTICATOR_VIEW_PARTS =
  'qr,secret,copy-secret,switch-entry,recovery-codes,copy-codes,download,next,back,done,label,entry,input,boxes,box,box-filled,box-active,caret,message,actions,confirm,close';

/** The focused element, looking inside shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

export class OtpStepDialog extends LitElement {
  static override styles = dialogStyles;

  /** What had focus when the dialog opened: it gets it back on closing. */
  #opener?: HTMLElement;
  /** Whether the page declares no color-scheme, as last read. */
  #systemScheme?: boolean;
  /** The authenticator's view, once it was wanted. */
  #authenticatorView?: Promise<unknown>;

  @property({attribute: false}) state!: StepState;
  @property({attribute: false}) messages?: OtpStepMessages;
  /** The messages' language, for numbers and times in its digits. */
  @property({attribute: false}) language = 'en';
  @property({attribute: false}) mask = false;
  @property({attribute: false}) webOtp = false;
  @property({attribute: false}) noAutoConfirm = false;
  @property({attribute: false}) size: 'small' | 'medium' | 'large' = 'medium';
  @property({attribute: false}) group?: number | string;
  /** Codes come from the local demo generator: the dialog says so. */
  @property({attribute: false}) demo = false;
  @property({attribute: false}) pasteTransformer?: (text: string) => string;

  /** Also waits for the authenticator's view, once it is wanted, and its render. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.#authenticatorView) return done;
    await this.#authenticatorView;
    await this.renderRoot.querySelector('otp-step-authenticator')?.updateComplete;
    return done;
  }

  protected override willUpdate(): void {
    if (this.state.authenticator)
      this.#authenticatorView ??= import('../authenticator/otp-step-authenticator.js');
  }

  get #dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Every part is the step's too: a page styles otp-step::part(code).
    this.setAttribute('exportparts', PARTS);
  }

  protected override firstUpdated(): void {
    if (!this.state.open) this.#warmUp();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const dialog = this.#dialog!;
    const {state} = this;
    const before = changed.get('state') as StepState | undefined;
    const open = state.open && this.isConnected;
    // The page's color-scheme wins; where it declares none, the system's
    // preference. Read at every render of the open dialog (each second of a
    // countdown), so a page switching its theme is followed; but on opening,
    // what the warm-up read, since reading it forces a style pass.
    if (open)
      dialog.classList.toggle(
        'system-scheme',
        dialog.open || this.#systemScheme === undefined
          ? (this.#systemScheme = this.#followsSystem())
          : this.#systemScheme,
      );
    if (open && !dialog.open) {
      this.#opener = deepActiveElement();
      dialog.showModal();
      this.#focusFor(dialog);
    } else if (!open && dialog.open) {
      dialog.close();
    } else if (
      open &&
      (state.challenge?.status !== before?.challenge?.status ||
        // A wrong code was cleared: the entry keeps focus for the next.
        (state.notice !== before?.notice && state.notice?.key === 'invalid') ||
        !this.shadowRoot!.activeElement)
    ) {
      // The code expired or locked under the person's hands (the input is
      // disabled now), or what had focus went away (Retry) or was disabled
      // (Resend, while busy): focus goes where they can act, never to <body>.
      this.#focusFor(dialog);
    }
  }

  /** Whether the page declares no color-scheme, so the dialog follows the system's. */
  #followsSystem(): boolean {
    return (
      getComputedStyle(this).colorScheme === 'normal' &&
      !document.querySelector('meta[name="color-scheme"]')
    );
  }

  /**
   * Focus where the person can act on the challenge: the code entry while it
   * is pending, Resend once it expired, Close once it locked.
   */
  #focusFor(dialog: HTMLDialogElement): void {
    if (this.state.authenticator) {
      const view = dialog.querySelector('otp-step-authenticator');
      void this.#authenticatorView
        ?.then(() => view?.updateComplete)
        .then(() => dialog.open && view?.focus());
      return;
    }
    const status = this.state.challenge?.status;
    const part = status === 'expired' ? 'resend' : status === 'locked' ? 'close' : '';
    if (part) return dialog.querySelector<HTMLElement>(`[part~="${part}"]`)?.focus();
    // Chromium's dialog focusing passes over a host that delegates focus: into the
    // entry at once when it is enabled, else once it has taken the state just drawn.
    const input = dialog.querySelector('otp-input');
    input?.focus();
    if (input && !input.matches(':focus-within'))
      void input.updateComplete.then(() => dialog.open && input.focus());
  }

  /**
   * Once, ahead of the first open: builds the language's Intl formats; has Lit
   * prepare every template of the dialog (drawn once with a code, detached, so
   * the parts shown only with a code are ready too); and lays the closed dialog
   * out once, unseen, so the style rules, fonts and text shaping the first
   * `showModal()` needs are ready.
   */
  #warmUp(): void {
    formatFor(this.language).plural(1);
    render(
      this.#draw({...this.state, forTestCode: '0'}),
      document.createDocumentFragment(),
    );
    this.#systemScheme = this.#followsSystem();
    const dialog = this.#dialog!;
    dialog.classList.add('warming');
    dialog.getBoundingClientRect();
    dialog.classList.remove('warming');
  }

  #handleClose = (): void => {
    // The close event comes a task later: the dialog may have been opened again since.
    if (this.#dialog?.open) return;
    const opener = this.#opener;
    this.#opener = undefined;
    // Browsers differ on where focus goes when a dialog closes; put it back on what opened it.
    if (opener?.isConnected) opener.focus();
  };

  #handleCancel = (event: Event): void => {
    // Escape closes the dialog by itself, unless the step refuses: it does while a
    // confirmation is running (its state, not the one drawn last, knows that).
    if (!tell(this, 'dialog-cancel', null)) event.preventDefault();
  };

  #handleCloseClick = (): void => {
    this.#dialog?.close();
    tell(this, 'dialog-close', null);
  };

  #handleInput = (event: Event): void => {
    tell(this, 'dialog-input', {entry: (event.target as OtpInput).value});
  };

  #handleComplete = (event: Event): void => {
    const {value} = event.target as OtpInput;
    tell(this, 'dialog-input', {entry: value});
    if (!this.noAutoConfirm && this.state.challenge?.status === 'pending')
      tell(this, 'dialog-confirm', {code: value, submit: false});
  };

  #handleSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const value = this.renderRoot.querySelector('otp-input')?.value ?? '';
    // Enter pressed out of habit after a full code was confirmed by itself and
    // rejected: keep the message about that code rather than complain of an empty one.
    if (!value && this.state.invalid) return;
    tell(this, 'dialog-confirm', {code: value, submit: true});
  };

  #handleCopy = async (): Promise<void> => {
    let copied = true;
    try {
      await navigator.clipboard.writeText(this.state.forTestCode);
    } catch {
      copied = false;
    }
    tell(this, 'dialog-act', copied ? 'copied' : 'copy-failed');
  };

  #handleResend = (): void => void tell(this, 'dialog-resend', null);

  #handleSwitch = (event: Event): void => {
    const channel = (event.currentTarget as HTMLButtonElement).value;
    if (channel === 'email' || channel === 'sms') tell(this, 'dialog-switch', {channel});
  };

  #handleRetry = (): void => void tell(this, 'dialog-retry', null);

  override render() {
    return this.#draw(this.state);
  }

  #draw(state: StepState) {
    // All the messages load with this element; until its host hands them on, English.
    const t = this.messages ?? en;
    const f = formatFor(this.language);
    if (state.authenticator) return this.#drawAuthenticator(state, t, f);
    const {challenge, config, now} = state;
    const length = config?.length ?? 6;
    const shape = {length, numeric: config?.alphabet !== 'alphanumeric'};
    const pending = challenge?.status === 'pending';
    const secondsLeft = challenge ? Math.max(0, (challenge.expiresAt - now) / 1000) : 0;
    const lifetime = challenge ? (challenge.expiresAt - challenge.issuedAt) / 1000 : 1;
    const resendIn = challenge ? (challenge.resendAt - now) / 1000 : 0;
    const canResend =
      !state.busy &&
      !!challenge &&
      challenge.status !== 'locked' &&
      (challenge.status !== 'pending' || (resendIn <= 0 && challenge.resendsLeft > 0));
    const message = state.notice ? noticeText(state.notice, t, f) : '';
    // Another channel the server has for this user; it is a resend there, so
    // it waits for the same cooldown as Resend (the server counts it as one).
    const other =
      challenge?.channel && challenge.channels?.find((c) => c !== challenge.channel);
    return html`
      <dialog
        part="dialog"
        aria-labelledby="title"
        aria-describedby="description"
        @cancel=${this.#handleCancel}
        @close=${this.#handleClose}
      >
        <form @submit=${this.#handleSubmit} novalidate>
          <h2 id="title" part="title">${t.title}</h2>
          <p id="description" part="description">
            ${
              challenge?.destinationHint
                ? t.sentTo(shape, challenge.destinationHint, f)
                : t.description(shape, config?.user ?? '', f)
            }
          </p>
          ${this.demo ? html`<p part="demo-note">${t.demoNote}</p>` : nothing}
          ${
            state.forTestCode
              ? html`<div part="test-code">
                  <span>${t.testCode} <small>(${t.testCodeNote})</small>:</span>
                  <output part="code" dir="ltr" aria-label=${t.testCode}
                    >${state.forTestCode}</output
                  >
                  <button type="button" part="copy" @click=${this.#handleCopy}>
                    ${t.copy}
                  </button>
                </div>`
              : nothing
          }
          <otp-input
            exportparts="label,entry,input,boxes,box,box-filled,box-active,caret"
            name="code"
            label=${t.inputLabel(shape, f)}
            description=${message}
            length=${length}
            alphabet=${config?.alphabet ?? 'numeric'}
            size=${this.size}
            .group=${this.group}
            ?mask=${this.mask}
            ?web-otp=${this.webOtp && pending && state.open}
            ?invalid=${state.invalid}
            ?disabled=${!!challenge && !pending}
            .pasteTransformer=${this.pasteTransformer}
            .value=${live(state.entry)}
            @input=${this.#handleInput}
            @otp-complete=${this.#handleComplete}
          ></otp-input>
          <p part="timer">${pending ? t.expiresIn(f.clock(secondsLeft)) : ''}</p>
          <progress
            part="progress"
            aria-label=${t.timeLeft}
            max=${lifetime}
            .value=${pending ? secondsLeft : 0}
          ></progress>
          <p part="attempts">
            ${
              // After a wrong code the message says how many attempts are left: once.
              pending && state.notice?.key !== 'invalid'
                ? t.attemptsLeft(challenge.attemptsLeft, f)
                : ''
            }
          </p>
          <p
            id="message"
            part="message"
            aria-live="polite"
            data-notice=${state.notice?.key ?? nothing}
          >
            ${message}
          </p>
          <p class="visually-hidden" aria-live="polite">
            ${state.announcement ? t.left(f.duration(state.announcement)) : ''}
          </p>
          ${state.retry?.inDialog ? retryButton(state, t, f, this.#handleRetry) : nothing}
          <div part="actions">
            <button
              type="button"
              part="resend"
              ?disabled=${!canResend}
              @click=${this.#handleResend}
            >
              ${pending && resendIn > 0 ? t.resendIn(f.number(Math.ceil(resendIn))) : t.resend}
            </button>
            ${
              other
                ? html`<button
                    type="button"
                    part="other-channel"
                    value=${other}
                    ?disabled=${!canResend}
                    @click=${this.#handleSwitch}
                  >
                    ${t.sendBy(other)}
                  </button>`
                : nothing
            }
            <button type="submit" part="confirm" ?disabled=${!pending || state.busy}>
              ${t.confirm}
            </button>
            <button type="button" part="close" @click=${this.#handleCloseClick}>
              ${t.close}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }

  /** The authenticator's title and description; its view draws the rest. */
  #drawAuthenticator(state: StepState, t: OtpStepMessages, f: Format) {
    const {stage, recovery} = state.authenticator!;
    const [title, description] =
      stage === 'sign-in'
        ? [
            recovery ? t.recoveryTitle : t.appTitle,
            recovery
              ? t.recoveryDescription
              : t.appDescription(state.config?.user ?? '', f),
          ]
        : stage === 'recovery-codes'
          ? [t.recoveryCodesTitle, t.recoveryCodesNote]
          : stage === 'current'
            ? [t.enrollTitle, recovery ? t.enrollCurrentRecovery : t.enrollCurrent]
            : [t.enrollTitle, stage === 'scan' ? t.enrollScan : t.enrollCode(f)];
    return html`
      <dialog
        part="dialog"
        aria-labelledby="title"
        aria-describedby="description"
        @cancel=${this.#handleCancel}
        @close=${this.#handleClose}
      >
        <h2 id="title" part="title">${title}</h2>
        <p id="description" part="description">${description}</p>
        <otp-step-authenticator
          exportparts=${AUTHENTICATOR_VIEW_PARTS}
          .state=${state}
          .messages=${t}
          .language=${this.language}
          .size=${this.size}
          .noAutoConfirm=${this.noAutoConfirm}
          .pasteTransformer=${this.pasteTransformer}
          @dialog-input=${this.#passOn}
          @dialog-confirm=${this.#passOn}
          @dialog-act=${this.#passOn}
          @dialog-close=${this.#handleCloseClick}
        ></otp-step-authenticator>
        ${state.retry?.inDialog ? retryButton(state, t, f, this.#handleRetry) : nothing}
      </dialog>
    `;
  }

  /** What the person did in the authenticator's view, for the step. */
  #passOn = (event: Event): void => {
    const {type, detail} = event as CustomEvent<never>;
    tell(this, type as keyof DialogEventMap, detail);
  };
}

// The step renders it in its shadow root, which uses the page's registry.
defineElement(OtpStepDialog, 'otp-step-dialog', customElements);
