/**
 * The dialog of <otp-step>: issuing, its view, the code entry, confirming, Retry
 * and the countdown. Loaded when first needed (a pointer or focus on the trigger,
 * a code asked for or confirmed, a failure to offer Retry for), so an idle page
 * never pays for it. Each function runs with the element as `this`; Lit calls
 * the listeners in the template the same way.
 */
import {html, nothing} from 'lit';
import {live} from 'lit/directives/live.js';
import type {ConfirmOutcome} from '../challenge/challenge.js';
import {
  cleanCode,
  extractCode,
  isWellFormedCode,
  keepAlphabet,
} from '../code/clean-code.js';
import {activeBox, typeCharacter, type CodeText} from '../code/code-editing.js';
import {OtpStepError, RETRYABLE} from '../errors.js';
import {fire} from '../events.js';
import {formatFor, type Format} from '../messages/format.js';
import {developerMessages, warnings} from '../messages/developer.js';
import {resolveStepConfig} from '../step/step-config.js';
import type {OtpStep} from '../otp-step.js';

export {dialogStyles} from './otp-dialog.styles.js';

/** Numbers and durations in the element's language (built once per language). */
const format = (host: OtpStep): Format => formatFor(host.messagesLang ?? 'en');

interface OtpCredential extends Credential {
  code: string;
}

/** Puts the code and caret in the input and the boxes, and confirms a complete code. */
function setEntry(this: OtpStep, entry: CodeText): void {
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
    void confirmCode.call(this, entry.value);
  }
}

/** Fills every box from text that arrived at once: a paste, SMS autofill, WebOTP. */
function fillFrom(this: OtpStep, text: string): void {
  const {length, alphabet} = this.shape();
  const code = this.pasteTransformer
    ? this.pasteTransformer(text)
    : extractCode(text, length, alphabet);
  const value = keepAlphabet(code, alphabet).slice(0, length);
  setEntry.call(this, {value, start: value.length, end: value.length});
}

function caretOf(input: HTMLInputElement): CodeText {
  const at = input.value.length;
  return {
    value: input.value,
    start: input.selectionStart ?? at,
    end: input.selectionEnd ?? at,
  };
}

function handleBeforeInput(this: OtpStep, event: InputEvent): void {
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
    if (character) setEntry.call(this, typeCharacter(caretOf(input), character, length));
  } else {
    // Several characters at once: SMS autofill, a paste, a drop, a keyboard's suggestion.
    fillFrom.call(this, data);
  }
}

function handlePaste(this: OtpStep, event: ClipboardEvent): void {
  const text = event.clipboardData?.getData('text/plain');
  // No text (an image, say): leave it to the browser, and handleInput tidies up.
  if (!text) return;
  event.preventDefault();
  fillFrom.call(this, text);
}

/** Whatever changed the input without a cancelable beforeinput (deleting, IME, some autofill). */
function handleInput(this: OtpStep, event: Event): void {
  const input = event.target as HTMLInputElement;
  const {length, alphabet} = this.shape();
  const clean = keepAlphabet(input.value, alphabet);
  if (clean === input.value && clean.length <= length)
    setEntry.call(this, caretOf(input));
  else fillFrom.call(this, input.value);
}

/** Keeps the boxes' caret where the input's is, after arrows, Home, End or a selection. */
function handleCaretMove(this: OtpStep, event: Event): void {
  this.entry = caretOf(event.target as HTMLInputElement);
}

/** A click lands on the transparent input; put the caret in the box under the pointer. */
function handleInputClick(this: OtpStep, event: MouseEvent): void {
  const input = event.target as HTMLInputElement;
  if (input.selectionStart !== input.selectionEnd) return;
  const {length} = this.shape();
  const box = Math.floor((event.offsetX / input.offsetWidth) * length);
  const caret = Math.max(0, Math.min(box, input.value.length));
  input.setSelectionRange(caret, caret);
  this.entry = caretOf(input);
}

function handleSubmit(this: OtpStep, event: SubmitEvent): void {
  event.preventDefault();
  // Enter pressed out of habit after a full code was confirmed by itself and
  // rejected: keep the message about that code rather than complain of an empty one.
  if (!this.input?.value && this.invalid) return;
  this.submitFormOnConfirm = true;
  void confirmCode
    .call(this, this.input?.value ?? '')
    .finally(() => (this.submitFormOnConfirm = false));
}

function handleCancel(this: OtpStep, event: Event): void {
  // Escape must not close the dialog under a confirmation that is still running.
  if (this.busy) event.preventDefault();
}

function handleClose(this: OtpStep): void {
  this.smsRequest?.abort();
  const opener = this.opener;
  this.opener = undefined;
  // Browsers differ on where focus goes when a dialog closes; put it back on what opened it.
  if (opener?.isConnected) opener.focus();
}

async function handleCopy(this: OtpStep): Promise<void> {
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
async function listenForSms(this: OtpStep): Promise<void> {
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
    if (credential?.code && !signal.aborted) fillFrom.call(this, credential.code);
  } catch {
    // Aborted, refused or unsupported: the person types the code instead.
  }
}

/**
 * Confirms what the user typed, once cleaned of spaces, dashes and other
 * separators. Resolves to the outcome, or undefined when the code was not
 * checked (malformed, nothing pending, or a failure reported as `otp-error`).
 */
export async function confirmCode(
  this: OtpStep,
  typed: string,
): Promise<ConfirmOutcome | undefined> {
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
      const {confirmation} = outcome;
      const done = confirmation === undefined ? identity : {...identity, confirmation};
      this.smsRequest?.abort();
      // A backend's token is what the app's server can check; the spent code proves nothing.
      this.confirmedCode = confirmation ?? code;
      this.statusText = this.t.confirmed;
      this.showOutcome(this.t.confirmed, false);
      fire(this, 'otp-confirmed', done);
      this.close();
      fire(this, 'step-complete', done);
      if (this.submitFormOnConfirm) {
        await this.updateComplete;
        this.form?.requestSubmit();
      }
    } else {
      const {reason, attemptsLeft} = outcome;
      this.showOutcome(
        reason === 'invalid'
          ? this.t.invalid(attemptsLeft, format(this))
          : this.t[reason],
        true,
      );
      fire(this, 'otp-rejected', {...identity, reason, attemptsLeft});
      if (reason === 'expired' && wasPending) fire(this, 'otp-expired', identity);
      if (reason === 'invalid') {
        this.clearEntry();
        this.input?.focus();
      } else {
        this.smsRequest?.abort();
      }
    }
    return outcome;
  } catch (error) {
    // The challenge and the typed code stay as they were, for Retry.
    if (!signal.aborted) this.fail(error, () => confirmCode.call(this, code));
    return undefined;
  } finally {
    this.busy = false;
  }
}

export function renderDialog(this: OtpStep) {
  const {t, challenge, entry} = this;
  const f = format(this);
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
      @cancel=${handleCancel}
      @close=${handleClose}
    >
      <form @submit=${handleSubmit} novalidate>
        <h2 id="title" part="title">${t.title}</h2>
        <p id="description" part="description">${t.description(shape, user, f)}</p>
        ${
          this.demo && !this.source && !this.endpoint
            ? html`<p part="demo-note">${t.demoNote}</p>`
            : nothing
        }
        ${
          this.forTestCode
            ? html`<div part="test-code">
                <span>${t.testCode} <small>(${t.testCodeNote})</small>:</span>
                <output part="code" dir="ltr" aria-label=${t.testCode}
                  >${this.forTestCode}</output
                >
                <button type="button" part="copy" @click=${handleCopy}>${t.copy}</button>
              </div>`
            : nothing
        }
        <label part="label" for="code">${t.inputLabel(shape, f)}</label>
        <div
          part="entry"
          dir="ltr"
          .style=${
            // Through CSSOM (the style property), not a style attribute, which a
            // CSP without style-src 'unsafe-inline' blocks; so is styleMap's first render.
            `--otp-step-length: ${shape.length}`
          }
        >
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
            @beforeinput=${handleBeforeInput}
            @input=${handleInput}
            @paste=${handlePaste}
            @keyup=${handleCaretMove}
            @select=${handleCaretMove}
            @focus=${handleCaretMove}
            @click=${handleInputClick}
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
        <p part="attempts">${pending ? t.attemptsLeft(challenge.attemptsLeft, f) : ''}</p>
        <p id="message" part="message" aria-live="polite">${this.message}</p>
        <p class="visually-hidden" aria-live="polite">${this.announcement}</p>
        ${this.retry?.inDialog ? renderRetry.call(this, this.retry) : nothing}
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

/** Retry, after a request failed in a way that trying again can mend; counts down a wait. */
export function renderRetry(this: OtpStep, retry: {run: () => unknown; at: number}) {
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
    ${wait > 0 ? this.t.retryIn(format(this).number(wait)) : this.t.retry}
  </button>`;
}

/** Seconds left at which the countdown is spoken; never every second. */
const MILESTONES = [60, 30, 10];

/** One second of a pending code's countdown: expiry, and the milestones spoken. */
export function tick(this: OtpStep, before: number): void {
  const challenge = this.challenge;
  if (challenge?.status !== 'pending') return;
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
  if (milestone) this.announcement = this.t.left(format(this).duration(milestone));
}

/** Opens the dialog as a modal, remembering what had focus, and listens for an SMS code. */
export function open(this: OtpStep, dialog: HTMLDialogElement): void {
  this.opener = deepActiveElement();
  dialog.showModal();
  void listenForSms.call(this);
}

/** Once the code is confirmed, Enter on the trigger goes on to the owning form, as in a text field. */
export function handleTriggerKeydown(this: OtpStep, event: KeyboardEvent): void {
  if (event.key === 'Enter' && this.confirmedCode && this.form) {
    event.preventDefault();
    this.form.requestSubmit();
  }
}

/** The focused element, looking inside shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : undefined;
}

/** Offers a Retry button for a failure that trying again can mend, after the wait it asks for. */
export function offerRetry(
  this: OtpStep,
  error: unknown,
  again: () => unknown,
  inDialog: boolean,
): void {
  const code = error instanceof OtpStepError ? error.code : 'source-failed';
  if (!RETRYABLE.has(code)) return;
  const wait = error instanceof OtpStepError ? (error.retryAfterSeconds ?? 0) : 0;
  this.retry = {run: again, inDialog, at: Date.now() + wait * 1000};
}

/** Obtains a code and shows it: the body of `requestCode()`. */
export async function issueCode(this: OtpStep): Promise<boolean> {
  if (this.disabled || this.formDisabled) return false;
  const result = resolveStepConfig(this);
  if (!result.ok || (!this.source && !this.endpoint && !this.demo)) {
    const mistake = result.ok ? 'no-source' : result.error;
    this.reportError(new OtpStepError(mistake, developerMessages[mistake]));
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
    this.clearEntry();
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

/** Builds what the first open needs, ahead of the click: Intl formats and the code source. */
export function warmUp(this: OtpStep): void {
  format(this).plural(1);
  void this.getSource().catch(() => undefined);
}
