/**
 * What `<otp-input>` makes of its attributes, and of text that reaches it: the
 * code's shape (length and alphabet, with what the one real input needs to
 * match), a value held to that shape, and why a value keeps a form from
 * submitting. Pure: no DOM.
 */
import type {AlphabetName} from '../code/alphabets.js';
import {extractCode, keepAlphabet} from '../code/clean-code.js';

export interface InputShape {
  /** 4 to 10. */
  length: number;
  alphabet: AlphabetName;
  numeric: boolean;
}

/** The code's shape from the attributes as a page wrote them: a length out of range is held to 4–10, an unknown alphabet is numeric. */
export function inputShape(length: number, alphabet: string): InputShape {
  const numeric = alphabet !== 'alphanumeric';
  return {
    length: Math.min(10, Math.max(4, Math.round(length) || 6)),
    alphabet: numeric ? 'numeric' : 'alphanumeric',
    numeric,
  };
}

/**
 * How many boxes a group holds, from the `group` attribute as a page wrote it
 * (a string) or the property (a number); 0 for no groups. A whole number from 0
 * up is taken as it is (rounded down, as `parseInt` reads it); anything else
 * (absent, empty, negative, not a number) gets the default: 3 for 6 characters
 * (123 456), 4 for 8, none for other lengths. Held, not refused, as `length` and
 * `alphabet` are: a look is never worth an error.
 */
export function groupSize(group: number | string | undefined, length: number): number {
  const size = parseInt(group as string);
  // 1 / size > 0: from 0 up, and not -0 ("-0.5" is negative; 1 / -0 is -Infinity).
  return 1 / size > 0 ? size : length === 6 ? 3 : length === 8 ? 4 : 0;
}

/** The input's `pattern`, for the keyboard and tools that read it. */
export const patternOf = ({length, numeric}: InputShape): string =>
  numeric ? `\\d{${length}}` : `[0-9A-Za-z]{${length}}`;

/** A value set by the page, held to the alphabet (look-alikes read as meant) and the length. */
export const clampCode = (text: string, {length, alphabet}: InputShape): string =>
  keepAlphabet(text, alphabet).slice(0, length);

/**
 * The code in text that arrived at once (a paste, SMS autofill, WebOTP): the page's
 * `transform` if it gave one, else the code taken out of it ("Your code is 123 456."),
 * then held to the shape.
 */
export function codeFromText(
  text: string,
  shape: InputShape,
  transform?: (text: string) => string,
): string {
  return clampCode(
    transform ? transform(text) : extractCode(text, shape.length, shape.alphabet),
    shape,
  );
}

/**
 * Why `value` keeps the owning form from submitting, as `setValidity` takes it,
 * or undefined when it does not. A required input needs a complete code
 * (`valueMissing`); any input with part of a code is `patternMismatch`, as an
 * `<input pattern>` would be. Either way the message says what is wanted.
 */
export function validityOf(
  value: string,
  {length, numeric}: InputShape,
  required: boolean,
): {flags: ValidityStateFlags; message: string} | undefined {
  if (value.length === length || !(value || required)) return undefined;
  return {
    flags: required ? {valueMissing: true} : {patternMismatch: true},
    message: `Enter the ${length}-${numeric ? 'digit' : 'character'} code.`,
  };
}
