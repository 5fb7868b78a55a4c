// Issue 18 on the handler: a notifier sends behind the answer through a real
// SMTP server on loopback (smtp-server, parsed with mailparser); the answer
// says where the code went; unknown users look the same; status, test users,
// reuse, and no code or address in the logs.
import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {after, describe, it} from 'node:test';
import {simpleParser} from 'mailparser';
import {SMTPServer} from 'smtp-server';
import {createNotifier, smtpChannel} from '../notify/index.js';
import type {OtpChannel} from '../notify/types.js';
import {issue, issueBody, post, send, setup} from './helpers.js';

interface Mail {
  to: string;
  text: string;
}

async function startSmtp() {
  const inbox: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          inbox.push({to: session.envelope.rcptTo[0].address, text: mail.text ?? ''});
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.server.address() as {port: number};
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {inbox, url: `smtp://127.0.0.1:${port}`};
}

async function closedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const smtp = await startSmtp();
const DIRECTORY: Record<string, {email?: string; phone?: string; language?: string}> = {
  maria: {email: 'maria.silva@example.com', phone: '+5511987654321', language: 'pt-BR'},
  bob: {email: 'bob@example.org'},
};

/** A handler e-mailing through the loopback SMTP server; the notifier's clock runs from the handler's. */
function mailing(
  extra: Parameters<typeof setup>[0] = {},
  url = smtp.url,
  more: OtpChannel[] = [],
) {
  const started = Date.now();
  const clock = {now: () => 0};
  const notifier = createNotifier({
    channels: [smtpChannel({url, from: 'codes@shop.example'}), ...more],
    appName: 'Shop',
    now: () => clock.now() + (Date.now() - started),
    // The notifier's lines go with the handler's, for the tests that read the logs.
    logger: {
      info: (line) => void ctx.logged.push(line),
      warn: (line) => void ctx.logged.push(line),
      error: (line) => void ctx.logged.push(line),
    },
  });
  const ctx = setup({
    notify: notifier,
    lookupUser: (user) => DIRECTORY[user] ?? null,
    ...extra,
  });
  clock.now = () => ctx.clock.now;
  after(() => notifier.close());
  return ctx;
}

const smsStandIn = (sent: string[]): OtpChannel => ({
  channel: 'sms',
  provider: 'stand-in',
  send: async (message) => void sent.push(message.text),
});

const status = async (ctx: ReturnType<typeof setup>, id: string, headers = {}) => {
  const response = await send(ctx.handler, `/otp/codes/${id}`, {method: 'GET', headers});
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
};

describe('sending the code through a notifier', () => {
  it('answers at once with the channel and hint, then the e-mail arrives and the status says sent', async () => {
    const ctx = mailing();
    const answer = await issue(ctx, 'bob');
    assert.equal(answer.status, 201);
    assert.equal(answer.json.channel, 'email');
    assert.equal(answer.json.destinationHint, 'b•••@example.org');
    assert.deepEqual(answer.json.channels, ['email']);
    assert.equal(answer.json.delivery, 'queued');
    await ctx.handler.idle();
    const mail = smtp.inbox.find(
      (m) => m.to === 'bob@example.org' && m.text.includes(String(answer.json.code)),
    );
    assert.ok(mail, 'the e-mail with the code reached the SMTP server');
    const read = await status(ctx, String(answer.json.requestId));
    assert.equal(read.status, 200);
    assert.equal(read.json.delivery, 'sent');
    assert.equal(read.json.status, 'pending');
    assert.equal(read.json.destinationHint, 'b•••@example.org');
    assert.ok(!JSON.stringify(read.json).includes(String(answer.json.code)));
  });

  it('writes in the destination language and masks a phone as +55 ••• •••• 4321', async () => {
    const sms: string[] = [];
    const ctx = mailing({}, smtp.url, [smsStandIn(sms)]);
    const answer = await issue(ctx, 'maria', {channel: 'sms'});
    assert.equal(answer.json.channel, 'sms');
    assert.equal(answer.json.destinationHint, '+55 ••• •••• 4321');
    assert.deepEqual(answer.json.channels, ['email', 'sms']);
    await ctx.handler.idle();
    assert.equal(sms.length, 1);
    assert.ok(sms[0].startsWith(String(answer.json.code)));
  });

  it('falls back to a channel the user has, and says which', async () => {
    const ctx = mailing({}, smtp.url, [smsStandIn([])]);
    const answer = await issue(ctx, 'bob', {channel: 'sms'});
    assert.equal(answer.json.channel, 'email');
  });

  it('answers 422 channel-unavailable for a channel the server lacks, to known and unknown alike', async () => {
    const ctx = mailing();
    const known = await post(
      ctx.handler,
      '/otp/codes',
      issueBody('bob', {channel: 'sms'}),
    );
    const unknown = await post(
      ctx.handler,
      '/otp/codes',
      issueBody('nobody', {channel: 'sms'}),
    );
    assert.equal(known.status, 422);
    assert.equal(known.json.code, 'channel-unavailable');
    assert.deepEqual(known.json, unknown.json);
    const bad = await post(ctx.handler, '/otp/codes', issueBody('bob', {channel: 'fax'}));
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.detail), /channel/);
  });

  it('answers an unknown user in the same shape, with the same hint each time', async () => {
    const ctx = mailing({}, smtp.url, [smsStandIn([])]);
    const known = await issue(ctx, 'maria');
    const unknowns = await Promise.all(['zoe', 'yann', 'xena'].map((u) => issue(ctx, u)));
    for (const u of unknowns) {
      const keys = (json: Record<string, unknown>) =>
        Object.keys(json)
          .filter((k) => k !== 'code')
          .sort();
      assert.deepEqual(keys(u.json), keys(known.json));
      assert.equal(u.status, known.status);
      assert.deepEqual(u.json.channels, ['email', 'sms']);
      assert.match(String(u.json.destinationHint), /^[a-z0-9]•••@[a-z.]+$/);
    }
    ctx.clock.now += 31_000;
    const again = await issue(ctx, 'zoe');
    assert.equal(again.json.destinationHint, unknowns[0].json.destinationHint);
    const phone = await issue(ctx, 'zoe-2', {channel: 'sms'});
    assert.match(String(phone.json.destinationHint), /^\+\d{1,3} ••• •••• \d{4}$/);
  });

  it('marks the challenge failed when SMTP is down, and lets it be resent at once', async () => {
    const ctx = mailing(
      {deliveryRetrySeconds: 1},
      `smtp://127.0.0.1:${await closedPort()}`,
    );
    const first = await issue(ctx, 'bob');
    assert.equal(first.status, 201);
    await ctx.handler.idle();
    const read = await status(ctx, String(first.json.requestId));
    assert.equal(read.json.delivery, 'failed');
    assert.equal(read.json.resendIn, 0);
    const again = await issue(ctx, 'bob');
    assert.equal(again.status, 201, 'no cooldown after a failed delivery');
    assert.ok(!ctx.logged.join('\n').includes('bob@example.org'));
    assert.ok(!ctx.logged.join('\n').includes(String(first.json.code)));
  });

  it('never logs the code or the full address', async () => {
    const ctx = mailing();
    const answer = await issue(ctx, 'maria');
    await ctx.handler.idle();
    const log = ctx.logged.join('\n');
    assert.ok(!log.includes(String(answer.json.code)));
    assert.ok(!log.includes('maria.silva@example.com'));
  });
});

describe('the status route', () => {
  it('is GET only, 404 for an unknown id, and bound to the session', async () => {
    const ctx = mailing({authenticate: (r) => r.headers.get('x-user')});
    const answer = await issue(ctx, 'bob', {}, {'x-user': 'bob'});
    const id = String(answer.json.requestId);
    assert.equal((await status(ctx, id, {'x-user': 'bob'})).status, 200);
    assert.equal((await status(ctx, id, {'x-user': 'eve'})).status, 403);
    assert.equal((await status(ctx, id)).status, 401);
    assert.equal((await status(ctx, 'no-such-id', {'x-user': 'bob'})).status, 404);
    const wrong = await send(ctx.handler, `/otp/codes/${id}`, {
      method: 'POST',
      headers: {'x-user': 'bob'},
    });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
  });
});

describe('test users', () => {
  it('always get their fixed code, are sent nothing, and still lock on wrong codes', async () => {
    const ctx = mailing({testUsers: {Reviewer: '246810'}, testMode: false});
    const before = smtp.inbox.length;
    const answer = await issue(ctx, 'reviewer');
    assert.equal(answer.status, 201);
    assert.equal(answer.json.code, undefined);
    await ctx.handler.idle();
    assert.equal(smtp.inbox.length, before, 'nothing sent');
    assert.ok(ctx.logged.some((l) => l.includes('test-user sign-in')));
    assert.ok(ctx.logged.some((l) => l.includes('1 test user')));
    const id = String(answer.json.requestId);
    for (let i = 0; i < 5; i++)
      await post(ctx.handler, `/otp/codes/${id}/confirm`, {code: '135790'});
    const locked = await post(ctx.handler, `/otp/codes/${id}/confirm`, {code: '246810'});
    assert.notEqual(locked.status, 200, 'wrong codes lock a test user too');
    ctx.clock.now += 3600_000;
    const fresh = await issue(ctx, 'reviewer');
    const ok = await post(ctx.handler, `/otp/codes/${fresh.json.requestId}/confirm`, {
      code: '246810',
    });
    assert.equal(ok.status, 200);
  });

  it('refuses a bad test-user code at start-up, naming its place and not the code', () => {
    assert.throws(
      () => setup({testUsers: {a: '123'}}),
      (e: Error) => /testUsers entry 1/.test(e.message) && !e.message.includes('123'),
    );
  });
});

describe("resendStrategy: 'reuse'", () => {
  it('sends the same code again and keeps it only sealed', async () => {
    const ctx = mailing({resendStrategy: 'reuse', limits: {resendAfterSeconds: 1}});
    const first = await issue(ctx, 'bob');
    ctx.clock.now += 2000;
    const second = await issue(ctx, 'bob');
    assert.equal(second.status, 201);
    assert.equal(second.json.code, first.json.code);
    assert.notEqual(second.json.requestId, first.json.requestId);
    const stored = JSON.stringify(await ctx.values());
    assert.ok(
      !stored.includes(`"${first.json.code}"`),
      'no code in the clear in the store',
    );
    const ok = await post(ctx.handler, `/otp/codes/${second.json.requestId}/confirm`, {
      code: first.json.code,
    });
    assert.equal(ok.status, 200);
  });

  it('rotates by default', async () => {
    const ctx = mailing({limits: {resendAfterSeconds: 1}});
    const first = await issue(ctx, 'bob');
    ctx.clock.now += 2000;
    const second = await issue(ctx, 'bob');
    assert.notEqual(second.json.code, first.json.code);
  });
});
