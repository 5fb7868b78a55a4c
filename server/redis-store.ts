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
 * Compare-and-set: writes (or deletes) the key only if it still holds what was
 * read. A script, not WATCH/MULTI, because WATCH belongs to a connection and a
 * shared connection carries many requests at once.
 * ARGV: what was read, whether anything was ('1'/'0'), the new value ('' deletes), TTL ms ('0': none).
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[2] == '1' then
  if current ~= ARGV[1] then return 0 end
elseif current then
  return 0
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

type Casting = RedisClient & {
  otpCompareAndSet(
    key: string,
    read: string,
    hadValue: '0' | '1',
    value: string,
    ttlMs: string,
  ): Promise<number>;
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
 * Keeps challenges and counters in Redis. Each `update` reads the key, runs the
 * change, and writes back with a compare-and-set script, going again if another
 * instance wrote first, so updates are atomic across instances. Keys expire with
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
   * request touches (the server-wide notification window) would otherwise have
   * its compare-and-set lost over and over by this process's own requests.
   * Races remain only between instances.
   */
  const queues = new Map<string, Promise<unknown>>();
  /** What this process last wrote to a key while more of its updates of that key were waiting. */
  const lastWritten = new Map<string, string | null>();
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
      if (queues.get(key) !== tail) return;
      queues.delete(key);
      lastWritten.delete(prefix + key);
    });
    return mine;
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

  /** One update: read, change, compare-and-set; again if another instance wrote first. */
  async function compareAndSet<T>(
    key: string,
    stored: string,
    change: (value: unknown) => [value: unknown, result: T, ttlMs?: number],
  ): Promise<T> {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      // The turn before ours in this process left what it wrote: start from that, and
      // let the compare-and-set tell whether another instance wrote since.
      const guessed = tries === 0 && lastWritten.has(stored);
      const raw = guessed
        ? lastWritten.get(stored)!
        : await call(() => redis.get(stored));
      lastWritten.delete(stored);
      const envelope = raw === null ? undefined : decode(raw);
      const current =
        envelope && (envelope.e === null || envelope.e > now()) ? envelope.v : undefined;
      const [value, result, ttlMs] = change(current);
      if (value === current) {
        // A decision to write nothing is only as good as the read: read for real.
        if (guessed) continue;
        return result;
      }
      const ttl = ttlMs === undefined ? 0 : Math.max(1, Math.ceil(ttlMs));
      const written = value === undefined ? '' : encode(value, ttl ? now() + ttl : null);
      const set = await call(() =>
        redis.otpCompareAndSet(
          stored,
          raw ?? '',
          raw === null ? '0' : '1',
          written,
          String(ttl && ttl + CLEAR_AFTER_MS),
        ),
      );
      if (set === 1) {
        if (queues.has(key)) lastWritten.set(stored, written || null);
        return result;
      }
      // Another instance wrote the key between the read and the write: read again,
      // at once the first times (the winner is done), then after a growing jitter.
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
      return inTurn(key, () => compareAndSet(key, prefix + key, change));
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
