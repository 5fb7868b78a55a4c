/**
 * Editing a code of fixed length in one text field, as the boxes drawn over it
 * show it: typing overwrites the character at the caret (the active box) rather
 * than pushing the rest along, typing past the end replaces the last character,
 * and a selection is replaced as in any text field. Pure: no DOM.
 */
export interface CodeText {
  value: string;
  /** Selection in the field; equal when it is a caret. */
  start: number;
  end: number;
}

const caretAt = (value: string, at: number): CodeText => {
  const caret = Math.max(0, Math.min(at, value.length));
  return {value, start: caret, end: caret};
};

/** Types `character` (already in the alphabet) where the caret or selection is. */
export function typeCharacter(
  text: CodeText,
  character: string,
  length: number,
): CodeText {
  const {value, start, end} = text;
  if (start !== end) {
    return caretAt(
      (value.slice(0, start) + character + value.slice(end)).slice(0, length),
      start + 1,
    );
  }
  if (start < value.length) {
    return caretAt(value.slice(0, start) + character + value.slice(start + 1), start + 1);
  }
  if (value.length < length) return caretAt(value + character, value.length + 1);
  return caretAt(value.slice(0, length - 1) + character, length);
}

/** The box a caret marks: the one typing would fill, or the last when the code is full. */
export function activeBox(text: CodeText, length: number): number {
  return Math.min(text.start, length - 1);
}
