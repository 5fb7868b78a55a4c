import type {OtpLogger} from '../log-safe.js';

type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | undefined>;

/** The handler's `OtpLogger`, and `log` for the service's own lines with fields. */
export interface JsonLogger extends OtpLogger {
  log(level: Level, msg: string, fields?: Fields): void;
}

/**
 * One JSON object per line (`{"time","level","msg",…}`), what log collectors
 * parse without configuration. JSON.stringify escapes line breaks, so a value
 * from a request cannot start a line of its own. Codes are never passed in: the
 * service's notify logs only what was sent where.
 */
export function jsonLogger(
  write: (line: string) => void = (line) => void process.stdout.write(line),
  now: () => number = Date.now,
): JsonLogger {
  const log = (level: Level, msg: string, fields: Fields = {}) =>
    write(
      `${JSON.stringify({time: new Date(now()).toISOString(), level, msg, ...fields})}\n`,
    );
  return {
    log,
    info: (message) => log('info', message),
    warn: (message) => log('warn', message),
    error: (message) => log('error', message),
  };
}
