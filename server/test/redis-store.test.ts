/**
 * The Redis store on its own, against a real redis-server of its own: atomic
 * across clients, keys under the prefix with TTLs, and what it does while Redis
 * is down and once it is back.
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {Redis} from 'ioredis';
import {OtpStoreUnavailableError} from '../index.js';
import {redisOtpStore, type RedisOtpStore} from '../redis-store.js';
import {startRedis, type RedisServer} from './redis-server.js';

describe('redisOtpStore', () => {
  let redis: RedisServer;
  const stores: RedisOtpStore[] = [];
  const open = (prefix: string, timeoutMs = 500) => {
    const store = redisOtpStore({url: redis.url, prefix, timeoutMs});
    stores.push(store);
    return store;
  };
  before(async () => (redis = await startRedis()));
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis.stop();
  });

  it('makes each update atomic across clients: 400 increments from 4 clients at once', async () => {
    // Each client queues its 100 updates of the one key behind each other, so the
    // last waits for 99 turns of read, change and compare-and-set while three other
    // clients race it: on a loaded machine that is seconds, past the 500 ms a turn
    // may wait in the other tests. Time is not what this test holds: with a
    // timeout no run reaches, a turn is never given up for waiting, and what is
    // asserted is only that no increment was lost or applied twice.
    const clients = Array.from({length: 4}, () => open('atomic:', 10 * 60_000));
    const increments = Array.from({length: 400}, (_, i) =>
      clients[i % 4].update('counter', (value) => {
        const next = ((value as number | undefined) ?? 0) + 1;
        return [next, next, 60_000];
      }),
    );
    const results = await Promise.all(increments);
    // Every increment saw a value no other did: none was lost or applied twice.
    assert.equal(new Set(results).size, 400);
    assert.equal(await clients[0].update('counter', (v) => [v, v]), 400);
  });

  /** Script calls and GETs Redis has run (a script's own GET included), by INFO commandstats. */
  async function commandCounts(raw: Redis): Promise<{scripts: number; gets: number}> {
    const stats = await raw.info('commandstats');
    const calls = (name: string) =>
      Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
    return {scripts: calls('eval') + calls('evalsha'), gets: calls('get')};
  }

  it('writes a new key, and a key it wrote last, with one script call each and no read before', async () => {
    const store = open('trips:');
    const raw = new Redis(redis.url);
    try {
      const before = await commandCounts(raw);
      await store.update('fresh', () => [1, undefined, 60_000]);
      const second = await store.update('fresh', (v) => {
        const next = (v as number) + 1;
        return [next, next, 60_000];
      });
      const after = await commandCounts(raw);
      assert.equal(second, 2);
      assert.equal(after.scripts - before.scripts, 2);
      // The scripts' own GETs only: no GET before either write.
      assert.equal(after.gets - before.gets, 2);
    } finally {
      raw.disconnect();
    }
  });

  it('never decides on what it last saw once another client wrote the key, and retries with no read', async () => {
    const a = open('stale:');
    const b = open('stale:');
    const raw = new Redis(redis.url);
    const read = (store: RedisOtpStore) => store.update('k', (v) => [v, v]);
    try {
      await a.update('k', () => [1, undefined]);
      await b.update('k', () => [5, undefined]);
      // A decision to write nothing is made on what Redis holds, not on what `a` wrote.
      assert.equal(await read(a), 5);
      await b.update('k', () => [7, undefined]);
      const before = await commandCounts(raw);
      const seen = await a.update('k', (v) => {
        const next = (v as number) + 1;
        return [next, v, 60_000];
      });
      const after = await commandCounts(raw);
      // Started from the 5 it read, the write was refused and went again from 7.
      assert.equal(seen, 7);
      assert.equal(await read(b), 8);
      // Two script calls (the refused one answered the 7), and no GET of their own.
      assert.equal(after.scripts - before.scripts, 2);
      assert.equal(after.gets - before.gets, 2);
      await b.update('k', () => [undefined, undefined]);
      assert.equal(await read(a), undefined);
    } finally {
      raw.disconnect();
    }
  });

  it('keeps keys under its prefix with a TTL, bytes intact, and deletes on undefined', async () => {
    const store = open('shape:');
    const digest = Buffer.from('0123456789abcdef0123456789abcdef');
    await store.update('record', () => [{digest, n: 1}, undefined, 5_000]);
    await store.update('forever', () => ['kept', undefined]);
    const raw = new Redis(redis.url);
    try {
      assert.deepEqual((await raw.keys('shape:*')).sort(), [
        'shape:forever',
        'shape:record',
      ]);
      const ttl = await raw.pttl('shape:record');
      assert.ok(ttl > 5_000 && ttl <= 65_000, `TTL ${ttl}`);
      assert.equal(await raw.pttl('shape:forever'), -1);
      const read = await store.update('record', (v) => [v, v as {digest: Buffer}]);
      assert.ok(Buffer.isBuffer(read.digest) && read.digest.equals(digest));
      await store.update('record', () => [undefined, undefined]);
      assert.equal(await raw.exists('shape:record'), 0);
    } finally {
      raw.disconnect();
    }
  });

  it('uses a client it is given, and leaves it open', async () => {
    const client = new Redis(redis.url);
    const store = redisOtpStore({client, prefix: 'given:'});
    await store.update('k', () => [1, undefined]);
    await store.close();
    assert.equal(await client.get('given:k'), JSON.stringify({e: null, v: 1}));
    client.disconnect();
  });

  it('fails within its timeout while Redis is slow, and goes on once it answers', async () => {
    const store = open('slow:', 300);
    const admin = new Redis(redis.url);
    try {
      // Redis holds every client's commands for 1.5 s, as a stalled server would.
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const started = Date.now();
      await assert.rejects(
        store.update('k', () => ['x', undefined]),
        (error) => error instanceof OtpStoreUnavailableError,
      );
      assert.ok(Date.now() - started < 1_400, `${Date.now() - started} ms`);
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      assert.equal(await store.update('k', () => ['y', 'written']), 'written');
    } finally {
      admin.disconnect();
    }
  });

  it('answers every update of a hot key within its timeout while Redis stalls, not one after another', async () => {
    const store = open('hot:', 300);
    const admin = new Redis(redis.url);
    try {
      await admin.call('CLIENT', 'PAUSE', '2500', 'ALL');
      const started = Date.now();
      const outcomes = await Promise.allSettled(
        Array.from({length: 20}, () => store.update('notifications', () => [1, 1])),
      );
      const took = Date.now() - started;
      assert.ok(outcomes.every((o) => o.status === 'rejected'));
      // Twenty turns of 300 ms one after another would be 6 s; each gives up on its own clock.
      assert.ok(took < 2_000, `${took} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2_600));
      assert.equal(await store.update('notifications', () => [2, 'after']), 'after');
    } finally {
      admin.disconnect();
    }
  });

  it('fails within its timeout while Redis is down, and works again once it is back', async () => {
    const store = open('outage:', 300);
    await store.update('k', () => ['before', undefined]);
    await redis.kill();
    const started = Date.now();
    await assert.rejects(
      store.update('k', (v) => [v, v]),
      (error) => error instanceof OtpStoreUnavailableError,
    );
    // Bounded by the timeout (with room for a loaded machine), never a hang.
    assert.ok(Date.now() - started < 3_000, `${Date.now() - started} ms`);
    await redis.start();
    let value: unknown;
    for (let i = 0; i < 50 && value === undefined; i++) {
      value = await store.update('k', (v) => [v, v]).catch(() => undefined);
      if (value === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Nothing written before the outage was lost (append-only, fsync always).
    assert.equal(value, 'before');
  });
});
