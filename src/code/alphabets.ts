/**
 * The character sets a code may be drawn from. `alphanumeric` leaves out the
 * characters people mistake for one another when reading a code off a screen or
 * an SMS (0/O, 1/I/L), the same idea as Crockford's Base32.
 */
export const ALPHABETS = {
  numeric: '0123456789',
  alphanumeric: '23456789ABCDEFGHJKMNPQRSTUVWXYZ',
} as const;

export type AlphabetName = keyof typeof ALPHABETS;

export function isAlphabetName(name: string): name is AlphabetName {
  return Object.prototype.hasOwnProperty.call(ALPHABETS, name);
}
