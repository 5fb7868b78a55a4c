/**
 * Attacks on who a code is for (issue 19). The server normalises user names
 * so that no limit can be sidestepped by spelling, but normalising is for the
 * limits' keys only: the app's own functions (`lookupUser`, `notify`,
 * `onConfirmed`) and the confirmation token name the user exactly as the app
 * named it (the `authenticate` result, else the request's `user`), with the
 * normalised `account` beside it. An app whose user table tells `Bob` from
 * `bob` must never have one's code sent to, or proven for, the other.
 */
import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import type {OtpConfirmationClaims} from '../index.js';
import {memoryOtpStore} from '../store.js';
import {serviceConfig} from '../service/config.js';
import {createService} from '../service/service.js';
import {confirm, type Ctx, issue, SECRET, setup} from './helpers.js';

/** The claims a token carries, read from its payload as anyone holding it could. */
const claimsIn = (token: unknown) =>
  JSON.parse(
    Buffer.from(String(token).split('.')[1], 'base64url').toString('utf8'),
  ) as Record<string, unknown>;

/** Issues and confirms a code for `user`, with `headers` (a session), and returns the token. */
async function confirmedToken(ctx: Ctx, user: string, headers = {}, extra = {}) {
  const issued = await issue(ctx, user, extra, headers);
  assert.equal(issued.status, 201, `issue for ${user}: ${issued.text}`);
  const answer = await confirm(
    ctx,
    issued.json.requestId,
    String(issued.json.code),
    headers,
  );
  assert.equal(answer.status, 200, `confirm for ${user}: ${answer.text}`);
  return String(answer.json.confirmation);
}

describe('identities: the app’s functions and the token name the user exactly', () => {
  it('gives lookupUser, notify, onConfirmed and the token the request’s user as sent, with the account beside it', async () => {
    const looked: string[] = [];
    const confirmed: OtpConfirmationClaims[] = [];
    const ctx = setup({
      lookupUser: (user) => (looked.push(user), true),
      onConfirmed: (claims) => void confirmed.push(claims),
    });
    const token = await confirmedToken(ctx, 'Alice');
    assert.deepEqual(looked, ['Alice'], 'lookupUser is asked about "Alice", not "alice"');
    assert.deepEqual(
      ctx.sent.map((n) => [n.user, n.account]),
      [['Alice', 'alice']],
      'the notification names the user and, apart, the account',
    );
    assert.equal(confirmed.length, 1);
    assert.deepEqual([confirmed[0].user, confirmed[0].account], ['Alice', 'alice']);
    const claims = claimsIn(token);
    assert.deepEqual([claims.user, claims.account], ['Alice', 'alice']);
    const verified = await ctx.handler.verifyConfirmation(token, {user: 'Alice'});
    assert.deepEqual([verified?.user, verified?.account], ['Alice', 'alice']);
  });

  it('with authenticate, names the user as the session does, whatever spelling the request used', async () => {
    const looked: string[] = [];
    const confirmed: OtpConfirmationClaims[] = [];
    const ctx = setup({
      authenticate: () => 'Alice',
      lookupUser: (user) => (looked.push(user), true),
      onConfirmed: (claims) => void confirmed.push(claims),
    });
    // The request spells the account another way; the session is who it is.
    const token = await confirmedToken(ctx, 'ＡＬＩＣＥ');
    assert.deepEqual(
      looked,
      ['Alice'],
      'lookupUser is asked about the session’s "Alice"',
    );
    assert.deepEqual(
      ctx.sent.map((n) => [n.user, n.account]),
      [['Alice', 'alice']],
    );
    assert.deepEqual([confirmed[0]?.user, confirmed[0]?.account], ['Alice', 'alice']);
    assert.deepEqual([claimsIn(token).user, claimsIn(token).account], ['Alice', 'alice']);
  });
});

describe('identities: replaying the Bob/bob bypass', () => {
  /**
   * An app whose user table is case-sensitive: `Bob` (the victim) and `bob`
   * (the attacker's own account) are two people with two phones. Its
   * `authenticate` reads the session (here a header standing for the cookie),
   * and its `notify` texts the phone of the user the notification names: the
   * way an app is written once it trusts `n.user` to be its own user id.
   */
  function caseSensitiveApp() {
    const phones: Record<string, string> = {
      Bob: '+15550000001',
      bob: '+15550000002',
      Alice: '+15550000003',
    };
    const texts: {phone: string; code: string}[] = [];
    const looked: string[] = [];
    const ctx = setup({
      authenticate: (request) => request.headers.get('x-session'),
      lookupUser: (user) => {
        looked.push(user);
        // Exact, as a case-sensitive primary key is.
        return Object.hasOwn(phones, user) ? {phone: phones[user]} : null;
      },
      notify: (n) => {
        const phone = phones[n.user];
        if (phone) texts.push({phone, code: n.code});
      },
    });
    return {ctx, phones, texts, looked};
  }

  it('sends a sign-in as Bob to Bob’s phone, not to bob’s', async () => {
    const {ctx, phones, texts, looked} = caseSensitiveApp();
    // The attacker knows Bob's password: the first factor passes, the session says "Bob".
    const issued = await issue(ctx, 'Bob', {}, {'x-session': 'Bob'});
    assert.equal(issued.status, 201);
    assert.deepEqual(
      texts.map((t) => t.phone),
      [phones.Bob],
      `the code went to ${texts.map((t) => t.phone).join(', ') || 'nobody'}; Bob's phone is ${phones.Bob}, the attacker's ${phones.bob}`,
    );
    assert.deepEqual(looked, ['Bob']);
  });

  it('a token the attacker confirmed signed in as bob does not prove Bob, and is not spent by trying', async () => {
    // Signed in as their own "bob", the request naming "bob", then "Bob" (the
    // same account for the limits; a server may also refuse that one, 403).
    for (const named of ['bob', 'Bob']) {
      const {ctx, phones, texts} = caseSensitiveApp();
      const session = {'x-session': 'bob'};
      const issued = await issue(ctx, named, {}, session);
      if (named === 'Bob' && issued.status === 403) continue;
      assert.equal(issued.status, 201, `${named}: ${issued.text}`);
      const text = texts.at(-1);
      assert.equal(text?.phone, phones.bob, 'the code goes to the session’s own phone');
      const answer = await confirm(ctx, issued.json.requestId, text!.code, session);
      assert.equal(answer.status, 200);
      const token = answer.json.confirmation;
      // The app finishes Bob's sign-in only if the token proves Bob.
      assert.equal(
        await ctx.handler.verifyConfirmation(token, {user: 'Bob'}),
        null,
        `asking for "${named}" signed in as "bob", the token proves "Bob": claims ${JSON.stringify(claimsIn(token))}`,
      );
      // Refused for naming another user, so not spent: its owner's check still works.
      const own = await ctx.handler.verifyConfirmation(token, {user: 'bob'});
      assert.equal(own?.user, 'bob', `${named}: the owner's check`);
    }
  });

  it('gives a user whose stored name is not normalised (Alice) her code', async () => {
    const {ctx, phones, texts, looked} = caseSensitiveApp();
    const issued = await issue(ctx, 'Alice', {}, {'x-session': 'Alice'});
    assert.equal(issued.status, 201);
    assert.deepEqual(looked, ['Alice'], 'lookupUser is asked about "Alice" exactly');
    assert.deepEqual(
      texts.map((t) => t.phone),
      [phones.Alice],
    );
  });
});

describe('identities: verifyConfirmation compares users exactly', () => {
  it('refuses another spelling and every expectation without a user, spending nothing; anyUser accepts', async () => {
    const ctx = setup();
    // Each case names the token's user (`user`) another way, or not at all.
    const refused: [string, (user: string) => object | undefined][] = [
      ['another spelling', (user) => ({user: user.toLowerCase()})],
      ['another spelling, NFKC-equal', (user) => ({user: user.normalize('NFD')})],
      ['no expectation argument', () => undefined],
      ['no expectation', () => ({})],
      ['user undefined', () => ({user: undefined})],
      // A signed-out session's user, as an app may pass it along.
      ['user null', () => ({user: null})],
      ['a client but no user', () => ({client: 'web'})],
      ['client and step but no user', () => ({client: 'web', stepName: 'login'})],
    ];
    // A token (and user) of its own for each, so that one wrongly accepted (and spent) hides no other.
    const accepted = [];
    for (const [i, [why, expected]] of refused.entries()) {
      const user = `Ålice-${i}`;
      const token = await confirmedToken(ctx, user);
      if (await ctx.handler.verifyConfirmation(token, expected(user) as never))
        accepted.push(why);
    }
    assert.deepEqual(accepted, [], `accepted: ${accepted.join('; ')}`);
    // One token through every refusal: none spent it, the owner's exact check is the first to.
    const token = await confirmedToken(ctx, 'Ålice');
    for (const [, expected] of refused)
      await ctx.handler.verifyConfirmation(token, expected('Ålice') as never);
    const claims = await ctx.handler.verifyConfirmation(token, {user: 'Ålice'});
    assert.equal(claims?.user, 'Ålice', 'the owner can still verify');
    assert.equal(await ctx.handler.verifyConfirmation(token, {user: 'Ålice'}), null);

    const anyones = await confirmedToken(ctx, 'Carol');
    const any = await ctx.handler.verifyConfirmation(anyones, {anyUser: true});
    assert.equal(any?.user, 'Carol', '{anyUser: true} accepts a token of any user');
  });
});

describe('identities: the side service’s /confirmations/verify', () => {
  const API_KEY = 'the app server key for verifying confirmations';

  it('answers {confirmed: false} to a body without user, and true to the exact user', async () => {
    const config = serviceConfig(
      {
        NODE_ENV: 'test',
        OTP_SECRET: SECRET,
        OTP_TEST_MODE: '1',
        OTP_API_KEY: API_KEY,
        OTP_USER_HEADER: 'X-App-User',
      },
      (path) => {
        throw new Error(`ENOENT: ${path}`);
      },
    );
    const silent = {
      log: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const service = createService(config, memoryOtpStore(), silent as never);
    const {port} = await service.listen(0, '127.0.0.1');
    after(() => service.close());
    const url = `http://127.0.0.1:${port}`;
    const post = async (path: string, body: unknown, headers = {}) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: {'content-type': 'application/json', ...headers},
        body: JSON.stringify(body),
      });
      return {status: response.status, json: (await response.json()) as never};
    };
    const session = {'x-app-user': 'Dana'};
    const issued = await post(
      '/codes',
      {
        user: 'Dana',
        client: 'web',
        stepName: 'login',
        sourceStep: 'get-user-info',
        lifetime: 300,
        length: 6,
        alphabet: 'numeric',
      },
      session,
    );
    assert.equal(issued.status, 201);
    const {requestId, code} = issued.json as {requestId: string; code: string};
    const confirmed = await post(`/codes/${requestId}/confirm`, {code}, session);
    assert.equal(confirmed.status, 200);
    const token = (confirmed.json as {confirmation: string}).confirmation;
    const verify = (body: object) =>
      post('/confirmations/verify', body, {authorization: `Bearer ${API_KEY}`});
    for (const body of [{token}, {token, client: 'web'}, {token, user: null}])
      assert.deepEqual(
        (await verify(body)).json,
        {confirmed: false},
        `POST /confirmations/verify ${JSON.stringify({...body, token: '…'})}`,
      );
    const exact = await verify({token, user: 'Dana'});
    assert.equal((exact.json as {confirmed: boolean}).confirmed, true);
  });
});

describe('identities: the user cap applies to the account too', () => {
  it('refuses a name that normalises past 256 characters (ﷺ is 18 under NFKC) with 400 invalid-request', async () => {
    const ctx = setup();
    // 14 of them normalise to 252 characters: within the cap, so the cap is what refuses more.
    assert.equal('ﷺ'.repeat(14).normalize('NFKC').length, 252);
    assert.equal((await issue(ctx, 'ﷺ'.repeat(14))).status, 201);
    for (const count of [15, 200]) {
      const answer = await issue(ctx, 'ﷺ'.repeat(count), {client: `c${count}`});
      assert.deepEqual(
        [answer.status, answer.json.code],
        [400, 'invalid-request'],
        `${count} × ﷺ (${'ﷺ'.repeat(count).normalize('NFKC').length} characters normalised) → ${answer.status} ${String(answer.json.code)}`,
      );
    }
    assert.equal(ctx.sent.length, 1);
  });
});
