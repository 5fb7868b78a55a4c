/**
 * Attacks on the side service's own front: a client that sends half its
 * headers and waits (slow-loris), a flood of connections, and a caller that
 * reaches the service directly and names the signed-in user itself. The
 * service runs in this process on a real socket; the clients are node:net
 * sockets, so what is measured is what a client on the network sees.
 */
import assert from 'node:assert/strict';
import {connect} from 'node:net';
import {after, describe, it} from 'node:test';
import {memoryOtpStore} from '../index.js';
import {serviceConfig, type ServiceConfig} from '../service/config.js';
import {jsonLogger} from '../service/json-logger.js';
import {createService} from '../service/service.js';
import {issueBody, SECRET} from './helpers.js';

const running: ReturnType<typeof createService>[] = [];
after(() => Promise.all(running.map((service) => service.close(100))));

/** The service as `env` configures it, with `overrides` no variable sets, on a free loopback port. */
async function start(
  env: Record<string, string> = {},
  overrides: Partial<ServiceConfig> = {},
) {
  const config = {
    ...serviceConfig({NODE_ENV: 'test', OTP_SECRET: SECRET, ...env}, () => {
      throw new Error('no files here');
    }),
    ...overrides,
  };
  const service = createService(
    config,
    memoryOtpStore(),
    jsonLogger(() => undefined),
  );
  running.push(service);
  const {port} = await service.listen(0, '127.0.0.1');
  return {service, port};
}

/** A socket to the service, and when it was closed (ms after it opened; Infinity while open). */
function open(port: number) {
  const socket = connect(port, '127.0.0.1');
  const opened = performance.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => resolve(performance.now() - opened)),
  );
  const connected = new Promise<void>((resolve) => socket.once('connect', resolve));
  return {socket, closed, connected, received: () => received};
}

/** The status of one request written on a fresh socket. */
async function request(port: number, headers: string[], body = '') {
  const client = open(port);
  client.socket.end(
    [
      `POST /codes HTTP/1.1`,
      'Host: otp.example',
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...headers,
      '',
      body,
    ].join('\r\n'),
  );
  await client.closed;
  const [head, text = ''] = client.received().split('\r\n\r\n');
  return {status: Number(head.split(' ')[1]), json: text ? JSON.parse(text) : {}};
}

const HALF_HEADERS = 'POST /codes HTTP/1.1\r\nHost: otp.example\r\nContent-Type: appl';

describe('attack: the side service’s connections', () => {
  it('cuts a client that sends half its headers within ~10 s by default', async () => {
    const {service, port} = await start();
    assert.ok(service.server.headersTimeout <= 10_000, 'headers in 10 s at most');
    assert.equal(service.server.requestTimeout, 30_000);
    const client = open(port);
    client.socket.write(HALF_HEADERS);
    const closedAfter = await client.closed;
    assert.ok(
      closedAfter >= 9_000 && closedAfter < 12_000,
      `cut after ${closedAfter} ms`,
    );
    assert.match(client.received(), /^HTTP\/1\.1 408/);
  });

  it('cuts it at the headers timeout it is given, however many wait', async () => {
    const {port} = await start({}, {headersTimeoutMs: 500, requestTimeoutMs: 2000});
    const clients = Array.from({length: 20}, () => open(port));
    for (const client of clients) client.socket.write(HALF_HEADERS);
    const times = await Promise.all(clients.map((client) => client.closed));
    for (const time of times)
      assert.ok(time >= 400 && time < 2000, `cut after ${time} ms`);
  });

  it('closes a connection past OTP_MAX_CONNECTIONS at once, and serves again once one ends', async () => {
    const {service, port} = await start({OTP_MAX_CONNECTIONS: '3'});
    assert.equal(service.server.maxConnections, 3);
    const held = Array.from({length: 3}, () => open(port));
    await Promise.all(held.map((client) => client.connected));
    for (const client of held) client.socket.write(HALF_HEADERS);
    // Let the server count the three before the fourth arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fourth = open(port);
    fourth.socket.write(HALF_HEADERS);
    const closedAfter = await fourth.closed;
    assert.ok(closedAfter < 1000, `closed after ${closedAfter} ms`);
    assert.equal(fourth.received(), '', 'nothing answered past the cap');
    held[0].socket.destroy();
    await held[0].closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await request(port, [], JSON.stringify(issueBody('after-the-flood')));
    assert.equal(answer.status, 201);
  });
});

describe('attack: naming the user from outside the app’s proxy', () => {
  const env = {OTP_USER_HEADER: 'X-App-User'};

  it('ignores the user header from an address that is not a trusted proxy: 401', async () => {
    // This test's sockets come from 127.0.0.1; only 192.0.2.1 is the app's proxy.
    const {port} = await start({...env, OTP_TRUSTED_PROXIES: '192.0.2.1'});
    const answer = await request(
      port,
      ['X-App-User: alice'],
      JSON.stringify(issueBody('alice')),
    );
    assert.equal(answer.status, 401);
    assert.equal(answer.json.code, 'unauthenticated');
  });

  it('believes it from the trusted proxy, which must also say whose the request is', async () => {
    const {port} = await start({...env, OTP_TRUSTED_PROXIES: '127.0.0.0/8,::1'});
    const body = JSON.stringify(issueBody('alice'));
    const proxied = ['X-App-User: alice', 'X-Forwarded-For: 203.0.113.7'];
    assert.equal((await request(port, proxied, body)).status, 201);
    const unsaid = await request(port, ['X-App-User: alice'], body);
    assert.equal(unsaid.status, 400);
    assert.equal(unsaid.json.code, 'client-address-unknown');
  });

  it('turns resends off with OTP_MAX_RESENDS=0: a resend is refused 429 resend-limit', async () => {
    const {port} = await start({OTP_MAX_RESENDS: '0', OTP_RESEND_AFTER_SECONDS: '0'});
    const body = JSON.stringify(issueBody('resender'));
    assert.equal((await request(port, [], body)).status, 201);
    const resend = await request(port, [], body);
    assert.equal(resend.status, 429);
    assert.equal(resend.json.code, 'resend-limit');
  });
});
