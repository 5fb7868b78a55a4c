import {aTimeout, expect, oneEvent} from '@open-wc/testing';
import sinon from 'sinon';
import {sendKeys} from '@web/test-runner-commands';
import type {OtpStep} from '../src/otp-step.js';
import type {OtpStepEventMap} from '../src/events.js';

let users = 0;
/** A user no other test has used: tests share one IndexedDB, so each keeps to its own challenges. */
export const uniqueUser = (name = 'user') =>
  `${name}-${++users}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * The shadow roots a person's view of the step is drawn in: its own, its
 * dialog's, its code entry's; with `method="authenticator"`, the
 * authenticator's view and its entry's.
 */
function rootsOf(el: OtpStep): ShadowRoot[] {
  const dialog = el.shadowRoot!.querySelector('otp-step-dialog')?.shadowRoot;
  const app = dialog?.querySelector('otp-step-authenticator')?.shadowRoot;
  const entry = (app ?? dialog)?.querySelector('otp-input')?.shadowRoot;
  return [el.shadowRoot!, dialog, app, entry].filter((root) => !!root);
}

/**
 * Every part of the element with that name: in the first of its shadow roots
 * that has one (its own, its dialog's, its code entry's, whose parts it exports
 * under the same names).
 */
export function parts<T extends HTMLElement = HTMLElement>(
  el: OtpStep,
  name: string,
): T[] {
  for (const root of rootsOf(el)) {
    const found = [...root.querySelectorAll<T>(`[part~="${name}"]`)];
    if (found.length) return found;
  }
  return [];
}

/** The shadow root of the step's dialog, once it is drawn. */
export const dialogRoot = (el: OtpStep) =>
  el.shadowRoot!.querySelector('otp-step-dialog')?.shadowRoot ?? null;

/** The element's part with that name (see `parts`). */
export function part<T extends HTMLElement = HTMLElement>(el: OtpStep, name: string): T {
  const [found] = parts<T>(el, name);
  if (!found) throw new Error(`no part "${name}"`);
  return found;
}

/** What has focus inside the element, looking into the shadow roots it holds. */
export function focusedInside(el: OtpStep): Element | null {
  let active = el.shadowRoot!.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * Text as a person sees it: without the invisible isolates (U+2066–U+2069) that
 * set names, numbers and times apart in the messages (tested in languages.test.ts).
 */
export const visible = (s: string | null | undefined) =>
  (s ?? '').replace(/[\u2066-\u2069]/g, '').trim();

/** The visible text of a part (see `visible`). */
export const text = (el: OtpStep, name: string) => visible(part(el, name).textContent);

/** The text of a part as it is, isolates included. */
export const rawText = (el: OtpStep, name: string) =>
  part(el, name).textContent?.trim() ?? '';

export const dialogOf = (el: OtpStep) => dialogRoot(el)?.querySelector('dialog') ?? null;

/** Every event of these types the element fires, in order. */
export function recordEvents<K extends keyof OtpStepEventMap>(
  el: EventTarget,
  ...types: K[]
) {
  const seen: OtpStepEventMap[K][] = [];
  for (const type of types)
    el.addEventListener(type, (e) => seen.push(e as OtpStepEventMap[K]));
  return seen;
}

/** Clicks the trigger as a person would and waits for the code to be shown. */
export async function clickTriggerForCode(el: OtpStep) {
  const issued = oneEvent(el, 'otp-issued');
  part(el, 'trigger').click();
  const event = await issued;
  await el.updateComplete;
  return event;
}

/**
 * Types into the code input one key at a time, as a person does, and waits for
 * the verdict. A complete code confirms by itself; with `no-auto-confirm` (or
 * `enter: true`) Enter is pressed after typing.
 */
export async function enterCode(
  el: OtpStep,
  typed: string,
  {enter = el.noAutoConfirm} = {},
) {
  const input = part<HTMLInputElement>(el, 'input');
  input.focus();
  const verdict = Promise.race([
    oneEvent(el, 'otp-confirmed'),
    oneEvent(el, 'otp-rejected'),
    oneEvent(el, 'otp-error'),
  ]);
  // One key at a time: WebKitWebDriver drops the second of two equal keys sent in
  // one action ("112" arrives as "12").
  for (const key of typed) await sendKeys({type: key});
  if (enter) await sendKeys({press: 'Enter'});
  const event = await verdict;
  await el.updateComplete;
  return event;
}

/** The same code with its first character changed: always wrong, always well formed. */
export const wrongCode = (code: string) =>
  code.replace(/^./, (c) =>
    /\d/.test(c) ? String((Number(c) + 1) % 10) : c === 'A' ? 'B' : 'A',
  );

/** Fails any test during which the page had an uncaught error or unhandled rejection. */
export function guardUncaughtErrors() {
  const uncaught: unknown[] = [];
  const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);
  beforeEach(() => {
    uncaught.length = 0;
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });
  afterEach(async () => {
    await aTimeout(0);
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    expect(uncaught, 'uncaught errors').to.deep.equal([]);
  });
}

/**
 * A clock the test moves by hand: Date and the shared ticker's interval are
 * faked; timeouts stay real, so waiting for events still works.
 */
export function fakeClock() {
  return sinon.useFakeTimers({
    now: Date.now(),
    toFake: ['Date', 'setInterval', 'clearInterval'],
  });
}

/** Language tags a page may hold that name no language of ours, or none at all. */
export const ODD_TAGS = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'x-',
  '-',
  'en-',
  'a'.repeat(5000),
  'zz-'.repeat(2000),
];

/** A request for a code by SMS (WebOTP) that the test answers. */
export interface SmsRequest {
  options: CredentialRequestOptions;
  resolve: (credential: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Plays the browser's side of WebOTP in the tests of the enclosing `describe`
 * (the SMS itself cannot reach a test machine): every request is kept in the
 * returned list, and rejects on abort as browsers do, so an unhandled one
 * fails the test.
 */
export function playWebOtp(): SmsRequest[] {
  const requests: SmsRequest[] = [];
  const credentials = navigator.credentials;
  const hadOtpCredential = 'OTPCredential' in window;
  beforeEach(() => {
    requests.length = 0;
    Object.defineProperty(navigator, 'credentials', {
      configurable: true,
      value: {
        get: (options: CredentialRequestOptions) =>
          new Promise((resolve, reject) => {
            requests.push({options, resolve, reject});
            options.signal?.addEventListener('abort', () =>
              reject(options.signal!.reason),
            );
          }),
      },
    });
    if (!hadOtpCredential)
      (window as unknown as Record<string, unknown>).OTPCredential = class {};
  });
  afterEach(() => {
    Object.defineProperty(navigator, 'credentials', {
      configurable: true,
      value: credentials,
    });
    if (!hadOtpCredential)
      delete (window as unknown as Record<string, unknown>).OTPCredential;
  });
  return requests;
}

/** A paste into `input` as the browser delivers it, with the text on the event's clipboard. */
export function pasteInto(input: HTMLInputElement, text: string) {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  input.focus();
  const event = new ClipboardEvent('paste', {
    clipboardData: data,
    bubbles: true,
    cancelable: true,
    composed: true,
  });
  // Firefox gives a constructed paste event an empty clipboard of its own.
  if (event.clipboardData !== data)
    Object.defineProperty(event, 'clipboardData', {value: data});
  input.dispatchEvent(event);
}
