/**
 * The audit log: one JSON line per event, naming the user only by an HMAC
 * under a key derived from the secret, the address only by its network, and
 * never the code or where it went. Written as someone reading a leaked log
 * would read it: looking for anything that names a person.
 */
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {describe, it} from 'node:test';
import {addressPrefix} from '../events/address-prefix.js';
import {createNotifier} from '../notify/index.js';
import {confirm, issue, post, SECRET, setup, wrongCode} from './helpers.js';

const USER = 'Alice.Liddell@example.com';
const ADDRESS = '203.0.113.77';

/** A handler whose audit lines are kept, parsed, with the raw text beside them. */
function audited(options: Parameters<typeof setup>[0] = {}) {
  const lines: string[] = [];
  const messages: string[] = [];
  // An SMS channel that keeps what it sends: the codes have a channel and a hint to leak.
  const notify = createNotifier({
    channels: [
      {
        channel: 'sms',
        provider: 'test',
        send: async (message) => void messages.push(JSON.stringify(message)),
      },
    ],
    appName: 'Shop',
    // The handler's clock: its deadlines are set by it.
    now: () => ctx.clock.now,
    logger: {
      info: (l) => void messages.push(l),
      warn: (l) => void messages.push(l),
      error: (l) => void messages.push(l),
    },
  });
  const ctx = setup({
    notify,
    auditLog: (line) => void lines.push(line),
    clientAddress: (request) => request.headers.get('x-test-address') ?? ADDRESS,
    lookupUser: (user: string) =>
      user === 'nobody' ? null : {email: 'alice@example.org', phone: '+351912345678'},
    ...options,
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, string>);
  return {...ctx, lines, parsed, messages};
}

describe('auditLog', () => {
  it('writes one line per event with the event, hashed user, client, network and outcome', async () => {
    const ctx = audited({limits: {maxAttempts: 2}});
    const first = await issue(ctx, USER);
    const {requestId, code} = {
      requestId: String(first.json.requestId),
      code: String(first.json.code),
    };
    assert.equal((await confirm(ctx, requestId, wrongCode(code))).status, 422);
    assert.equal((await confirm(ctx, requestId, code)).status, 200);
    await ctx.handler.idle();
    const lines = ctx.parsed();
    assert.deepEqual(
      lines.map((l) => [l.event, l.outcome, l.reason]),
      [
        ['otp.issued', 'success', undefined],
        ['otp.delivered', 'success', undefined],
        ['otp.rejected', 'failure', 'invalid'],
        ['otp.confirmed', 'success', undefined],
      ],
    );
    // The HMAC an operator with the secret can compute to find a user's lines, under its own key.
    const key = createHmac('sha256', SECRET).update('otp-step audit user').digest();
    const hashed = createHmac('sha256', key).update(USER).digest('hex');
    for (const line of lines) {
      assert.equal(line.user, hashed);
      assert.equal(line.client, 'web');
      assert.equal(line.requestId, requestId);
      assert.ok(!Number.isNaN(Date.parse(line.time)));
    }
    // The address where a request made the event; none for the delivery behind it.
    assert.equal(lines[0].addressPrefix, '203.0.113.0/24');
    assert.equal(lines[1].addressPrefix, undefined);
    assert.equal(lines[3].addressPrefix, '203.0.113.0/24');
    await ctx.handler.close();
  });

  it('holds no user name, code, full address, destination or hint, in any case or encoding', async () => {
    const ctx = audited({limits: {maxAttempts: 1}});
    const answer = await issue(ctx, USER);
    const code = String(answer.json.code);
    await confirm(ctx, answer.json.requestId, wrongCode(code));
    await issue(ctx, 'nobody');
    await issue(ctx, USER, {lifetime: 100_000});
    ctx.clock.now += 5 * 60_000 + 5000;
    await new Promise((resolve) => setTimeout(resolve, 600));
    await ctx.handler.idle();
    assert.ok(ctx.messages.length > 0, 'nothing was sent, so nothing could leak');
    const text = ctx.lines.join('\n');
    // What the channel and hint are, to be sure they were there to leak.
    assert.ok(text.includes('"channel":"sms"'));
    const lower = text.toLowerCase();
    for (const secret of [
      USER.toLowerCase(),
      'alice',
      'nobody',
      code,
      ADDRESS,
      '203.0.113.77',
      'alice@example.org',
      '912345678',
      Buffer.from(USER).toString('base64'),
    ])
      assert.ok(!lower.includes(secret.toLowerCase()), `the audit log holds ${secret}`);
    assert.ok(!/•|\*\*/.test(text), 'the audit log holds a destination hint');
    assert.ok(!text.includes('+351'), 'the audit log holds the number');
    await ctx.handler.close();
  });

  it('writes a line for each cancel (route and handler.cancel) and each revocation, naming the user by its HMAC', async () => {
    const ctx = audited();
    const routed = await issue(ctx, USER);
    const byApp = await issue(ctx, USER, {stepName: 'pay'});
    await post(ctx.handler, `/otp/codes/${routed.json.requestId}/cancel`, {});
    // A repeated cancel ends nothing: no second line.
    await post(ctx.handler, `/otp/codes/${routed.json.requestId}/cancel`, {});
    assert.equal(await ctx.handler.cancel(String(byApp.json.requestId)), true);
    await ctx.handler.revokeUser(USER);
    await ctx.handler.idle();
    const key = createHmac('sha256', SECRET).update('otp-step audit user').digest();
    const hashed = createHmac('sha256', key).update(USER).digest('hex');
    const ended = ctx
      .parsed()
      .filter((l) => l.event !== 'otp.issued' && l.event !== 'otp.delivered');
    assert.deepEqual(
      ended.map((l) => [
        l.event,
        l.outcome,
        l.requestId,
        l.stepName,
        l.channel,
        l.addressPrefix,
      ]),
      [
        [
          'otp.canceled',
          'success',
          routed.json.requestId,
          'login',
          'sms',
          '203.0.113.0/24',
        ],
        // The app's own cancel comes from no request: no address.
        ['otp.canceled', 'success', byApp.json.requestId, 'pay', 'sms', undefined],
        // A revocation names no one code, client or step.
        ['otp.revoked', 'success', '', undefined, undefined, undefined],
      ],
    );
    for (const line of ended) assert.equal(line.user, hashed);
    assert.ok(!ctx.lines.join('\n').toLowerCase().includes('alice'));
    await ctx.handler.close();
  });

  it('writes refusals and decoys, which apps are not told of, under their own names', async () => {
    const ctx = audited();
    await issue(ctx, 'nobody', {}, {'x-test-address': '2001:db8:abcd:12:1:2:3:4'});
    const refused = await issue(ctx, USER, {lifetime: 100_000});
    assert.equal(refused.status, 400);
    await ctx.handler.idle();
    const lines = ctx.parsed();
    const decoy = lines.find((l) => l.event === 'otp.unknown_user')!;
    assert.equal(decoy.outcome, 'failure');
    assert.equal(decoy.addressPrefix, '2001:db8:abcd::/48');
    const refusal = lines.find((l) => l.event === 'otp.refused')!;
    assert.equal(refusal.reason, 'invalid-lifetime');
    assert.equal(refusal.operation, 'issue');
    assert.equal(refusal.addressPrefix, '203.0.113.0/24');
    assert.ok(!lines.some((l) => l.event === 'otp.issued'));
    await ctx.handler.close();
  });

  it('logs an auditLog that throws and answers as ever', async () => {
    const ctx = setup({
      auditLog: () => {
        throw new Error('disk full');
      },
    });
    assert.equal((await issue(ctx, USER)).status, 201);
    assert.ok(ctx.logged.some((l) => /disk full/.test(l)));
    await ctx.handler.close();
  });
});

describe('addressPrefix', () => {
  it('keeps an IPv4 address’s /24 and an IPv6 one’s /48, mapped IPv4 as IPv4', () => {
    assert.equal(addressPrefix('192.0.2.200'), '192.0.2.0/24');
    assert.equal(addressPrefix('::ffff:192.0.2.200'), '192.0.2.0/24');
    assert.equal(addressPrefix('2001:db8:1:2:3:4:5:6'), '2001:db8:1::/48');
    assert.equal(addressPrefix('2001:0db8::1'), '2001:db8:0::/48');
    assert.equal(addressPrefix('::1'), '0:0:0::/48');
  });

  it('keeps nothing of what is not an address', () => {
    assert.equal(addressPrefix(undefined), undefined);
    assert.equal(addressPrefix(''), undefined);
    assert.equal(addressPrefix('alice@example.com'), undefined);
    assert.equal(addressPrefix('unknown-behind-proxy'), undefined);
  });
});
