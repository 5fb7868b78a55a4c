import {ALPHABETS, LOOK_ALIKES, type AlphabetName} from './alphabets.js';

/** White space and the marks people put between groups of a code. */
const SEPARATORS = /[\s\-‐‑‒–—―_.·•,:;/\\|()[\]{}'"`]/gu;

/**
 * Characters as the alphabet spells them: full-width and other compatibility
 * forms become ASCII (NFKC), and for the alphanumeric alphabet letters are
 * upper-cased and look-alikes read as the character meant (O as 0, I and L as 1).
 */
export function normalizeCharacters(text: string, alphabet: AlphabetName): string {
  const plain = text.normalize('NFKC');
  if (alphabet === 'numeric') return plain;
  return plain.toUpperCase().replace(/[OILU]/g, (c) => LOOK_ALIKES[c]);
}

/**
 * What a person typed, made into the code it stands for: the Confirm step's
 * "cleaned of unnecessary characters". Separators and white space go.
 */
export function cleanCode(typed: string, alphabet: AlphabetName): string {
  return normalizeCharacters(typed, alphabet).replace(SEPARATORS, '');
}

/** Only the characters of the alphabet, in order. */
export function keepAlphabet(text: string, alphabet: AlphabetName): string {
  const characters = ALPHABETS[alphabet];
  return [...normalizeCharacters(text, alphabet)]
    .filter((c) => characters.includes(c))
    .join('');
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

/**
 * The code in a pasted or autofilled text: the text itself when it is the code
 * with separators ("123-456"), or the code taken out of a sentence ("Your code
 * is 123 456. Do not share it."). Words are tried alone and joined with the
 * words after them, and the first run of exactly `length` characters wins,
 * preferring one whose every word has a digit, as code groups nearly always
 * have one and words do not.
 * Where no run fits, what is left of the text in the alphabet, cut to `length`.
 */
export function extractCode(
  text: string,
  length: number,
  alphabet: AlphabetName,
): string {
  const whole = cleanCode(text, alphabet);
  if (isWellFormedCode(whole, length, alphabet)) return whole;

  const words = text
    .normalize('NFKC')
    .split(/\s+/)
    .map((word) => word.replace(SEPARATORS, ''))
    .filter(Boolean);
  // Each run with whether every word in it had a digit as written: "CODE IS"
  // reads as C0DE1S, and "use K7Q" as VSEK7Q, but only K7Q looks like a code.
  const runs: {code: string; digit: boolean}[] = [];
  for (let start = 0; start < words.length; start++) {
    let code = '';
    let digit = true;
    for (let end = start; end < words.length && code.length < length; end++) {
      const word = normalizeCharacters(words[end], alphabet);
      // A word with characters outside the alphabet is not part of a code.
      if (!isWellFormedCode(word, word.length, alphabet)) break;
      code += word;
      digit &&= /\d/.test(words[end]);
      if (code.length === length) runs.push({code, digit});
    }
  }
  const best = runs.find((run) => run.digit) ?? runs[0];
  return best ? best.code : keepAlphabet(text, alphabet).slice(0, length);
}
