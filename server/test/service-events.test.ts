/**
 * The side service's lifecycle events and audit log: OTP_EVENTS and
 * OTP_EVENTS_URL read strictly (a wrong value stops the start, naming it),
 * each listed event posted on its own, signed, to a loopback receiver that
 * checks the signature as an app would (verifyWebhook), retried and
 * de-duplicated by id; audit lines on standard output or appended to
 * OTP_AUDIT_LOG, which must open at start.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, it} from 'node:test';
import {memoryOtpStore, OTP_EVENT_TYPES, verifyWebhook} from '../index.js';
import {ConfigError, serviceConfig} from '../service/config.js';
import {jsonLogger} from '../service/json-logger.js';
import {createService} from '../service/service.js';
import {issueBody, SECRET} from './helpers.js';
import {exitOf} from './service-process.js';

const HOOK_SECRET = 'the webhook secret shared with the app, 32+ bytes';
const base = {NODE_ENV: 'test', OTP_SECRET: SECRET, OTP_TEST_MODE: '1'};
const noFiles = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};
const dir = mkdtempSync(join(tmpdir(), 'otp-step-events-'));
after(() => rmSync(dir, {recursive: true, force: true}));

const refuses = (env: Record<string, string>, message: RegExp) =>
  assert.throws(
    () => serviceConfig({...base, ...env}, noFiles),
    (error: Error) => error instanceof ConfigError && message.test(error.message),
  );

describe('OTP_EVENTS and OTP_EVENTS_URL', () => {
  const url = {
    OTP_EVENTS_URL: 'http://127.0.0.1:9/events',
    OTP_WEBHOOK_SECRET: HOOK_SECRET,
  };

  it('send nothing when unset, every type for *, and the listed ones otherwise', () => {
    assert.deepEqual(serviceConfig(base, noFiles).events, []);
    assert.equal(serviceConfig(base, noFiles).eventsUrl, undefined);
    assert.deepEqual(serviceConfig({...base, ...url, OTP_EVENTS: '*'}, noFiles).events, [
      ...OTP_EVENT_TYPES,
    ]);
    assert.deepEqual(
      serviceConfig(
        {...base, ...url, OTP_EVENTS: ' otp.expired, otp.locked,otp.expired '},
        noFiles,
      ).events,
      ['otp.expired', 'otp.locked'],
    );
    // The authenticator's events are chosen as any other.
    assert.deepEqual(
      serviceConfig(
        {
          ...base,
          ...url,
          OTP_EVENTS: 'otp.enrolled,otp.recovery_used,otp.authenticator_removed',
        },
        noFiles,
      ).events,
      ['otp.enrolled', 'otp.recovery_used', 'otp.authenticator_removed'],
    );
  });

  it('stop the start for an unknown type, naming it and the types there are', () => {
    refuses(
      {...url, OTP_EVENTS: 'otp.issued,otp.opened'},
      new RegExp(
        `^OTP_EVENTS holds "otp.opened", which is not an event type: list some of ${OTP_EVENT_TYPES.join(', ').replace(/\./g, '\\.')}, or \\* for all`,
      ),
    );
    refuses({...url, OTP_EVENTS: 'issued'}, /^OTP_EVENTS holds "issued"/);
    refuses({...url, OTP_EVENTS: '*,otp.issued'}, /^OTP_EVENTS holds "\*"/);
  });

  it('stop the start for events with nowhere to go, a URL with nothing to send, or no secret to sign with', () => {
    refuses(
      {OTP_EVENTS: 'otp.issued', OTP_WEBHOOK_SECRET: HOOK_SECRET},
      /^OTP_EVENTS is set but OTP_EVENTS_URL is not/,
    );
    refuses(url, /^OTP_EVENTS_URL is set but OTP_EVENTS is not/);
    refuses(
      {OTP_EVENTS_URL: 'http://127.0.0.1:9/events', OTP_EVENTS: '*'},
      /^OTP_WEBHOOK_SECRET \(or OTP_WEBHOOK_SECRET_FILE\) is required/,
    );
    refuses(
      {...url, OTP_EVENTS_URL: 'ftp://app/events', OTP_EVENTS: '*'},
      /^OTP_EVENTS_URL must be a http: or https: URL/,
    );
  });
});

/** The app's receiver: keeps each delivery with whether its signature holds; answers 503 to the first try of events named in `failFirst`. */
async function eventReceiver(failFirst: string[] = []) {
  const received: {body: Record<string, string>; signed: boolean}[] = [];
  const tried = new Set<string>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString()) as Record<string, string>;
    received.push({
      body,
      signed: verifyWebhook(
        raw,
        req.headers['otp-step-signature'] as string,
        HOOK_SECRET,
      ),
    });
    if (failFirst.includes(body.event) && !tried.has(body.id)) {
      tried.add(body.id);
      return void res.writeHead(503).end();
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    received,
  };
}

/** The service in this process on a loopback port, with every line it printed. */
async function startService(env: Record<string, string>) {
  const printed: string[] = [];
  const config = serviceConfig({...base, ...env}, noFiles);
  const service = createService(
    config,
    memoryOtpStore(),
    jsonLogger((line) => void printed.push(line)),
  );
  const {port} = await service.listen(0, '127.0.0.1');
  const call = async (path: string, body: unknown, headers = {}) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      json: (await response.json()) as Record<string, string>,
    };
  };
  return {service, printed, call};
}

describe('the event webhooks', () => {
  it('post each listed event on its own, signed, naming its type, and no other', async () => {
    const receiver = await eventReceiver();
    const {service, call} = await startService({
      OTP_EVENTS_URL: receiver.url,
      OTP_EVENTS: 'otp.issued,otp.confirmed',
      OTP_WEBHOOK_SECRET: HOOK_SECRET,
    });
    const issued = await call('/codes', issueBody('maria'));
    assert.equal(issued.status, 201);
    const confirmed = await call(`/codes/${issued.json.requestId}/confirm`, {
      code: issued.json.code,
    });
    assert.equal(confirmed.status, 200);
    await service.close();
    assert.deepEqual(
      receiver.received.map((r) => r.body.event),
      ['otp.issued', 'otp.confirmed'],
      'otp.delivered is not listed and must not be sent',
    );
    for (const {body, signed} of receiver.received) {
      assert.ok(signed, 'the signature does not hold');
      assert.equal(body.requestId, issued.json.requestId);
      assert.equal(body.user, 'maria');
      assert.equal(body.client, 'web');
      assert.equal(body.stepName, 'login');
      assert.ok(
        !JSON.stringify(body).includes(issued.json.code),
        'an event holds the code',
      );
    }
  });

  it('retry an event the receiver failed, with the same id for it to de-duplicate by', async () => {
    const receiver = await eventReceiver(['otp.issued']);
    const {service, call} = await startService({
      OTP_EVENTS_URL: receiver.url,
      OTP_EVENTS: '*',
      OTP_WEBHOOK_SECRET: HOOK_SECRET,
    });
    assert.equal((await call('/codes', issueBody('maria'))).status, 201);
    // The retry comes a second later; close() waits for it.
    await service.close();
    const issued = receiver.received.filter((r) => r.body.event === 'otp.issued');
    assert.equal(issued.length, 2);
    assert.equal(issued[0].body.id, issued[1].body.id);
    assert.deepEqual(
      [...new Set(receiver.received.map((r) => r.body.event))],
      ['otp.issued', 'otp.delivered'],
    );
  });

  it('post otp.canceled for POST /admin/codes/{id}/cancel and otp.revoked for the revoke route, once each, signed', async () => {
    const API_KEY = 'the app server key for the admin routes, 32+ bytes';
    const bearer = {authorization: `Bearer ${API_KEY}`};
    const receiver = await eventReceiver();
    const {service, call} = await startService({
      OTP_EVENTS_URL: receiver.url,
      OTP_EVENTS: 'otp.canceled,otp.revoked,otp.expired',
      OTP_WEBHOOK_SECRET: HOOK_SECRET,
      OTP_API_KEY: API_KEY,
    });
    const issued = await call('/codes', issueBody('maria'));
    // Closed however it ends: a failed assertion must not leave the server holding the test.
    try {
      assert.equal(issued.status, 201);
      const cancelPath = `/admin/codes/${issued.json.requestId}/cancel`;
      // Without the key: refused, and nothing told.
      assert.equal((await call(cancelPath, {})).status, 401);
      assert.equal((await call(cancelPath, {}, bearer)).json.canceled, true);
      // A second cancel ends nothing and tells nothing.
      assert.equal((await call(cancelPath, {}, bearer)).json.canceled, false);
      const revoked = await call('/admin/users/Maria%20M%C3%BCller/revoke', {}, bearer);
      assert.equal(revoked.status, 200);
      // Without OTP_AUTHENTICATOR_ISSUER there is no authenticator to remove, nor the route.
      const remove = await call('/admin/users/maria/authenticator/remove', {}, bearer);
      assert.equal(remove.status, 404);
      assert.equal(remove.json.code, 'not-found');
    } finally {
      await service.close();
    }
    assert.deepEqual(
      receiver.received.map((r) => r.body.event),
      ['otp.canceled', 'otp.revoked'],
    );
    for (const {signed} of receiver.received)
      assert.ok(signed, 'the signature does not hold');
    const [canceled, revokedEvent] = receiver.received.map((r) => r.body);
    assert.equal(canceled.requestId, issued.json.requestId);
    assert.equal(canceled.user, 'maria');
    assert.equal(canceled.client, 'web');
    assert.equal(canceled.stepName, 'login');
    assert.ok(
      !JSON.stringify(canceled).includes(issued.json.code),
      'the event holds the code',
    );
    // The user decoded from the path, exactly as the app names it; a revocation names no one code.
    assert.equal(revokedEvent.user, 'Maria Müller');
    assert.equal(revokedEvent.requestId, '');
    assert.equal(revokedEvent.client, '');
    assert.equal(revokedEvent.stepName, '');
  });
});

describe('the side service’s audit log', () => {
  it('goes to standard output as lines marked "log": "audit", naming no user', async () => {
    const {service, call, printed} = await startService({});
    const issued = await call('/codes', issueBody('maria'));
    await call(`/codes/${issued.json.requestId}/confirm`, {code: issued.json.code});
    await service.close();
    const audit = printed
      .map((line) => JSON.parse(line) as Record<string, string>)
      .filter((line) => line.log === 'audit');
    assert.deepEqual(
      audit.map((line) => line.event),
      ['otp.issued', 'otp.delivered', 'otp.confirmed'],
    );
    assert.equal(audit[0].addressPrefix, '127.0.0.0/24');
    const text = audit.map((line) => JSON.stringify(line)).join('\n');
    assert.ok(!text.includes('maria') && !text.includes(issued.json.code));
  });

  it('is appended to OTP_AUDIT_LOG, and nothing of it goes to standard output', async () => {
    const path = join(dir, 'audit.log');
    for (let run = 0; run < 2; run++) {
      const {service, call, printed} = await startService({OTP_AUDIT_LOG: path});
      assert.equal((await call('/codes', issueBody('maria'))).status, 201);
      await service.close();
      assert.ok(!printed.some((line) => line.includes('"log":"audit"')));
    }
    const lines = readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Two runs, appended: issued and delivered each.
    assert.deepEqual(
      lines.map((l: {event: string}) => l.event),
      ['otp.issued', 'otp.delivered', 'otp.issued', 'otp.delivered'],
    );
  });

  it('stops the start when OTP_AUDIT_LOG cannot be opened, naming it', async () => {
    assert.throws(
      () =>
        createService(
          serviceConfig(
            {...base, OTP_AUDIT_LOG: join(dir, 'missing', 'audit.log')},
            noFiles,
          ),
          memoryOtpStore(),
          jsonLogger(() => undefined),
        ),
      (error: Error) =>
        error instanceof ConfigError &&
        /^OTP_AUDIT_LOG cannot be opened for appending: ENOENT/.test(error.message),
    );
  });
});

describe('npx otp-step-server', () => {
  const start = (env: Record<string, string>) => exitOf({...base, ...env});

  it('stops with one line naming the setting: an unknown event type, an audit log it cannot open', async () => {
    const unknown = await start({
      OTP_EVENTS: 'otp.sent',
      OTP_EVENTS_URL: 'http://127.0.0.1:9/',
      OTP_WEBHOOK_SECRET: HOOK_SECRET,
    });
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /^otp-step-server: OTP_EVENTS holds "otp.sent", which is not an event type/,
    );
    assert.equal(unknown.stderr.trim().split('\n').length, 1);
    const audit = await start({OTP_AUDIT_LOG: dir});
    assert.equal(audit.code, 1);
    assert.match(
      audit.stderr,
      /^otp-step-server: OTP_AUDIT_LOG cannot be opened for appending: EISDIR/,
    );
  });
});
