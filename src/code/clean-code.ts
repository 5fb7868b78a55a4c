import {ALPHABETS, type AlphabetName} from './alphabets.js';

/**
 * What a person typed or pasted, made into the code it stands for: the Confirm
 * step's "cleaned of unnecessary characters". Full-width and other compatibility
 * digits become ASCII (NFKC), separators and white space go, and letters are
 * upper-cased where the alphabet has letters.
 */
export function cleanCode(typed: string, alphabet: AlphabetName): string {
  const text = typed.normalize('NFKC').replace(/[\s\-‐‑‒–—―_.·•,:;/\\|()[\]{}'"`]/gu, '');
  return alphabet === 'numeric' ? text : text.toUpperCase();
}

/** True when `code` has exactly `length` characters, all from the alphabet. */
export function isWellFormedCode(
  code: string,
  length: number,
  alphabet: AlphabetName,
): boolean {
  const characters = ALPHABETS[alphabet];
  return code.length === length && [...code].every((c) => characters.includes(c));
}
