import {createWriteStream, openSync} from 'node:fs';
import {ConfigError} from './config-error.js';
import type {JsonLogger} from './json-logger.js';

/** Where the side service's audit lines go, and how to let the last of them out on shutdown. */
export interface AuditSink {
  write(line: string): void;
  close(): Promise<void>;
}

/**
 * The file OTP_AUDIT_LOG, appended to (opened now: a path that cannot be
 * opened stops the start, naming the variable), or standard output as the
 * service's other lines are, marked `"log": "audit"` so a collector can route
 * them to a store of their own (kept longer, read by fewer people).
 */
export function auditSink(path: string | undefined, logger: JsonLogger): AuditSink {
  if (path === undefined)
    return {
      write: (line) =>
        logger.log('info', 'audit', {
          log: 'audit',
          ...(JSON.parse(line) as Record<string, string | undefined>),
        }),
      close: async () => undefined,
    };
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
  } catch (error) {
    throw new ConfigError(
      `OTP_AUDIT_LOG cannot be opened for appending: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const file = createWriteStream('', {fd});
  let failed = false;
  file.on('error', (error) => {
    // Logged once: a full disk would otherwise log once per event.
    if (!failed) logger.log('error', 'audit log write failed', {reason: error.message});
    failed = true;
  });
  return {
    write: (line) => void file.write(`${line}\n`),
    close: () => new Promise<void>((resolve) => file.end(resolve)),
  };
}
