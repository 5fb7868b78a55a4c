import {keepAlphabet} from '../code/clean-code.js';
import {typeCharacter, type CodeText} from '../code/code-editing.js';
import {clampCode, codeFromText, type InputShape} from './code-shape.js';

/** The input's text and selection, as the boxes draw them. */
export function caretOf(input: HTMLInputElement): CodeText {
  const at = input.value.length;
  return {
    value: input.value,
    start: input.selectionStart ?? at,
    end: input.selectionEnd ?? at,
  };
}

export interface CodeEditorOptions {
  shape(): InputShape;
  /** The box drawn at `x` (a pointer's clientX), from 0. */
  boxAt(x: number): number;
  /** The page's `pasteTransformer`, if any. */
  transform(): ((text: string) => string) | undefined;
  /** An edit of the code by the person, to show and announce. */
  edit(entry: CodeText): void;
  /** The caret moved, the code did not. */
  moveCaret(entry: CodeText): void;
}

/**
 * Turns what happens in the one transparent input into edits of a code of fixed
 * length: a key overwrites the box at the caret (code-editing.ts), text that
 * arrives at once is cleaned (a paste, SMS autofill, WebOTP), and whatever the
 * browser changed without asking first (deleting, IME, some autofill) is tidied
 * up after. It is the input's listener for all of that (`handleEvent`, the DOM's
 * EventListener interface), so no element pays for a closure per event.
 */
export class CodeEditor {
  readonly #options: CodeEditorOptions;

  constructor(options: CodeEditorOptions) {
    this.#options = options;
  }

  /** Fills every box from text that arrived at once: a paste, SMS autofill, WebOTP. */
  fill(text: string): void {
    const {shape, transform, edit} = this.#options;
    const value = codeFromText(text, shape(), transform());
    edit({value, start: value.length, end: value.length});
  }

  handleEvent(event: Event): void {
    const input = event.target as HTMLInputElement;
    switch (event.type) {
      case 'beforeinput':
        return this.#beforeInput(event as InputEvent, input);
      case 'paste':
        return this.#paste(event as ClipboardEvent);
      case 'input':
        return this.#input(input);
      case 'click':
        return this.#click(event as MouseEvent, input);
      default:
        // keyup, select, focus: the caret may have moved (arrows, Home, End, a selection).
        this.#options.moveCaret(caretOf(input));
    }
  }

  #beforeInput(event: InputEvent, input: HTMLInputElement): void {
    const data =
      event.data ??
      (event.inputType.startsWith('insertFrom')
        ? event.dataTransfer?.getData('text/plain')
        : null);
    // Composition (IME) and anything the browser will not let us cancel is
    // tidied up afterwards, in handleInput.
    if (!event.cancelable || !data || event.inputType === 'insertCompositionText') return;
    event.preventDefault();
    const {length, alphabet} = this.#options.shape();
    if (event.inputType === 'insertText' && [...data].length === 1) {
      const character = keepAlphabet(data, alphabet);
      if (character) this.#options.edit(typeCharacter(caretOf(input), character, length));
    } else {
      // Several characters at once: SMS autofill, a drop, a keyboard's suggestion.
      this.fill(data);
    }
  }

  #paste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text/plain');
    // No text (an image, say): leave it to the browser, and handleInput tidies up.
    if (!text) return;
    event.preventDefault();
    this.fill(text);
  }

  /** Whatever changed the input without a cancelable beforeinput (deleting, IME, some autofill). */
  #input(input: HTMLInputElement): void {
    if (clampCode(input.value, this.#options.shape()) === input.value)
      this.#options.edit(caretOf(input));
    else this.fill(input.value);
  }

  /**
   * A click lands on the transparent input; put the caret in the box under the
   * pointer. The boxes say where they are: groups and a badge's room space them
   * unevenly, and the input's characters only roughly (one letter-spacing).
   */
  #click(event: MouseEvent, input: HTMLInputElement): void {
    if (input.selectionStart !== input.selectionEnd) return;
    const caret = Math.min(this.#options.boxAt(event.clientX), input.value.length);
    input.setSelectionRange(caret, caret);
    this.#options.moveCaret(caretOf(input));
  }
}
