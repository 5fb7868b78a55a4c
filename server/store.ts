/**
 * Where the server keeps challenges, request ids, idempotent answers and rate
 * counters: a key-value store whose one operation is an atomic read-modify-write.
 * The in-memory store is the default; a production store (Redis, SQL) must make
 * `update` atomic per key (a transaction, WATCH/MULTI, or a Lua script), which
 * is what makes a code single-use under parallel confirmations.
 */
export interface OtpStore {
  /**
   * Reads the value at `key`, passes it to `change` and stores what `change`
   * returns in one step no other update of that key can interleave with.
   * `change` is synchronous. Returning the value it was given leaves the key as
   * it was (expiry included); returning `undefined` deletes it; `ttlMs` bounds how
   * long a new value is kept.
   */
  update<T>(
    key: string,
    change: (value: unknown) => [value: unknown, result: T, ttlMs?: number],
  ): Promise<T>;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

export interface MemoryOtpStore extends OtpStore {
  /** How many keys are held now; for tests and metrics. */
  readonly size: number;
  /** Every value held, for tests that check what is (not) stored. */
  values(): unknown[];
  /** Stops the sweeping timer. */
  close(): void;
}

/**
 * Keeps everything in a Map in this process. Atomic because `change` runs
 * synchronously between two awaits. Expired keys are dropped when read and by a
 * sweep every minute (the timer does not keep the process alive).
 */
export function memoryOtpStore(now: () => number = Date.now): MemoryOtpStore {
  const entries = new Map<string, Entry>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const key of entries.keys()) live(key);
  }, 60_000);
  sweep.unref?.();
  return {
    async update(key, change) {
      const current = live(key)?.value;
      const [value, result, ttlMs] = change(current);
      if (value === current) return result;
      if (value === undefined) entries.delete(key);
      else
        entries.set(key, {
          value,
          expiresAt: ttlMs === undefined ? Infinity : now() + ttlMs,
        });
      return result;
    },
    get size() {
      for (const key of entries.keys()) live(key);
      return entries.size;
    },
    values: () =>
      [...entries.keys()].map((key) => live(key)?.value).filter((v) => v !== undefined),
    close: () => clearInterval(sweep),
  };
}
