import assert from 'node:assert/strict';
import {createServer, type IncomingMessage} from 'node:http';
import {
  connect,
  createServer as createNetServer,
  type AddressInfo,
  type Socket,
} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {Redis} from 'ioredis';
import {issueBody, SECRET} from './helpers.js';
import {freePort, startRedis, type RedisServer} from './redis-server.js';
import {startService} from './service-process.js';

const HOOK_SECRET = 'the webhook secret shared with the app, 32+ bytes';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

/** GET `url` until `done` holds for its status and body, or `ms` have passed; the last answer. */
async function probeUntil(
  url: string,
  done: (status: number, body: Record<string, unknown>) => boolean,
  ms = 8000,
) {
  const until = Date.now() + ms;
  for (;;) {
    const response = await fetch(url);
    const body = (await response.json()) as Record<string, unknown>;
    if (done(response.status, body) || Date.now() > until)
      return {status: response.status, body};
    await sleep(100);
  }
}

/** Whether a new TCP connection to the port is refused (nothing listens any more). */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

/**
 * The app: a lookup webhook that takes 2.5 s for users named `slowlookup-`,
 * and a notify webhook that takes 1.2 s for them and for `slowsend-` (each
 * request seen records when its answer was written).
 */
async function app() {
  const seen = new Map<string, {started: number; answered?: number}>();
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const {user} = JSON.parse(text) as {user: string};
    const key = `${req.url} ${user}`;
    seen.set(key, {started: Date.now()});
    const slow =
      (req.url === '/lookup' && user.startsWith('slowlookup-')) ||
      (req.url === '/notify' && /^slow(send|lookup)-/.test(user));
    if (slow) await sleep(req.url === '/lookup' ? 2500 : 1200);
    if (req.url === '/lookup') {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify({email: `${user}@example.com`}));
    } else res.writeHead(204).end();
    seen.get(key)!.answered = Date.now();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const issue = (url: string, user: string) =>
  fetch(`${url}/codes`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify(issueBody(user)),
  });

describe('otp-step-server health: /healthz is liveness, /readyz readiness', () => {
  let redis: RedisServer;
  before(async () => (redis = await startRedis()));
  after(() => redis.stop());

  it('follows its Redis down and back without reading it per probe; /healthz stays 200 throughout', async () => {
    const service = await startService({OTP_SECRET: SECRET, OTP_REDIS_URL: redis.url});
    const commands = new Redis(redis.url, {lazyConnect: true, maxRetriesPerRequest: 0});
    try {
      const ready = await probeUntil(`${service.url}/readyz`, (s) => s === 200);
      assert.deepEqual(ready, {status: 200, body: {status: 'ready'}});

      // 200 probes in a burst: a probe that read the store would add hundreds of commands.
      await commands.connect();
      const processed = async () =>
        Number(/total_commands_processed:(\d+)/.exec(await commands.info('stats'))![1]);
      // The expiry watcher (always on here: the audit log watches) reads the last
      // minute's due lists once at start: let that pass, so only the probes are counted.
      for (let last = await processed(), i = 0; i < 40; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const now = await processed();
        if (now - last < 20) break;
        last = now;
      }
      const before = await processed();
      for (let i = 0; i < 200; i++) {
        const response = await fetch(`${service.url}/readyz`);
        assert.equal(response.status, 200);
        await response.body?.cancel();
      }
      // The INFO itself, and a background check or two (every 2 s) at most.
      assert.ok((await processed()) - before < 40, `${(await processed()) - before}`);
      commands.disconnect();

      await redis.kill();
      const down = await probeUntil(`${service.url}/readyz`, (s) => s === 503);
      assert.deepEqual(down, {
        status: 503,
        body: {status: 'unavailable', reasons: ['store']},
      });
      const alive = await fetch(`${service.url}/healthz`);
      assert.equal(alive.status, 200);
      assert.deepEqual(await alive.json(), {status: 'ok'});

      await redis.start();
      const back = await probeUntil(`${service.url}/readyz`, (s) => s === 200);
      assert.deepEqual(back, {status: 200, body: {status: 'ready'}});
    } finally {
      commands.disconnect();
      service.child.kill('SIGTERM');
      assert.equal(await service.exited, 0);
    }
  });

  it('is not ready while its Redis accepts connections and never answers (hung), and stays alive', async () => {
    // A socket that reads and never writes: what a Redis stuck in a long command looks like.
    const sockets = new Set<Socket>();
    const hung = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => {});
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const service = await startService({
      OTP_SECRET: SECRET,
      OTP_REDIS_URL: `redis://127.0.0.1:${(hung.address() as AddressInfo).port}`,
    });
    try {
      const answer = await probeUntil(`${service.url}/readyz`, (_, body) =>
        String(body.reasons).includes('store'),
      );
      assert.deepEqual(answer, {
        status: 503,
        body: {status: 'unavailable', reasons: ['store']},
      });
      // The probes answer at once: they read the last check. Each waiting on the store
      // would take its timeout (1 s), five of them 5 s; the bound leaves room for a busy machine.
      const started = performance.now();
      for (let i = 0; i < 5; i++)
        assert.equal((await fetch(`${service.url}/readyz`)).status, 503);
      assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
      assert.ok(performance.now() - started < 2500, `${performance.now() - started} ms`);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      sockets.forEach((socket) => socket.destroy());
      hung.close();
    }
  });

  it('is not ready while a configured channel failed its start-up check (SMTP refusing connections)', async () => {
    const service = await startService({
      OTP_SECRET: SECRET,
      OTP_SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      OTP_EMAIL_FROM: 'codes@example.com',
    });
    try {
      const answer = await probeUntil(`${service.url}/readyz`, (_, body) =>
        String(body.reasons).includes('channels'),
      );
      assert.deepEqual(answer, {
        status: 503,
        body: {status: 'unavailable', reasons: ['channels']},
      });
      assert.match(service.stdout(), /email channel smtp failed its check/);
      // Its users cannot give the handler an authenticate option: the advice names their variable.
      assert.match(service.stdout(), /no OTP_USER_HEADER, so any caller can ask/);
      assert.doesNotMatch(service.stdout(), /authenticate/);
      assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
    } finally {
      service.child.kill('SIGTERM');
      assert.equal(await service.exited, 0);
    }
  });
});

describe('otp-step-server on SIGTERM', () => {
  it('says draining at once, stops listening after OTP_SHUTDOWN_DELAY_SECONDS, finishes the slow request and the slow delivery in flight, then exits 0', async () => {
    const theApp = await app();
    const service = await startService({
      OTP_SECRET: SECRET,
      OTP_LOOKUP_URL: `${theApp.url}/lookup`,
      OTP_NOTIFY_URL: `${theApp.url}/notify`,
      OTP_WEBHOOK_SECRET: HOOK_SECRET,
      OTP_SHUTDOWN_DELAY_SECONDS: '1',
      OTP_METRICS_PORT: '0',
    });
    try {
      await probeUntil(`${service.url}/readyz`, (s) => s === 200);
      const port = Number(new URL(service.url).port);

      // A code whose delivery (1.2 s) is still running behind its answer.
      const slowSend = unique('slowsend');
      assert.equal((await issue(service.url, slowSend)).status, 201);
      // A request still waiting on the app's lookup (2.5 s).
      const slowLookup = unique('slowlookup');
      let settled = false;
      const inFlight = issue(service.url, slowLookup).finally(() => (settled = true));
      while (!theApp.seen.has(`/lookup ${slowLookup}`)) await sleep(10);

      service.child.kill('SIGTERM');
      const signaled = Date.now();
      const draining = await probeUntil(`${service.url}/readyz`, (s) => s === 503, 2000);
      assert.deepEqual(draining, {
        status: 503,
        body: {status: 'draining', reasons: ['draining']},
      });
      // Still alive, and still serving while load balancers take it out.
      assert.equal((await fetch(`${service.url}/healthz`)).status, 200);
      assert.equal((await issue(service.url, unique('late'))).status, 201);
      // The operator's port reads the same, and keeps answering until the end.
      assert.equal((await fetch(`${service.metricsUrl}/readyz`)).status, 503);

      // After the delay it takes no new connection, while the slow request is still running.
      while (!(await refused(port))) await sleep(50);
      assert.ok(Date.now() - signaled >= 900, 'stopped listening before the delay');
      assert.equal(
        settled,
        false,
        'the slow request ended before the service stopped listening',
      );
      assert.equal((await fetch(`${service.metricsUrl}/readyz`)).status, 503);

      assert.equal((await inFlight).status, 201);
      assert.equal(await service.exited, 0);
      const exitedAt = Date.now();
      // Both deliveries were answered by the app before the process ended: the queued one and the one behind the slow request.
      for (const user of [slowSend, slowLookup]) {
        const notify = theApp.seen.get(`/notify ${user}`);
        assert.ok(notify?.answered, `${user} was never notified`);
        assert.ok(notify.answered <= exitedAt);
      }
      assert.doesNotMatch(service.stdout(), /cut off/);
      assert.match(service.stdout(), /"msg":"stopped"/);
    } finally {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await theApp.close();
    }
  });
});
