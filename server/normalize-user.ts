/**
 * Invisible characters that make two spellings of one name look like two
 * accounts: controls (Cc) and format characters (Cf: zero-width space and
 * joiners, bidi marks and isolates, the BOM, the soft hyphen).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * The account a user name stands for, as every key and limit of the server sees
 * it: Unicode NFKC, case-folded, with controls and zero-width characters dropped
 * and the ends trimmed. `Victim`, `VICTIM`, `victim\u200b` and a full-width
 * `ｖｉｃｔｉｍ` are one account, so no limit can be sidestepped by spelling.
 */
export function normalizeUser(user: string): string {
  return user
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .normalize('NFKC')
    .trim();
}
