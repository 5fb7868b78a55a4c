/**
 * The character sets a code may be drawn from.
 *
 * `alphanumeric` is Crockford's Base32: digits and upper-case letters without
 * I, L and O (read as 1, 1 and 0) nor U. No two of its characters look alike, so
 * what a person reads off a screen or an SMS can be typed back without doubt,
 * and look-alikes typed by mistake can be read as the character meant. With 32
 * characters, every random byte maps to one without bias.
 */
export const ALPHABETS = {
  numeric: '0123456789',
  alphanumeric: '0123456789ABCDEFGHJKMNPQRSTVWXYZ',
} as const;

export type AlphabetName = keyof typeof ALPHABETS;

export function isAlphabetName(name: string): name is AlphabetName {
  return Object.prototype.hasOwnProperty.call(ALPHABETS, name);
}

/** Characters typed for ones of the alphanumeric alphabet they resemble (after upper-casing). */
export const LOOK_ALIKES: Readonly<Record<string, string>> = {
  O: '0',
  I: '1',
  L: '1',
  U: 'V',
};
