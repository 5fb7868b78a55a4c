/**
 * otp-step/server/redis: an `OtpStore` on Redis or Valkey, for servers that run
 * as several instances or must keep pending codes across a restart. Only this
 * entry loads the Redis client (`ioredis`, an optional peer dependency).
 */
import {
  checkConnection,
  keysStartingWith,
  makeClient,
  type RedisClient,
} from './redis-client.js';
import {DEFAULT_KEY_PREFIX} from './keys.js';
import {OtpStoreUnavailableError, type OtpStore} from './store.js';

export interface RedisOtpStoreOptions {
  /** `redis://…` or `rediss://…` of one server; a client is made and owned by the store. */
  url?: string;
  /**
   * Seed nodes of a Redis Cluster or Valkey cluster (`['redis://10.0.0.1:6379', …]`,
   * one is enough, the others are found from it); a cluster client is made and owned
   * by the store. Every operation touches one key, so one slot. Not with `url`.
   */
  cluster?: string[];
  /**
   * A client of the app's own, an ioredis `Redis` or `Cluster` (its options are left
   * as they are; `close` does not quit it). Give it a `commandTimeout`, or an
   * operation waits as long as the client lets it.
   */
  client?: RedisClient;
  /** Put before every key, so the store can share a database. */
  prefix?: string;
  /**
   * Longest one store operation may wait for Redis (including for a connection)
   * before the request is answered 503 `store-unavailable`.
   */
  timeoutMs?: number;
  /** The clock, for tests; expiry is judged by it as well as by Redis's TTLs. */
  now?: () => number;
}

export interface RedisOtpStore extends OtpStore {
  /** Every live key under the prefix with its value, for tests and inspection. */
  entries(): Promise<[string, unknown][]>;
  /** Quits the client the store made (not a client it was given). */
  close(): Promise<void>;
}

/**
 * Compare-and-set: writes (or deletes) the key only if it still holds what the
 * update started from, and otherwise answers what it holds instead, so the
 * next try starts from that with no GET. A script, not WATCH/MULTI, because
 * WATCH belongs to a connection and a shared connection carries many requests
 * at once.
 * ARGV: the value started from, whether there was one ('1'/'0'), the new value
 * ('' deletes), TTL ms ('0': none).
 * Answers 1 when done; else what the key holds, or 0 for nothing.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[2] == '1' then
  if current ~= ARGV[1] then return current or 0 end
elseif current then
  return current
end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
elseif ARGV[4] ~= '0' then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1`;

/**
 * How much longer Redis keeps a key than its expiry says. Expiry is judged from
 * the expiry kept in the value, by the store's clock; Redis's own TTL only
 * clears the key away, and must not clear it before that clock says so (a
 * window that ends in 1 ms at one instance's clock may still be open at
 * another's, or at a test's clock).
 */
const CLEAR_AFTER_MS = 60_000;

/** Lost races before an update gives up; each loss means another update of the key won. */
const MAX_TRIES = 200;

/**
 * Keys whose last value this process saw (wrote, or read from Redis) are kept
 * as the first guess of their next update, up to this many, the oldest
 * forgotten first (a challenge is under 1 KB: a couple of MB at most).
 */
const GUESSES_KEPT = 2000;

type Casting = RedisClient & {
  otpCompareAndSet(
    key: string,
    expected: string,
    hadValue: '0' | '1',
    value: string,
    ttlMs: string,
  ): Promise<number | string>;
};

/** A value as stored: JSON with its expiry by the store's clock; bytes as base64. */
interface Envelope {
  e: number | null;
  v: unknown;
}

const encode = (value: unknown, expiresAt: number | null) =>
  JSON.stringify({e: expiresAt, v: value} satisfies Envelope, (_, v: unknown) =>
    v && typeof v === 'object' && (v as {type?: unknown}).type === 'Buffer'
      ? {$bytes: Buffer.from((v as {data: number[]}).data).toString('base64')}
      : v,
  );

const decode = (raw: string): Envelope =>
  JSON.parse(raw, (_, v: unknown) =>
    v && typeof v === 'object' && typeof (v as {$bytes?: unknown}).$bytes === 'string'
      ? Buffer.from((v as {$bytes: string}).$bytes, 'base64')
      : v,
  );

/**
 * Keeps challenges and counters in Redis. Each `update` runs the change on
 * what the key is thought to hold and writes back with a compare-and-set
 * script, going again from what the key holds if another instance wrote first,
 * so updates are atomic across instances; mostly one round trip each, and
 * updates made at once share one (auto-pipelining). Keys expire with
 * Redis TTLs. When Redis is down or slow, operations fail within `timeoutMs` with
 * `OtpStoreUnavailableError` (the handler answers 503), and the store carries on
 * by itself once Redis is back.
 *
 * On a cluster (`cluster`: seed nodes) the same holds per key: each operation
 * reads and writes one key, so one slot, and the keys of a deployment spread
 * over every primary. While a primary fails over, operations on its slots may
 * fail with `OtpStoreUnavailableError` within `timeoutMs`; none of them is applied
 * after it failed (redis-client.ts), and the store follows the new primary by itself.
 */
export function redisOtpStore(options: RedisOtpStoreOptions): RedisOtpStore {
  const {prefix = DEFAULT_KEY_PREFIX, timeoutMs = 1000, now = Date.now} = options;
  checkConnection(options);
  const owned = !options.client;
  const redis = (options.client ?? makeClient(options, timeoutMs)) as Casting;
  // An error event without a listener would crash the process; failures reach callers instead.
  if (owned) redis.on('error', () => undefined);
  if (!redis.otpCompareAndSet)
    redis.defineCommand('otpCompareAndSet', {numberOfKeys: 1, lua: COMPARE_AND_SET});

  let connecting: Promise<void> | undefined;
  /** When a wait for the connection last ran out; until `timeoutMs` later, no one waits again. */
  let gaveUpAt = -Infinity;
  /**
   * Waits for the connection (bounded), so requests right after start-up or a
   * reconnect are not refused; one wait for every request that arrives while
   * the connection is down, and none again just after a wait ran out.
   */
  function connected(): Promise<void> | void {
    if (redis.status === 'ready') return;
    if (Date.now() - gaveUpAt < timeoutMs) throw new Error('not connected');
    return (connecting ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        redis.off('ready', ready);
        gaveUpAt = Date.now();
        reject(new Error('not connected'));
      }, timeoutMs);
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      redis.once('ready', ready);
    }).finally(() => (connecting = undefined)));
  }

  /**
   * Updates of one key from this process run one after the other: a key every
   * request touches (an address's window) would otherwise have its
   * compare-and-set lost over and over by this process's own requests. Races
   * remain only between instances.
   */
  const queues = new Map<string, Promise<unknown>>();
  function inTurn<T>(key: string, run: () => Promise<T>): Promise<T> {
    const before = queues.get(key);
    const queuedAt = Date.now();
    // A turn that comes after the timeout (Redis stalled for those ahead) is given up
    // at once, so a queue never holds a request for more than its own timeout.
    const late = () =>
      Date.now() - queuedAt > timeoutMs
        ? Promise.reject(new OtpStoreUnavailableError(1, new Error('queued too long')))
        : run();
    const mine = before ? before.then(late, late) : run();
    const tail = mine.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return mine;
  }

  /**
   * What this process last saw at a key (null: nothing), a guess only: an
   * update starts from it and its compare-and-set tells whether it was still
   * current. Most updates are then one round trip: of a key this process wrote
   * last, and of a new key (a challenge, a request id), guessed empty.
   */
  const guesses = new Map<string, string | null>();
  function guessed(stored: string, raw: string | null): void {
    guesses.delete(stored);
    if (raw === null) return;
    guesses.set(stored, raw);
    if (guesses.size > GUESSES_KEPT) guesses.delete(guesses.keys().next().value!);
  }

  /** Runs a Redis call, turning any failure of Redis into OtpStoreUnavailableError. */
  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await connected();
      return await operation();
    } catch (error) {
      throw new OtpStoreUnavailableError(1, error);
    }
  }

  /**
   * One update: the change runs on a value, and the compare-and-set writes what
   * it returns only if the key still holds that value; else the script answers
   * what the key holds and the change runs again on that. A result is returned
   * only once Redis said the value it came from was current: a written
   * compare-and-set, or a value Redis just answered (a GET, or the script's
   * answer to a compare-and-set that did not match).
   */
  async function compareAndSet<T>(
    stored: string,
    change: (value: unknown) => [value: unknown, result: T, ttlMs?: number],
  ): Promise<T> {
    let raw = guesses.get(stored) ?? null;
    /** Whether `raw` is what Redis just answered, rather than a guess. */
    let fresh = false;
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const envelope = raw === null ? undefined : decode(raw);
      const current =
        envelope && (envelope.e === null || envelope.e > now()) ? envelope.v : undefined;
      const [value, result, ttlMs] = change(current);
      if (value === current) {
        // A decision to write nothing on what Redis just answered is as good as a read;
        // on a guess, a GET (cheaper than the script) says whether it stands.
        if (fresh) return result;
        raw = await call(() => redis.get(stored));
        guessed(stored, raw);
        fresh = true;
        continue;
      }
      const ttl = ttlMs === undefined ? 0 : Math.max(1, Math.ceil(ttlMs));
      const written = value === undefined ? '' : encode(value, ttl ? now() + ttl : null);
      const expected = raw;
      const answer = await call(() =>
        redis.otpCompareAndSet(
          stored,
          expected ?? '',
          expected === null ? '0' : '1',
          written,
          String(ttl && ttl + CLEAR_AFTER_MS),
        ),
      );
      if (answer === 1) {
        guessed(stored, written || null);
        return result;
      }
      // The key held something else (another instance wrote it, or the guess was
      // old): go again from what it holds, at once the first times, then after a
      // growing jitter.
      raw = answer === 0 ? null : String(answer);
      guessed(stored, raw);
      fresh = true;
      if (tries >= 2)
        await new Promise((resolve) =>
          setTimeout(resolve, Math.random() * Math.min(tries, 10)),
        );
    }
    throw new OtpStoreUnavailableError(
      1,
      new Error(`${stored}: too many concurrent updates`),
    );
  }

  return {
    update(key, change) {
      return inTurn(key, () => compareAndSet(prefix + key, change));
    },

    // What this process last saw at the key, from the guesses: right for what
    // never changes at a key, a guess for the rest (see OtpStore.recall).
    recall(key) {
      const raw = guesses.get(prefix + key);
      if (raw === undefined || raw === null) return undefined;
      const {e, v} = decode(raw);
      return e === null || e > now() ? v : undefined;
    },

    async entries() {
      const keys = await call(() => keysStartingWith(redis, prefix));
      const found: [string, unknown][] = [];
      for (const key of keys) {
        const raw = await call(() => redis.get(key));
        if (raw === null) continue;
        const {e, v} = decode(raw);
        if (e === null || e > now()) found.push([key.slice(prefix.length), v]);
      }
      return found;
    },

    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
