import {LitElement, html, nothing, type PropertyValues} from 'lit';
import type {AlphabetName} from '../code/alphabets.js';
import {activeBox, type CodeText} from '../code/code-editing.js';
import {CodeEditor} from './code-editor.js';
import {
  clampCode,
  groupSize,
  inputShape,
  patternOf,
  validityOf,
  type InputShape,
} from './code-shape.js';
import type {OtpCompleteDetail} from './events.js';
import {FormAssociatedElement} from '../forms/form-associated.js';
import {BADGES} from './password-managers.js';
import {styles} from './otp-input.styles.js';
import {WebOtpController} from './web-otp-controller.js';
import {defineElement} from '../define-element.js';

export type * from './events.js';

/**
 * A one-time code field: one real `<input autocomplete="one-time-code">`,
 * transparent over a row of boxes that show the code, so SMS autofill, password
 * managers and screen readers meet a single text field. Typing overwrites the box
 * under the caret; a paste or autofill is cleaned ("Your code is 123 456."); with
 * `web-otp` a code that arrives by SMS fills in. Form-associated, like `<input>`.
 * The boxes are drawn in groups (123 456) where `group` says; the value stays
 * unbroken, and screen readers still meet one field.
 *
 * Password managers: when 1Password, LastPass, Bitwarden or Dashlane has marked
 * the input (the markers of input-otp's `pushPasswordManagerStrategy`, looked for
 * as the input gains focus and twice in the 2 s after), the entry keeps 40px free
 * at its end, inside the input, where the manager draws its badge: the badge covers
 * no box. The input keeps its `autocomplete`, label and place, so the manager still
 * fills it. The room is at the right on right-to-left pages too, as the code is.
 *
 * @summary A one-time code input drawn as boxes.
 *
 * @tagname otp-input
 *
 * @csspart label - The visible label, when `label` is set.
 * @csspart entry - The input with the boxes drawn under it.
 * @csspart input - The one real `<input>` that carries the code; transparent, over the boxes.
 * @csspart boxes - The row of boxes (in groups, each a `<span>` of its boxes).
 * @csspart box - One character's box; also `box-filled`, and `box-active` for the caret's.
 * @csspart caret - The caret drawn in the active box while the input has focus.
 *
 * @cssprop --otp-input-accent - Outline of the active box.
 * @cssprop --otp-input-background - Background of the boxes.
 * @cssprop --otp-input-color - Text colour.
 * @cssprop --otp-input-border-color - Borders of the boxes.
 * @cssprop --otp-input-error-color - Borders of the boxes when `invalid`.
 * @cssprop --otp-input-radius - Corner radius of the boxes.
 * @cssprop --otp-input-gap - Space between boxes, and under the label; three times it between groups.
 * @cssprop --otp-input-code-font - Font of the characters in the boxes.
 * @cssprop --otp-input-box-size - Width of a box, in the element's font (its height and character follow); set by `size` unless given.
 *
 * @fires {Event} input - The person changed the value (typed, deleted, pasted, autofilled, or a code came by SMS); once per change.
 * @fires {Event} change - The person committed a changed value: on blur, on Enter, and when the code became complete.
 * @fires {CustomEvent<OtpCompleteDetail>} otp-complete - An edit by the person left every box filled; `detail.value` is the code.
 */
export class OtpInput extends FormAssociatedElement {
  static override styles = styles;
  /**
   * The reactive properties, declared here rather than with @property on each
   * field: one object instead of a decorator call per field is what keeps
   * dist/otp-input.js within its 9,000 B (issue 17). Each field below keeps its
   * default and its description; the manifest reads both.
   */
  static override properties = {
    length: {type: Number},
    alphabet: {},
    group: {},
    mask: {type: Boolean},
    size: {reflect: true, useDefault: true},
    webOtp: {type: Boolean, attribute: 'web-otp'},
    label: {},
    invalid: {type: Boolean, reflect: true, useDefault: true},
    description: {},
    autofocus: {type: Boolean, reflect: true, useDefault: true},
    pasteTransformer: {attribute: false},
    value: {},
  };
  // Focusing the host (autofocus in a modal <dialog>, a label, focus()) focuses the input.
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };
  /** The value as last set or typed; read through `value`, held to the shape. */
  #raw = '';
  /** The value when `change` last went out or the page set it: blur fires `change` only past it. */
  #committed = '';
  #customValidity = '';
  readonly #editor = new CodeEditor({
    shape: () => this.#shape(),
    boxAt: (x) => {
      // The last box that starts left of x: the box under it, or the one before
      // the gap (or the badge's room) it is in. Boxes as drawn, groups and all.
      let at = 0;
      this.renderRoot
        .querySelectorAll('[part~="box"]')
        .forEach((box, i) => box.getBoundingClientRect().left > x || (at = i));
      return at;
    },
    transform: () => this.pasteTransformer,
    edit: (entry) => this.#edit(entry),
    moveCaret: (entry) => this.#draw(entry),
  });

  /** The code with the caret, as the boxes draw it. */
  #entry: CodeText = {value: '', start: 0, end: 0};
  /**
   * A password manager marked the input: the entry leaves room for its badge.
   * Kept once found, so the boxes do not move again when the badge goes (on blur).
   */
  #room = false;

  /** Number of characters in the code, 4 to 10 (held to that range). */
  length = 6;
  /** `numeric`, or `alphanumeric` (Crockford's Base32: digits and letters without I, L, O, U; look-alikes are read as meant). */
  alphabet: AlphabetName = 'numeric';
  /**
   * Boxes per group, drawn with a gap between groups (`3`: 123 456); the value
   * stays unbroken. `0` for none. Default: 3 for 6 characters, 4 for 8, none for
   * other lengths; a value that is not a whole number from 0 up gets the default.
   * The last group holds what is left (7 in threes: 3 3 1).
   */
  group?: number | string;
  /** Shows • in the boxes instead of the characters. */
  mask = false;
  /** Box size: `small`, `medium` or `large`. */
  size: 'small' | 'medium' | 'large' = 'medium';
  /** Fills in a code that arrives by SMS, through the WebOTP API where the browser has it, while set. */
  webOtp = false;
  /** Visible label; without one the input is labelled "One-time code" for screen readers. */
  label = '';
  /** Marks the code as wrong: `aria-invalid` and the error colour on the boxes. */
  invalid = false;
  /** Describes the input to screen readers (`aria-description`), such as a message shown elsewhere. */
  description = '';
  /**
   * Focuses the input when the page loads, or when a modal `<dialog>` holding it opens.
   * Observed so the inner input gets it too: Chromium's dialog focusing steps pass
   * over a `delegatesFocus` host with `autofocus` (Firefox and WebKit focus its input).
   */
  override autofocus = false;
  /** Turns pasted or autofilled text into the code; by default the code is taken out of it ("Your code is 123 456"). */
  pasteTransformer?: (text: string) => string;

  /** The code as typed so far. Setting it fires no event, as with `<input>`; it is held to the alphabet and length. */
  get value(): string {
    return clampCode(this.#raw, this.#shape());
  }
  set value(value: string) {
    this.#raw = String(value ?? '');
    this.#committed = this.value;
    this.#syncForm();
  }

  constructor() {
    super();
    // Asks for a code by SMS while web-otp is set and the element connected and enabled.
    new WebOtpController(
      this,
      () => this.webOtp && this.isConnected && !this.isDisabled,
      (code) => this.#editor.fill(code),
    );
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('value') || changed.has('length') || changed.has('alphabet')) {
      const value = (this.#raw = this.value);
      if (value !== this.#entry.value) {
        this.#committed = value;
        this.#entry = {value, start: value.length, end: value.length};
        // Straight into the input: the binding below may have rendered this very
        // value before the person typed another (what lit's live() does, in fewer bytes).
        if (this.#input) this.#input.value = value;
      }
    }
    // The first time, firstUpdated() does it, with the input there to anchor the message.
    if (
      this.hasUpdated &&
      (changed.has('required') || changed.has('length') || changed.has('alphabet'))
    )
      this.#syncForm();
  }

  protected override firstUpdated(): void {
    // Again, now that the input is there to show the validation message at.
    this.#syncForm();
  }

  formResetCallback(): void {
    this.value = '';
  }

  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string') this.value = state;
  }

  /** The boxes draw `entry` next (a plain field, not a reactive one: fewer bytes for one redraw). */
  #draw(entry: CodeText): void {
    this.#entry = entry;
    this.requestUpdate();
  }

  /** The one real input, once rendered. */
  get #input(): HTMLInputElement | null | undefined {
    return this.shadowRoot?.querySelector('input');
  }

  #shape(): InputShape {
    return inputShape(this.length, this.alphabet);
  }

  #syncForm(): void {
    const value = this.value;
    this.internals.setFormValue(value, value);
    const problem = this.#customValidity
      ? {flags: {customError: true}, message: this.#customValidity}
      : validityOf(value, this.#shape(), this.required);
    if (problem)
      this.internals.setValidity(
        problem.flags,
        problem.message,
        this.#input ?? undefined,
      );
    else this.internals.setValidity({});
  }

  /** An edit by the person: the boxes, the input, the form value, and the events a text field fires. */
  #edit(entry: CodeText): void {
    const changed = entry.value !== this.value;
    this.#raw = entry.value;
    this.#draw(entry);
    const input = this.#input;
    if (input) {
      input.value = entry.value;
      if (input === this.shadowRoot?.activeElement)
        input.setSelectionRange(entry.start, entry.end);
    }
    this.#syncForm();
    if (changed) this.dispatchEvent(new Event('input', {bubbles: true, composed: true}));
    if (entry.value.length === this.#shape().length) {
      this.#commit();
      this.dispatchEvent(
        new CustomEvent<OtpCompleteDetail>('otp-complete', {
          detail: {value: entry.value},
          bubbles: true,
          composed: true,
        }),
      );
    }
  }

  /**
   * Password managers draw their badge a moment after the field gains focus, or
   * already have: look for one now and twice more, as input-otp does (it checks at
   * focus, 2 s and 5 s). Querying for the markers is the whole cost.
   */
  #handleFocusIn(): void {
    for (const ms of [0, 500, 2000])
      setTimeout(() => {
        // The markers are in the page (1Password, Bitwarden) or beside the input (LastPass, Dashlane).
        if (
          !this.#room &&
          [document, this.renderRoot].some((r) => r.querySelector(BADGES))
        ) {
          this.#room = true;
          this.requestUpdate();
        }
      }, ms);
  }

  /** Fires `change` when the value differs from the one last committed, as a text field does. */
  #commit(): void {
    const value = this.value;
    if (value === this.#committed) return;
    this.#committed = value;
    this.dispatchEvent(new Event('change', {bubbles: true}));
  }

  /** The input's own event is composed and would reach the page beside ours: one per change. */
  #handleInput(event: Event): void {
    event.stopPropagation();
    this.#editor.handleEvent(event);
  }

  #handleKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.isComposing) return;
    // Implicit submission, as Enter in a text field of the form does.
    this.#commit();
    this.internals.form?.requestSubmit();
  }

  /** A message of the page's own that makes the value invalid, as on `<input>`; '' clears it. */
  setCustomValidity(message: string): void {
    this.#customValidity = message;
    this.#syncForm();
  }

  /** Selects the whole code, so the next key replaces it. */
  select(): void {
    this.#input?.select();
  }

  override render() {
    const shape = this.#shape();
    const {length} = shape;
    const entry = this.#entry;
    const disabled = this.isDisabled;
    const active = activeBox(entry, length);
    const size = groupSize(this.group, length) || length;
    const groups = [];
    for (let i = 0; i < length; i += size)
      groups.push(
        html`<span
          >${Array.from({length: Math.min(size, length - i)}, (_, j) => {
            const at = i + j;
            const character = entry.value[at] ?? '';
            const parts = `box${character ? ' box-filled' : ''}${at === active ? ' box-active' : ''}`;
            return html`<span part=${parts}
              >${character && this.mask ? '•' : character}${
                at === active && !disabled ? html`<span part="caret"></span>` : nothing
              }</span
            >`;
          })}</span
        >`,
      );
    return html`
      ${this.label ? html`<label part="label" for="input">${this.label}</label>` : nothing}
      <div
        part="entry"
        dir="ltr"
        .style=${
          // Through CSSOM (the style property), not a style attribute, which a
          // CSP without style-src 'unsafe-inline' blocks. --_gaps counts the gaps
          // in the row, a group's gap three (otp-input.styles.ts); --_room is 1
          // while the badge's room is kept.
          `--_length:${length};--_gaps:${length + 2 * groups.length - 3};--_room:${+this.#room}`
        }
        @focusin=${this.#handleFocusIn}
      >
        <input
          id="input"
          part="input"
          autocomplete="one-time-code"
          inputmode=${shape.numeric ? 'numeric' : 'text'}
          pattern=${patternOf(shape)}
          autocapitalize=${shape.numeric ? 'off' : 'characters'}
          autocorrect="off"
          spellcheck="false"
          dir="ltr"
          .value=${entry.value}
          aria-label=${this.label ? nothing : 'One-time code'}
          aria-invalid=${this.invalid ? 'true' : nothing}
          aria-description=${this.description || nothing}
          ?required=${this.required}
          ?autofocus=${this.autofocus}
          ?disabled=${disabled}
          @beforeinput=${this.#editor}
          @input=${this.#handleInput}
          @paste=${this.#editor}
          @keydown=${this.#handleKeydown}
          @keyup=${this.#editor}
          @select=${this.#editor}
          @focus=${this.#editor}
          @blur=${this.#commit}
          @click=${this.#editor}
        />
        <div part="boxes" aria-hidden="true">${groups}</div>
      </div>
    `;
  }
}

/**
 * Defines `<otp-input>`, or the input under another name or in another registry
 * (a scoped one), and returns its constructor. Importing `otp-step/input` does
 * this for the usual name; `otp-step/input/class` leaves it to the page.
 */
export function define(
  name = 'otp-input',
  registry: CustomElementRegistry = customElements,
): typeof OtpInput {
  return defineElement(OtpInput, name, registry);
}

declare global {
  interface HTMLElementTagNameMap {
    'otp-input': OtpInput;
  }
}
