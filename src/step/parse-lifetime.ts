/** The longest lifetime accepted: a one-time code that lives longer is a password. */
export const MAX_LIFETIME_SECONDS = 24 * 60 * 60;

const UNIT_SECONDS: Record<string, number> = {ms: 0.001, s: 1, m: 60, h: 3600, d: 86400};

/** `90`, `90s`, `1.5m`, `1h 30m` */
const SHORT_FORM = /^(?:\s*\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)?\s*)+$/i;
const SHORT_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?/gi;
/** ISO 8601 durations of days and time: `PT5M`, `PT1H30M`, `P1D` (no years or months, whose length varies). */
const ISO_FORM =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Seconds of a code lifetime given as a number of seconds, a short form such as
 * `90s`, `5m`, `1h`, or an ISO 8601 duration such as `PT5M`.
 * Returns `undefined` when the text is not a duration or is not in (0, 24 h].
 */
export function parseLifetime(value: string | number): number | undefined {
  const seconds = typeof value === 'number' ? value : parseText(value.trim());
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
  if (!SHORT_FORM.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(SHORT_PART)) {
    seconds += Number(amount) * UNIT_SECONDS[(unit ?? 's').toLowerCase()];
  }
  return seconds;
}
