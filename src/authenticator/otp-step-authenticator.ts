/**
 * `<otp-step-authenticator>`: the authenticator's part of the step's dialog
 * (`method="authenticator"`), under its title: the app's code or a recovery
 * code to sign in; with `enroll`, the QR code and the secret, the app's first
 * code, the recovery codes. A view of the step's state: what the person does
 * goes out as the dialog's events (dialog-events.ts), which the dialog passes
 * on. Private to `<otp-step>`; loaded by its dialog the first time such a step
 * opens, with uqr.
 */
import {html, LitElement, nothing, svg, type PropertyValues} from 'lit';
import {property} from 'lit/decorators.js';
import {live} from 'lit/directives/live.js';
import {defineElement} from '../define-element.js';
import {tell, type DialogAction} from '../dialog/dialog-events.js';
import {noticeText} from '../dialog/notice-text.js';
import type {StepState} from '../flow/step-state.js';
import '../input/otp-input.js';
import type {OtpInput} from '../input/otp-input.js';
import {en, type OtpStepMessages} from '../messages/en.js';
import {formatFor} from '../messages/format.js';
import {
  entryShape,
  groupSecret,
  recoveryCodesFile,
  takesRecoveryCode,
  type AuthenticatorState,
} from './authenticator-state.js';
import {authenticatorStyles} from './otp-step-authenticator.styles.js';
import {qrPath, type QrPath} from './qr-path.js';

export class OtpStepAuthenticator extends LitElement {
  static override styles = authenticatorStyles;

  /** The QR code last drawn, and the URI it is of. */
  #qr?: {uri: string; path: QrPath};
  /** The recovery codes' file, and the codes it holds: revoked when they go. */
  #file?: {codes: readonly string[]; url: string};

  @property({attribute: false}) state!: StepState;
  @property({attribute: false}) messages?: OtpStepMessages;
  @property({attribute: false}) language = 'en';
  @property({attribute: false}) size: 'small' | 'medium' | 'large' = 'medium';
  @property({attribute: false}) noAutoConfirm = false;
  @property({attribute: false}) pasteTransformer?: (text: string) => string;

  get #auth(): AuthenticatorState | undefined {
    return this.state?.authenticator;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#setFile(undefined);
  }

  protected override willUpdate(): void {
    const uri = this.#auth?.enrollment?.uri;
    if (uri && this.#qr?.uri !== uri) this.#qr = {uri, path: qrPath(uri)};
    if (!uri) this.#qr = undefined;
    this.#setFile(this.#auth?.recoveryCodes);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const before = (changed.get('state') as StepState | undefined)?.authenticator;
    const now = this.#auth;
    // The stage or the entry changed under the person's hands: focus goes where they act next.
    if (
      before &&
      now &&
      this.state.open &&
      (before.stage !== now.stage || before.recovery !== now.recovery)
    )
      this.focus();
  }

  /** Focus where the person acts: the entry, Next from the QR code, Copy for the recovery codes. */
  override focus(): void {
    const stage = this.#auth?.stage;
    const target =
      stage === 'scan'
        ? '[part~="next"]'
        : stage === 'recovery-codes'
          ? '[part~="copy-codes"]'
          : 'otp-input';
    const element = this.renderRoot.querySelector<HTMLElement>(target);
    element?.focus();
    if (element instanceof HTMLElement && 'updateComplete' in element)
      void (element as OtpInput).updateComplete.then(() => element.focus());
  }

  /** The file of recovery codes to download, through a blob URL (a CSP without `data:` allows it). */
  #setFile(codes: readonly string[] | undefined): void {
    if (this.#file?.codes === codes) return;
    if (this.#file) URL.revokeObjectURL(this.#file.url);
    this.#file = undefined;
    if (!codes) return;
    const t = this.messages ?? en;
    const text = recoveryCodesFile(
      t.recoveryCodesHeading(this.state.config?.user ?? ''),
      codes,
    );
    this.#file = {
      codes,
      url: URL.createObjectURL(new Blob([text], {type: 'text/plain'})),
    };
  }

  #act(action: DialogAction): void {
    tell(this, 'dialog-act', action);
  }

  async #copy(text: string, done: DialogAction): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.#act(done);
    } catch {
      this.#act('copy-failed');
    }
  }

  #handleCopySecret = (): Promise<void> =>
    this.#copy(this.#auth?.enrollment?.secret ?? '', 'secret-copied');

  #handleCopyCodes = (): Promise<void> =>
    this.#copy((this.#auth?.recoveryCodes ?? []).join('\n'), 'codes-copied');

  #handleInput = (event: Event): void => {
    tell(this, 'dialog-input', {entry: (event.target as OtpInput).value});
  };

  #handleComplete = (event: Event): void => {
    const {value} = event.target as OtpInput;
    tell(this, 'dialog-input', {entry: value});
    if (!this.noAutoConfirm) tell(this, 'dialog-confirm', {code: value, submit: false});
  };

  #handleSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const value = this.renderRoot.querySelector('otp-input')?.value ?? '';
    if (!value && this.state.invalid) return;
    tell(this, 'dialog-confirm', {code: value, submit: true});
  };

  #handleClose = (): void => void tell(this, 'dialog-close', null);

  override render() {
    const auth = this.#auth;
    if (!auth) return nothing;
    const t = this.messages ?? en;
    const f = formatFor(this.language);
    const {state} = this;
    const message = state.notice ? noticeText(state.notice, t, f) : '';
    const messageLine = html`<p
      id="message"
      part="message"
      aria-live="polite"
      data-notice=${state.notice?.key ?? nothing}
    >
      ${message}
    </p>`;
    const close = html`<button type="button" part="close" @click=${this.#handleClose}>
      ${t.close}
    </button>`;

    if (auth.stage === 'scan') {
      const {secret} = auth.enrollment!;
      const qr = this.#qr!.path;
      const side = qr.size + 8;
      return html`
        <svg
          part="qr"
          role="img"
          aria-label=${t.qrLabel}
          aria-describedby="secret-note secret"
          viewBox="-4 -4 ${side} ${side}"
          shape-rendering="crispEdges"
        >
          ${svg`<path d=${qr.d}></path>`}
        </svg>
        <p id="secret-note">${t.secretNote}</p>
        <div class="secret">
          <code id="secret" part="secret" dir="ltr">${groupSecret(secret)}</code>
          <button type="button" part="copy-secret" @click=${this.#handleCopySecret}>
            ${t.copySecret}
          </button>
        </div>
        ${messageLine}
        <div part="actions">
          <button type="button" part="next" @click=${() => this.#act('next')}>
            ${t.next}
          </button>
          ${close}
        </div>
      `;
    }

    if (auth.stage === 'recovery-codes') {
      const codes = auth.recoveryCodes ?? [];
      return html`
        <ol part="recovery-codes" aria-label=${t.recoveryCodesLabel}>
          ${codes.map((code) => html`<li><code dir="ltr">${code}</code></li>`)}
        </ol>
        ${messageLine}
        <div part="actions">
          <button type="button" part="copy-codes" @click=${this.#handleCopyCodes}>
            ${t.copyCodes}
          </button>
          <a
            part="download"
            href=${this.#file?.url ?? nothing}
            download="recovery-codes.txt"
            >${t.download}</a
          >
          <button type="button" part="done" @click=${() => this.#act('done')}>
            ${t.done}
          </button>
        </div>
      `;
    }

    // The app's code (signing in, or the enrolment's first), or a recovery code.
    const {length, alphabet} = entryShape(auth);
    // Proving the current app takes a recovery code in its place, as signing in does.
    const proves = takesRecoveryCode(auth.stage);
    const recovery = proves && auth.recovery;
    return html`
      <form @submit=${this.#handleSubmit} novalidate>
        <otp-input
          exportparts="label,entry,input,boxes,box,box-filled,box-active,caret"
          name=${recovery ? 'recovery-code' : 'code'}
          label=${recovery ? t.recoveryLabel : t.inputLabel({length, numeric: true}, f)}
          description=${message}
          length=${length}
          alphabet=${alphabet}
          group=${recovery ? 5 : nothing}
          size=${this.size}
          ?invalid=${state.invalid}
          .pasteTransformer=${this.pasteTransformer}
          .value=${live(state.entry)}
          @input=${this.#handleInput}
          @otp-complete=${this.#handleComplete}
        ></otp-input>
        ${
          proves
            ? html`<p>
                <button
                  type="button"
                  part="switch-entry"
                  @click=${() => this.#act(recovery ? 'app' : 'recovery')}
                >
                  ${recovery ? t.useAppCode : t.useRecoveryCode}
                </button>
              </p>`
            : nothing
        }
        ${messageLine}
        <div part="actions">
          ${
            proves
              ? nothing
              : html`<button type="button" part="back" @click=${() => this.#act('back')}>
                  ${t.back}
                </button>`
          }
          <button type="submit" part="confirm" ?disabled=${state.busy}>
            ${t.confirm}
          </button>
          ${close}
        </div>
      </form>
    `;
  }
}

// The dialog renders it in its shadow root, which uses the page's registry.
defineElement(OtpStepAuthenticator, 'otp-step-authenticator', customElements);

declare global {
  interface HTMLElementTagNameMap {
    'otp-step-authenticator': OtpStepAuthenticator;
  }
}
