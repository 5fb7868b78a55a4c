import {sendKeys} from '@web/test-runner-commands';
import type {OtpInput} from '../../src/input/otp-input.js';
import {pasteInto} from '../helpers.js';

/** The element's part with that name, inside its shadow root. */
export function part<T extends HTMLElement = HTMLElement>(el: OtpInput, name: string): T {
  const found = el.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part "${name}"`);
  return found;
}

export const inputOf = (el: OtpInput) => part<HTMLInputElement>(el, 'input');

export const boxesOf = (el: OtpInput) => [
  ...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="box"]'),
];

/** What each box shows, and which one is active. */
export function boxes(el: OtpInput) {
  const all = boxesOf(el);
  return {
    text: all.map((b) => b.textContent!.trim()).join('|'),
    active: all.findIndex((b) =>
      b.getAttribute('part')!.split(' ').includes('box-active'),
    ),
  };
}

export async function press(...keys: string[]) {
  for (const key of keys) await sendKeys({press: key});
}

/** One key at a time: WebKitWebDriver drops the second of two equal keys sent in one action. */
export async function type(text: string) {
  for (const key of text) await sendKeys({type: key});
}

/** A paste into the entry, as the browser delivers it. */
export const paste = (el: OtpInput, text: string) => pasteInto(inputOf(el), text);

/** What the browser does when it changes the input and will not let the page cancel it first. */
export function uncancellableInput(el: OtpInput, value: string, inputType: string) {
  const input = inputOf(el);
  input.value = value;
  input.dispatchEvent(
    new InputEvent('input', {bubbles: true, composed: true, inputType}),
  );
}

/** Every event of these types that reaches `target`, in order. */
export function record(target: EventTarget, ...types: string[]) {
  const seen: Event[] = [];
  for (const t of types) target.addEventListener(t, (e) => seen.push(e));
  return seen;
}
