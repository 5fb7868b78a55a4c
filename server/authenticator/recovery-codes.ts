/**
 * Recovery codes: what signs a user in when the phone with the app is lost.
 * Ten of them, 10 characters each of Crockford's Base32 (50 bits, drawn
 * without modulo bias), shown `XXXXX-XXXXX` once and kept only as HMACs under
 * a key derived from the server's secret, bound to the account, so a copy of
 * the store neither gives them away nor lets anyone try guesses offline.
 */
import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto';
import {ALPHABETS} from '../../src/code/alphabets.js';
import {cleanCode, isWellFormedCode} from '../../src/code/clean-code.js';
import {generateCode} from '../../src/code/generate-code.js';

export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_LENGTH = 10;

/** A fresh set, as shown: `XXXXX-XXXXX`, from the OS's CSPRNG. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({length: count}, () => {
    const code = generateCode(RECOVERY_CODE_LENGTH, ALPHABETS.alphanumeric, (n) =>
      randomBytes(n),
    );
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/**
 * What a person typed, as the code it stands for, or undefined when it cannot
 * be one: any case, with or without the dash (or spaces), with Crockford's
 * look-alikes read as meant (I and L as 1, O as 0).
 */
export function cleanRecoveryCode(typed: string): string | undefined {
  const code = cleanCode(typed, 'alphanumeric');
  return isWellFormedCode(code, RECOVERY_CODE_LENGTH, 'alphanumeric') ? code : undefined;
}

/** The keyed hash a recovery code is kept as, for one account (base64url). */
export function recoveryDigest(key: Uint8Array, account: string, shown: string): string {
  const code = cleanRecoveryCode(shown) ?? '';
  return createHmac('sha256', key)
    .update(JSON.stringify([account, code]))
    .digest('base64url');
}

/**
 * Where `digest` is in `kept`, or -1: every entry is compared, in constant
 * time, so the time taken says nothing of which one (or whether one) matched.
 */
export function indexOfDigest(kept: readonly string[], digest: string): number {
  const given = Buffer.from(digest);
  let found = -1;
  kept.forEach((entry, index) => {
    const candidate = Buffer.from(entry);
    if (candidate.length === given.length && timingSafeEqual(candidate, given))
      found = index;
  });
  return found;
}
