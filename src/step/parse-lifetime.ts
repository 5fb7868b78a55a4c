/** The longest lifetime accepted: a one-time code that lives longer is a password. */
export const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * No lifetime anyone writes is longer (`1h 30m 15s 500ms` is 16): longer text is
 * refused before it is read, so a page cannot make the element scan megabytes.
 */
export const MAX_LIFETIME_TEXT = 64;

const UNIT_SECONDS = new Map([
  ['ms', 0.001],
  ['s', 1],
  ['m', 60],
  ['h', 3600],
  ['d', 86400],
]);

/**
 * One part of a short form (`90`, `1.5m`, `30 m `), read where the last one ended
 * (sticky). Nothing after `\d+` is required, so a part never backtracks into its
 * digits, and the text is read once, left to right: linear time. The old
 * whole-text pattern `(?:\s*\d+…)+` nested quantifiers and took 48 s on 41 digits.
 */
const SHORT_PART = /\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*/iy;
/** ISO 8601 durations of days and time: `PT5M`, `PT1H30M`, `P1D` (no years or months, whose length varies). Each number is closed by its letter, so this is linear too. */
const ISO_FORM =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Seconds of a code lifetime given as a number of seconds, a short form such as
 * `90s`, `5m`, `1h`, `1h 30m`, `500ms`, or an ISO 8601 duration such as `PT5M`.
 * Returns `undefined` when the text is not a duration or is not in (0, 24 h].
 */
export function parseLifetime(value: string | number): number | undefined {
  const seconds =
    typeof value === 'number'
      ? value
      : value.length > MAX_LIFETIME_TEXT
        ? undefined
        : parseText(value.trim());
  if (seconds === undefined || !Number.isFinite(seconds)) return undefined;
  return seconds > 0 && seconds <= MAX_LIFETIME_SECONDS ? seconds : undefined;
}

function parseText(text: string): number | undefined {
  if (text === '') return undefined;
  const iso = ISO_FORM.exec(text);
  if (iso) {
    const [, d, h, m, s] = iso.map((part) => (part === undefined ? 0 : Number(part)));
    // "P" and "PT" alone match the pattern but name no duration.
    return /\d/.test(text) ? d * 86400 + h * 3600 + m * 60 + s : undefined;
  }
  let seconds = 0;
  for (let at = 0; at < text.length;) {
    SHORT_PART.lastIndex = at;
    const part = SHORT_PART.exec(text);
    if (!part) return undefined;
    seconds += Number(part[1]) * UNIT_SECONDS.get((part[2] ?? 's').toLowerCase())!;
    at = SHORT_PART.lastIndex;
  }
  return seconds;
}
