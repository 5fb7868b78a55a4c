/**
 * Invisible characters that make two spellings of one name look like two
 * accounts: controls (Cc), format characters (Cf: zero-width space and joiners,
 * bidi marks and isolates, the BOM, the soft hyphen), every default-ignorable
 * code point (variation selectors, the combining grapheme joiner, Mongolian
 * variation selectors, Hangul fillers) and the blank braille pattern.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Full case folding where lower-casing falls short (Unicode CaseFolding.txt, status F and the final sigma). */
const FOLD: Record<string, string> = {ß: 'ss', ς: 'σ', ﬅ: 'st', ﬆ: 'st'};

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
    .replace(/[ßςﬅﬆ]/g, (c) => FOLD[c])
    .normalize('NFKC')
    .trim();
}
