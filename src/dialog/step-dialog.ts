/**
 * The step's modal dialog: a view of the flow's state, with `<otp-input>` for
 * the code. Loaded when first needed (a pointer or focus on the trigger, a code
 * to show, a Retry to offer), so an idle page never pays for it.
 */
import {
  html,
  nothing,
  render as litRender,
  type ReactiveController,
  type ReactiveControllerHost,
} from 'lit';
import {live} from 'lit/directives/live.js';
import '../input/otp-input.js';
import type {OtpInput} from '../input/otp-input.js';
import type {StepFlow} from '../flow/step-flow.js';
import {formatFor} from '../messages/format.js';
import type {OtpStepMessages} from '../messages/en.js';
import {OtpStepError} from '../errors.js';
import {noticeText} from './notice-text.js';

export {dialogStyles} from './step-dialog.styles.js';

/** What the dialog shows besides the flow's state: the element's settings and language. */
export interface DialogSettings {
  t: OtpStepMessages;
  /** The messages' language, for numbers and times in its digits. */
  lang: string;
  forTestCode: string;
  mask: boolean;
  webOtp: boolean;
  noAutoConfirm: boolean;
  size: 'small' | 'medium' | 'large';
  /** Codes come from the local demo generator: the dialog says so. */
  demo: boolean;
  pasteTransformer?: (text: string) => string;
}

/** What the dialog asks of its element. */
export interface DialogActions {
  /** Resend: a new code in place of the pending one, with the element's parameters. */
  resend(): void;
  /** Enter confirmed the code: the owning form is submitted, as from a text field. */
  submitForm(): void;
}

/** The focused element, looking inside shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

/**
 * Keeps the `<dialog>` open exactly while the flow says so (a modal, with what
 * had focus remembered and given back), and turns what the person does in it
 * into calls on the flow.
 */
export class StepDialog implements ReactiveController {
  private opener?: HTMLElement;
  /** Whether the page declares no color-scheme, as last read. */
  private systemScheme?: boolean;
  /** The challenge's status at the last update, to see it change. */
  private shownStatus?: string;
  private warm = false;
  /** The settings of the last render, for the handlers. */
  private settings?: DialogSettings;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly flow: StepFlow,
    private readonly actions: DialogActions,
  ) {
    host.addController(this);
  }

  private get dialog(): HTMLDialogElement | null | undefined {
    return this.host.shadowRoot?.querySelector('dialog');
  }

  hostUpdated(): void {
    const dialog = this.dialog;
    const open = this.flow.state.open && this.host.isConnected;
    const status = this.flow.state.challenge?.status;
    const changed = status !== this.shownStatus;
    this.shownStatus = status;
    if (!dialog) return;
    // The page's color-scheme wins; where it declares none, the system's
    // preference. Read at every render of the open dialog (each second of a
    // countdown), so a page switching its theme is followed; but on opening,
    // what the warm-up read, since reading it forces a style pass.
    if (open)
      dialog.classList.toggle(
        'system-scheme',
        dialog.open || this.systemScheme === undefined
          ? (this.systemScheme = this.followsSystem())
          : this.systemScheme,
      );
    if (open && !dialog.open) {
      this.opener = deepActiveElement();
      dialog.showModal();
      this.focusFor(dialog);
    } else if (!open && dialog.open) {
      dialog.close();
    } else if (open && (changed || !this.host.shadowRoot?.activeElement)) {
      // The code expired or locked under the person's hands (the input is
      // disabled now), or what had focus went away (Retry) or was disabled
      // (Resend, while busy): focus goes where they can act, never to <body>.
      this.focusFor(dialog);
    }
  }

  /** Whether the page declares no color-scheme, so the dialog follows the system's. */
  private followsSystem(): boolean {
    return (
      getComputedStyle(this.host).colorScheme === 'normal' &&
      !document.querySelector('meta[name="color-scheme"]')
    );
  }

  /**
   * Focus where the person can act on the challenge: the code entry while it
   * is pending, Resend once it expired, Close once it locked.
   */
  private focusFor(dialog: HTMLDialogElement): void {
    const status = this.flow.state.challenge?.status;
    const part = status === 'expired' ? 'resend' : status === 'locked' ? 'close' : '';
    if (part) return dialog.querySelector<HTMLElement>(`[part~="${part}"]`)?.focus();
    // Chromium's dialog focusing passes over a host that delegates focus: into the
    // entry at once when it is enabled, else once it has taken the state just drawn.
    const input = dialog.querySelector('otp-input');
    input?.focus();
    if (input && !input.matches(':focus-within'))
      void input.updateComplete.then(() => dialog.open && input.focus());
  }

  /** Closes the dialog now, not at the next render (`close()` on the element). */
  close(): void {
    this.flow.close();
    this.dialog?.close();
  }

  private handleClose = (): void => {
    // The close event comes a task later: the dialog may have been opened again since.
    if (this.dialog?.open) return;
    const opener = this.opener;
    this.opener = undefined;
    // Browsers differ on where focus goes when a dialog closes; put it back on what opened it.
    if (opener?.isConnected) opener.focus();
  };

  private handleCancel = (event: Event): void => {
    // Escape must not close the dialog under a confirmation that is still running;
    // otherwise it closes the dialog by itself, and the flow learns of it here.
    if (this.flow.state.busy) event.preventDefault();
    else this.flow.close();
  };

  private handleInput = (event: Event): void => {
    this.flow.type((event.target as OtpInput).value);
  };

  /** Confirms the code typed; a wrong one is cleared and the input keeps focus for the next. */
  private async confirm(input: OtpInput | null, value: string): Promise<boolean> {
    const outcome = await this.flow.confirm(value);
    if (outcome?.status === 'rejected' && outcome.reason === 'invalid') input?.focus();
    return outcome?.status === 'confirmed';
  }

  private handleComplete = (event: Event): void => {
    const input = event.target as OtpInput;
    this.flow.type(input.value);
    if (!this.settings?.noAutoConfirm && this.flow.state.challenge?.status === 'pending')
      void this.confirm(input, input.value);
  };

  private handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const input = this.host.shadowRoot!.querySelector('otp-input');
    const value = input?.value ?? '';
    // Enter pressed out of habit after a full code was confirmed by itself and
    // rejected: keep the message about that code rather than complain of an empty one.
    if (!value && this.flow.state.invalid) return;
    if (await this.confirm(input, value)) this.actions.submitForm();
  };

  private handleCopy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(this.settings?.forTestCode ?? '');
      this.flow.notify({key: 'copied'});
    } catch {
      this.flow.report(new OtpStepError('copy-failed'));
    }
  };

  render(settings: DialogSettings) {
    const {t} = settings;
    const f = formatFor(settings.lang);
    const {state} = this.flow;
    const {challenge, config, now} = state;
    this.settings = settings;
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
          <p id="description" part="description">
            ${t.description(shape, config?.user ?? '', f)}
          </p>
          ${settings.demo ? html`<p part="demo-note">${t.demoNote}</p>` : nothing}
          ${
            settings.forTestCode
              ? html`<div part="test-code">
                  <span>${t.testCode} <small>(${t.testCodeNote})</small>:</span>
                  <output part="code" dir="ltr" aria-label=${t.testCode}
                    >${settings.forTestCode}</output
                  >
                  <button type="button" part="copy" @click=${this.handleCopy}>
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
            size=${settings.size}
            ?mask=${settings.mask}
            ?web-otp=${settings.webOtp && pending && state.open}
            ?invalid=${state.invalid}
            ?disabled=${!!challenge && !pending}
            .pasteTransformer=${settings.pasteTransformer}
            .value=${live(state.entry)}
            @input=${this.handleInput}
            @otp-complete=${this.handleComplete}
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
          ${state.retry?.inDialog ? this.renderRetry(settings) : nothing}
          <div part="actions">
            <button
              type="button"
              part="resend"
              ?disabled=${!canResend}
              @click=${this.handleResend}
            >
              ${pending && resendIn > 0 ? t.resendIn(f.number(Math.ceil(resendIn))) : t.resend}
            </button>
            <button type="submit" part="confirm" ?disabled=${!pending || state.busy}>
              ${t.confirm}
            </button>
            <button type="button" part="close" @click=${this.handleCloseClick}>
              ${t.close}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }

  /**
   * Once, ahead of the first click: builds the language's Intl formats; has Lit
   * prepare every template of the dialog (drawn once with a code, detached, so
   * the parts shown only with a code are ready too); and lays the closed dialog
   * out once, unseen, so the style rules, fonts and text shaping the first
   * `showModal()` needs are ready.
   */
  warmUp(settings: DialogSettings): void {
    const dialog = this.dialog;
    if (this.warm || !dialog || dialog.open) return;
    this.warm = true;
    formatFor(settings.lang).plural(1);
    litRender(
      this.render({...settings, forTestCode: '0'}),
      document.createDocumentFragment(),
    );
    this.settings = settings;
    this.systemScheme = this.followsSystem();
    dialog.classList.add('warming');
    dialog.getBoundingClientRect();
    dialog.classList.remove('warming');
  }

  private handleResend = (): void => this.actions.resend();

  private handleCloseClick = (): void => this.close();

  /** Beside the trigger once the dialog is closed: why the step is locked, and until when. */
  triggerNote({t, lang}: Pick<DialogSettings, 't' | 'lang'>): string {
    const {challenge, open} = this.flow.state;
    return !open && challenge?.status === 'locked'
      ? t.lockedUntil(formatFor(lang).time(challenge.expiresAt))
      : '';
  }

  /** Retry, after a request failed in a way that trying again can mend; counts down a wait. */
  renderRetry({t, lang}: Pick<DialogSettings, 't' | 'lang'>) {
    const f = formatFor(lang);
    const {retry, busy, now} = this.flow.state;
    const wait = retry ? Math.ceil((retry.at - now) / 1000) : 0;
    return html`<button
      type="button"
      part="retry"
      ?disabled=${busy || wait > 0}
      @click=${() => void this.flow.retry()}
    >
      ${wait > 0 ? t.retryIn(f.number(wait)) : t.retry}
    </button>`;
  }
}
