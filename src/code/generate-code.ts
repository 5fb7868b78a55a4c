/** Fills `length` random bytes; the browser's CSPRNG unless a test injects another. */
export type RandomBytes = (length: number) => Uint8Array;

const cryptoBytes: RandomBytes = (length) =>
  crypto.getRandomValues(new Uint8Array(length));

/**
 * A code of `length` characters drawn uniformly from `alphabet`.
 *
 * Each byte is used only when it is below the largest multiple of the alphabet's
 * size that fits in a byte; the rest are thrown away and drawn again. Taking every
 * byte modulo the size instead would make the first `256 % size` characters more
 * likely (rejection sampling, as in NIST SP 800-90A's "simple discard method").
 */
export function generateCode(
  length: number,
  alphabet: string,
  randomBytes: RandomBytes = cryptoBytes,
): string {
  const size = alphabet.length;
  if (size < 2 || size > 256)
    throw new RangeError('alphabet must have 2 to 256 characters');
  const limit = 256 - (256 % size);
  let code = '';
  while (code.length < length) {
    // Ask for a little more than needed so one draw is nearly always enough.
    for (const byte of randomBytes(length - code.length + 4)) {
      if (byte < limit) code += alphabet[byte % size];
      if (code.length === length) break;
    }
  }
  return code;
}
