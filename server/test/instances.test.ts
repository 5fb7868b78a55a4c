/**
 * Four server processes on one real Redis, as behind a load balancer: the
 * promises of a single process must hold across them, and survive an instance
 * or Redis itself going down mid-flow. Real processes and the real clock;
 * loopback only; every loop bounded.
 */
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {createInterface} from 'node:readline';
import {after, before, describe, it} from 'node:test';
import {Redis} from 'ioredis';
import {DEFAULT_LIMITS} from '../index.js';
import {issueBody} from './helpers.js';
import {startRedis, type RedisServer} from './redis-server.js';

const serverIndex = new URL('../index.js', import.meta.url).href;
const redisStore = new URL('../redis-store.js', import.meta.url).href;

/** One instance: the reference server on the shared Redis, in a process of its own. */
const INSTANCE = `
  import {createServer} from 'node:http';
  const {createOtpHandler, toNodeListener} = await import(${JSON.stringify(serverIndex)});
  const {redisOtpStore} = await import(${JSON.stringify(redisStore)});
  const handler = createOtpHandler({
    secret: 'one secret shared by every instance, long enough',
    store: redisOtpStore({url: process.env.REDIS_URL, prefix: 'instances:', timeoutMs: 2000}),
    testMode: true,
    notify() {},
    logger: {info() {}, warn() {}, error() {}},
    clientAddress: (request) => request.headers.get('x-test-address') ?? '127.0.0.1',
    // A back-off of a minute past the free attempts, so that however slowly a
    // loaded machine serves 300 parallel guesses, none is judged because the
    // default 1 s wait ran out meanwhile.
    limits: {issuesPerAddress: 1e6, backoffBaseSeconds: 60},
  });
  // Idle keep-alive sockets stay open longer than any test runs: at Node's 5 s, a socket
  // left idle by one test is closed by the server just as fetch reuses it in the next
  // ("other side closed"), which would fail a request the handler never saw.
  const server = createServer({keepAliveTimeout: 60_000}, toNodeListener(handler));
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;

interface Instance {
  url: string;
  process: ChildProcess;
}

function startInstance(redisUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', INSTANCE], {
    env: {...process.env, NODE_ENV: 'test', REDIS_URL: redisUrl},
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
    createInterface({input: child.stdout!}).once('line', (port) =>
      resolve({url: `http://127.0.0.1:${port}`, process: child}),
    );
  });
}

function kill(instance: Instance): Promise<void> {
  if (instance.process.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    instance.process.once('exit', () => resolve());
    instance.process.kill('SIGKILL');
  });
}

async function call(base: string, path: string, body: unknown, headers = {}) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((t, s) => ({...t, [s]: (t[s] ?? 0) + 1}), {});

describe('four instances on one Redis', () => {
  let redis: RedisServer;
  let instances: Instance[] = [];
  let users = 0;
  const user = (name: string) => `${name}-${++users}`;
  /** The n-th instance, round robin, as a balancer spreads requests. */
  const at = (n: number) => instances[n % instances.length].url;

  before(async () => {
    redis = await startRedis();
    instances = await Promise.all(
      Array.from({length: 4}, () => startInstance(redis.url)),
    );
  });
  after(async () => {
    await Promise.all(instances.map(kill));
    await redis.stop();
  });

  it('confirms one code exactly once among 1,000 parallel confirmations spread across them', async () => {
    const issued = await call(at(0), '/codes', issueBody(user('parallel')));
    assert.equal(issued.status, 201);
    const answers = await Promise.all(
      Array.from({length: 1000}, (_, i) =>
        call(at(i), `/codes/${issued.json.requestId}/confirm`, {code: issued.json.code}),
      ),
    );
    const statuses = tally(answers.map((a) => a.status));
    assert.equal(statuses[200], 1, JSON.stringify(statuses));
    // The rest find it used, or wait behind the account's reserved attempts. On a
    // loaded machine a few may time out waiting for Redis (503, to be retried):
    // an honest answer, never a second success.
    const others = (statuses[409] ?? 0) + (statuses[429] ?? 0) + (statuses[503] ?? 0);
    assert.equal(others, 999, JSON.stringify(statuses));
    assert.ok((statuses[503] ?? 0) <= 50, JSON.stringify(statuses));
  });

  it('judges at most one code’s attempts of 300 parallel wrong guesses across them', async () => {
    const victim = user('guessed');
    const codes: Record<string, unknown>[] = [];
    for (let i = 0; i < 10; i++)
      codes.push(
        (await call(at(i), '/codes', issueBody(victim, {client: `c${i}`}))).json,
      );
    const answers = await Promise.all(
      Array.from({length: 300}, (_, i) => {
        const {requestId, code} = codes[i % codes.length];
        const wrong = String(code).replace(/^./, (c) => String((Number(c) + 1) % 10));
        return call(at(i), `/codes/${requestId}/confirm`, {code: wrong});
      }),
    );
    const statuses = tally(answers.map((a) => a.status));
    // Judged is what the account counted (a 423 may be a guess told the code is
    // locked, not judged): read it where every instance keeps it.
    const stored = new Redis(redis.url);
    const raw = await stored.get(`instances:failures:${JSON.stringify(victim)}`);
    stored.disconnect();
    const judged = (JSON.parse(raw!) as {v: {failures: number}}).v.failures;
    assert.ok(
      judged <= DEFAULT_LIMITS.maxAttempts,
      `${judged} ${JSON.stringify(statuses)}`,
    );
    assert.ok((statuses[422] ?? 0) <= judged, JSON.stringify(statuses));
    assert.equal(
      (statuses[422] ?? 0) + (statuses[423] ?? 0) + (statuses[429] ?? 0),
      300,
      JSON.stringify(statuses),
    );
  });

  it('holds the per-account issue limit across them, whatever client or spelling', async () => {
    const name = user('flooded');
    const answers = await Promise.all(
      Array.from({length: 100}, (_, i) =>
        call(
          at(i),
          '/codes',
          issueBody(i % 2 ? name.toUpperCase() : name, {client: `c${i}`}),
        ),
      ),
    );
    const statuses = tally(answers.map((a) => a.status));
    assert.equal(statuses[201], DEFAULT_LIMITS.issuesPerWindow, JSON.stringify(statuses));
    assert.equal(statuses[429], 100 - DEFAULT_LIMITS.issuesPerWindow);
  });

  it('loses nothing when an instance is killed mid-flow and started again', async () => {
    const name = user('restarted');
    const first = await call(at(0), '/codes', issueBody(name));
    const wrong = await call(at(0), `/codes/${first.json.requestId}/confirm`, {
      code: '000000' === first.json.code ? '111111' : '000000',
    });
    assert.equal(wrong.json.attemptsLeft, 4);
    await kill(instances[0]);
    instances[0] = await startInstance(redis.url);
    // The restarted instance knows the code and its one failure; so does every other.
    const again = await call(at(0), `/codes/${first.json.requestId}/confirm`, {
      code: '000000' === first.json.code ? '111111' : '000000',
    });
    assert.equal(again.json.attemptsLeft, 3);
    const right = await call(at(1), `/codes/${first.json.requestId}/confirm`, {
      code: first.json.code,
    });
    assert.equal(right.status, 200);
  });

  it('answers 503 with Retry-After while Redis is down, then confirms the same challenges', async () => {
    const name = user('outage');
    const pending = await call(at(2), '/codes', issueBody(name));
    assert.equal(pending.status, 201);
    await redis.kill();
    const started = Date.now();
    const during = await call(at(3), `/codes/${pending.json.requestId}/confirm`, {
      code: pending.json.code,
    });
    assert.equal(during.status, 503);
    assert.equal(during.json.code, 'store-unavailable');
    assert.ok(Number(during.retryAfter) >= 1);
    assert.ok(Date.now() - started < 5_000, 'answered within the request’s time');
    await redis.start();
    let after = during;
    for (let i = 0; i < 100 && after.status === 503; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await call(at(i), `/codes/${pending.json.requestId}/confirm`, {
        code: pending.json.code,
      });
    }
    assert.equal(after.status, 200, JSON.stringify(after.json));
  });
});
