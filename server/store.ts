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
  /**
   * A value this process saw at `key` lately (wrote, or read from the store),
   * possibly stale; undefined when it has none. Saves a round trip to a
   * network store for facts that never change once written (which challenge
   * key a request id names, who a challenge is for), and must never decide
   * anything about a value that changes: that is `update`'s. A store in this
   * process (the memory store) leaves it out: its `update` costs nothing.
   */
  recall?(key: string): unknown;
  /**
   * True when the store should take no new challenge (a store with a bound on
   * its size says so before it is reached); the handler then answers 503 `busy`.
   */
  readonly full?: boolean;
  /**
   * True for a store that lives in this process alone, shared with no other
   * instance (the memory store): what only one instance could see may then be
   * kept beside it, in the process (the expiry watcher's due lists).
   */
  readonly inProcess?: boolean;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

/** Thrown by a store that cannot take a new key now; the handler answers 503 `busy`. */
export class OtpStoreFullError extends Error {
  constructor(readonly retryAfterSeconds = 60) {
    super('otp-step: the store is full');
    this.name = 'OtpStoreFullError';
  }
}

/**
 * Thrown by a store that cannot be reached or did not answer in time (Redis
 * down or slow); the handler answers 503 `store-unavailable` with Retry-After.
 */
export class OtpStoreUnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds = 1,
    cause?: unknown,
  ) {
    super('otp-step: the store is unavailable', {cause});
    this.name = 'OtpStoreUnavailableError';
  }
}

export interface MemoryOtpStoreOptions {
  now?: () => number;
  /**
   * Most keys held at once. From half of it the store is `full`, so new codes are
   * refused (503 `busy`) while codes already sent can still be confirmed in the
   * room left (a code takes two keys or more when issued and may add two when
   * judged: the account's failures and its confirmation); at it, an update that
   * would add a key throws `OtpStoreFullError` instead of the process running
   * out of memory.
   */
  maxKeys?: number;
}

/**
 * About 110 MB of heap when full: an issue keeps about four keys (challenge,
 * request id, two rate windows), measured at ~360 bytes a key on Node 20
 * (20,000 decoy issues, heap after GC). Sized for the abuse suite
 * (abuse-at-scale.test.ts: 6,000 requests a minute from 1,000 addresses), whose
 * peak must stay under half of it, where the store starts refusing new codes.
 */
export const DEFAULT_MAX_KEYS = 300_000;

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
export function memoryOtpStore(
  options: MemoryOtpStoreOptions | (() => number) = {},
): MemoryOtpStore {
  const {now = Date.now, maxKeys = DEFAULT_MAX_KEYS} =
    typeof options === 'function' ? {now: options} : options;
  const entries = new Map<string, Entry>();
  let lastSweep = now();
  /** Drops what has expired; when full, at most once a second, so a full store is not swept on every request. */
  const sweepNow = () => {
    lastSweep = now();
    for (const key of entries.keys()) live(key);
  };
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(sweepNow, 60_000);
  sweep.unref?.();
  return {
    async update(key, change) {
      // A key built by concatenation is a rope; flattened once here, the lookups
      // below hash and compare a flat string (V8 flattens on charCodeAt). In a map
      // of a million keys each lookup is a trip to memory: one per update where
      // the key is there already, as its entry is changed in place.
      key.charCodeAt(0);
      const entry = live(key);
      const current = entry?.value;
      const [value, result, ttlMs] = change(current);
      if (value === current) return result;
      const expiresAt = ttlMs === undefined ? Infinity : now() + ttlMs;
      if (value === undefined) entries.delete(key);
      else if (entry) {
        entry.value = value;
        entry.expiresAt = expiresAt;
      } else {
        if (entries.size >= maxKeys) {
          if (now() - lastSweep >= 1000) sweepNow();
          if (entries.size >= maxKeys) throw new OtpStoreFullError();
        }
        entries.set(key, {value, expiresAt});
      }
      return result;
    },
    get full() {
      if (entries.size < maxKeys / 2) return false;
      if (now() - lastSweep >= 1000) sweepNow();
      return entries.size >= maxKeys / 2;
    },
    get size() {
      for (const key of entries.keys()) live(key);
      return entries.size;
    },
    inProcess: true,
    values: () =>
      [...entries.keys()].map((key) => live(key)?.value).filter((v) => v !== undefined),
    close: () => clearInterval(sweep),
  };
}
