import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {verifyWebhook} from '../index.js';
import {assertConforms, issueBody, SECRET, STORE_KIND} from './helpers.js';
import {freePort} from './redis-server.js';
import {SERVICE_MAIN as MAIN, startService} from './service-process.js';

const HOOK_SECRET = 'the webhook secret shared with the app, 32+ bytes';

interface Delivery {
  event: string;
  body: Record<string, unknown>;
  signed: boolean;
  path: string;
}

/**
 * The app's side of the webhooks: checks every signature and keeps what came.
 * Users whose name says so are answered slowly (`slow-`), 503 once (`flaky-`)
 * or 500 always (`down-`).
 */
async function webhookReceiver() {
  const deliveries: Delivery[] = [];
  const tries = new Map<string, number>();
  const waiting: (() => void)[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString()) as Record<string, unknown>;
    const user = String(body.user);
    const key = `${req.url} ${user}`;
    tries.set(key, (tries.get(key) ?? 0) + 1);
    if (user.startsWith('down-')) return void res.writeHead(500).end();
    if (user.startsWith('flaky-') && tries.get(key) === 1)
      return void res.writeHead(503).end();
    if (user.startsWith('slow-'))
      await new Promise((resolve) => setTimeout(resolve, 500));
    deliveries.push({
      event: String(body.event),
      body,
      signed: verifyWebhook(
        raw,
        req.headers['otp-step-signature'] as string,
        HOOK_SECRET,
      ),
      path: req.url ?? '',
    });
    waiting.splice(0).forEach((wake) => wake());
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    deliveries,
    tries,
    close: () => new Promise((resolve) => server.close(resolve)),
    /** The delivery that matches, once it has come (5 s at most). */
    async next(match: (d: Delivery) => boolean): Promise<Delivery> {
      const until = Date.now() + 5000;
      for (;;) {
        const found = deliveries.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error('no such webhook came');
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

const stopped = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null;

/** The app's key for /confirmations/verify. */
const API_KEY = 'the app server key for verifying confirmations';

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  return {status: response.status, headers: response.headers, json};
};

const get = async (url: string, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {headers});
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
  };
};

describe(`otp-step-server, the side service (${STORE_KIND} store)`, () => {
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let service: Awaited<ReturnType<typeof startService>>;
  const codes: string[] = [];
  const unique = (name: string) =>
    `${name}-${process.pid}-${Math.random().toString(36).slice(2)}`;
  // As the app's proxy (this machine, OTP_TRUSTED_PROXIES) sends them: the user and the client's address.
  const viaProxy = {'x-forwarded-for': '203.0.113.7'};
  const asUser = (user: string) => ({'x-app-user': user, ...viaProxy});
  const issue = async (user: string) => {
    const answer = await post(`${service.url}/codes`, issueBody(user), asUser(user));
    if (answer.status === 201 || answer.status === 502) assertConforms('/codes', answer);
    return answer;
  };

  before(async () => {
    receiver = await webhookReceiver();
    service = await startService({
      OTP_SECRET: SECRET,
      OTP_NOTIFY_URL: `${receiver.url}/notify`,
      OTP_CONFIRMED_URL: `${receiver.url}/confirmed`,
      OTP_WEBHOOK_SECRET: HOOK_SECRET,
      OTP_USER_HEADER: 'X-App-User',
      OTP_TRUSTED_PROXIES: '127.0.0.1,::1',
      OTP_API_KEY: API_KEY,
      ...(process.env.OTP_TEST_REDIS_URL && {
        OTP_REDIS_URL: process.env.OTP_TEST_REDIS_URL,
      }),
    });
  });
  after(async () => {
    if (!stopped(service.child)) service.child.kill('SIGKILL');
    await receiver.close();
  });

  it('issues through the service, the app gets the code by webhook, and confirms it', async () => {
    const user = unique('alice');
    const issued = await issue(user);
    assert.equal(issued.status, 201);
    assert.equal(
      issued.json.code,
      undefined,
      'no test mode: the code goes only to the app',
    );
    const requestId = issued.json.requestId;
    const notify = await receiver.next((d) => d.body.requestId === requestId);
    assert.equal(notify.signed, true);
    assert.equal(notify.path, '/notify');
    assert.equal(notify.event, 'notify');
    const code = String(notify.body.code);
    codes.push(code);
    assert.match(code, /^\d{6}$/);
    assert.deepEqual(
      {...notify.body, code: undefined},
      {
        event: 'notify',
        user,
        account: user,
        client: 'web',
        code: undefined,
        expiresAt: issued.json.expiresAt,
        template: 'one-time-code',
        stepName: 'login',
        sourceStep: 'get-user-info',
        requestId,
        to: {},
        language: 'en',
      },
    );

    const confirmed = await post(
      `${service.url}/codes/${requestId}/confirm`,
      {code},
      asUser(user),
    );
    assertConforms('/codes/{requestId}/confirm', confirmed);
    assert.equal(confirmed.status, 200);
    assert.match(String(confirmed.json.confirmation), /^v1\./);
    const webhook = await receiver.next(
      (d) => d.event === 'confirmed' && d.body.requestId === requestId,
    );
    assert.equal(webhook.signed, true);
    assert.equal(webhook.path, '/confirmed');
    const claims = JSON.parse(
      Buffer.from(
        String(confirmed.json.confirmation).split('.')[1],
        'base64url',
      ).toString(),
    );
    assert.deepEqual(webhook.body, {event: 'confirmed', ...claims});
    assert.deepEqual(Object.keys(claims).sort(), [
      'account',
      'client',
      'expiresAt',
      'issuedAt',
      'method',
      'requestId',
      'stepName',
      'user',
    ]);
    assert.equal(claims.method, 'code', 'a sent code says so in its claims');
  });

  it('checks a confirmation token for the app’s server, once, with its key only', async () => {
    const user = unique('carol');
    const issued = await issue(user);
    const notify = await receiver.next((d) => d.body.requestId === issued.json.requestId);
    const confirmed = await post(
      `${service.url}/codes/${issued.json.requestId}/confirm`,
      {code: notify.body.code},
      asUser(user),
    );
    const token = confirmed.json.confirmation;
    const verify = (body: unknown, key = API_KEY) =>
      post(`${service.url}/confirmations/verify`, body, {authorization: `Bearer ${key}`});
    assert.equal((await verify({token}, 'not the key')).status, 401);
    assert.deepEqual((await verify({token, user: 'mallory'})).json, {confirmed: false});
    // Without the user it expects, or in another spelling of it, the app is told no (and the token is not spent).
    assert.deepEqual((await verify({token})).json, {confirmed: false});
    assert.deepEqual((await verify({token, user: null})).json, {confirmed: false});
    assert.deepEqual((await verify({token, user: user.toUpperCase()})).json, {
      confirmed: false,
    });
    const first = await verify({token, user, stepName: 'login'});
    assert.equal(first.status, 200);
    assert.equal(first.json.confirmed, true);
    assert.equal(first.json.requestId, issued.json.requestId);
    assert.deepEqual((await verify({token, user})).json, {confirmed: false}, 'spent');
  });

  it('takes the user from the header the app’s proxy sets', async () => {
    const user = unique('bob');
    const none = await post(`${service.url}/codes`, issueBody(user), viaProxy);
    assert.equal(none.status, 401);
    assert.equal(none.json.code, 'unauthenticated');
    const other = await post(`${service.url}/codes`, issueBody(user), asUser('eve'));
    assert.equal(other.status, 403);
  });

  it('retries a notify webhook the app failed, and marks the code failed when it never arrives', async () => {
    const flaky = unique('flaky');
    const issued = await issue(flaky);
    assert.equal(issued.status, 201);
    const notify = await receiver.next((d) => d.body.requestId === issued.json.requestId);
    assert.equal(receiver.tries.get(`/notify ${flaky}`), 2);
    codes.push(String(notify.body.code));

    const down = unique('down');
    const failed = await issue(down);
    // Answered before the webhook: its time would tell known users from unknown ones.
    assert.equal(failed.status, 201);
    const status = async () =>
      (await get(`${service.url}/codes/${failed.json.requestId}`, asUser(down))).json;
    while ((await status()).delivery === 'queued')
      await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await status()).delivery, 'failed');
    // Four tries (a 500 is worth retrying: the app may be restarting), then failed.
    assert.equal(receiver.tries.get(`/notify ${down}`), 4);
  });

  it('answers /healthz while its store does', async () => {
    const response = await fetch(`${service.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {status: 'ok'});
  });

  it('finishes a request in flight on SIGTERM, then exits 0; no code is ever in its log', async () => {
    const user = unique('slow');
    const inFlight = issue(user);
    // Once the notify webhook has reached the app, which takes 500 ms to answer it.
    while (!receiver.tries.has(`/notify ${user}`))
      await new Promise((resolve) => setTimeout(resolve, 10));
    service.child.kill('SIGTERM');
    const issued = await inFlight;
    assert.equal(issued.status, 201);
    assert.equal(await service.exited, 0);
    const notify = await receiver.next((d) => d.body.requestId === issued.json.requestId);
    codes.push(String(notify.body.code));

    const lines = service.stdout().trim().split('\n');
    for (const line of lines) assert.equal(typeof JSON.parse(line).msg, 'string', line);
    assert.ok(lines.some((l) => JSON.parse(l).msg === 'stopped'));
    assert.equal(codes.length, 3);
    for (const code of codes)
      assert.ok(!service.stdout().includes(code), `${code} in the log`);
  });
});

describe('otp-step-server at start', () => {
  it('refuses a bad setting in one line and exits 1', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {PATH: process.env.PATH, NODE_ENV: 'production', OTP_SECRET: SECRET},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /^otp-step-server: OTP_NOTIFY_URL is required[^\n]*\n$/);
  });

  it('refuses a number out of range, a proxy that is no address and a user header believed from anyone, each in one line', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        {OTP_MAX_ATTEMPTS: '101'},
        /^otp-step-server: OTP_MAX_ATTEMPTS must be a whole number from 1 to 100, not "101"\n$/,
      ],
      [
        {OTP_MAX_LIFETIME_SECONDS: '0x10'},
        /^otp-step-server: OTP_MAX_LIFETIME_SECONDS must be a whole number from 1 to 86400 in decimal digits, not "0x10"\n$/,
      ],
      [
        {OTP_TRUSTED_PROXIES: 'nginx'},
        /^otp-step-server: OTP_TRUSTED_PROXIES entry "nginx" is neither an IP address nor a CIDR range[^\n]*\n$/,
      ],
      [
        {OTP_USER_HEADER: 'X-Otp-User'},
        /^otp-step-server: OTP_USER_HEADER is believed only from OTP_TRUSTED_PROXIES[^\n]*\n$/,
      ],
    ];
    for (const [env, message] of cases) {
      const child = spawn(process.execPath, [MAIN], {
        env: {PATH: process.env.PATH, NODE_ENV: 'test', OTP_SECRET: SECRET, ...env},
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 1);
      assert.match(stderr, message);
    }
  });

  it('refuses test mode outside development and tests', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        OTP_SECRET: SECRET,
        OTP_TEST_MODE: '1',
        OTP_NOTIFY_URL: 'http://127.0.0.1:9/notify',
        OTP_WEBHOOK_SECRET: HOOK_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 1);
    assert.match(stderr, /^otp-step-server: testMode [^\n]*NODE_ENV=production\)\n$/);
  });

  it('answers /readyz 503 while its Redis cannot be reached, and /healthz 200 (alive: a restart would not help)', async () => {
    const service = await startService({
      OTP_SECRET: SECRET,
      OTP_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      // Not ready from the start: first 'starting', then 'store' once the first check has failed.
      let ready = await fetch(`${service.url}/readyz`);
      for (let i = 0; i < 50 && !(await ready.clone().text()).includes('"store"'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ready = await fetch(`${service.url}/readyz`);
      }
      assert.equal(ready.status, 503);
      assert.deepEqual(await ready.json(), {status: 'unavailable', reasons: ['store']});
      const alive = await fetch(`${service.url}/healthz`);
      assert.equal(alive.status, 200);
      assert.deepEqual(await alive.json(), {status: 'ok'});
    } finally {
      service.child.kill('SIGTERM');
      assert.equal(await service.exited, 0);
    }
  });
});
