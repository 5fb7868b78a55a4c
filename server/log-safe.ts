/** Line breaks, controls and invisible format characters: what could forge or hide part of a log line. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * Text from a request made safe to write into a log: every character that could
 * start a new line or hide text is written as `\u{…}`, and the length is capped.
 * A user name such as "x\none-time-code for admin: 123456" stays on its own line.
 */
export function logSafe(value: unknown, max = 200): string {
  const text = String(value);
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return shown.replace(
    UNSAFE,
    (c) => `\\u{${c.codePointAt(0)!.toString(16).padStart(4, '0')}}`,
  );
}

/** Where the server writes; `console` by default. */
export interface OtpLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
