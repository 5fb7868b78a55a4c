/**
 * Cancel and revocation: `POST …/codes/{id}/cancel`, `handler.cancel`,
 * `handler.revokeUser`, and the side service's admin routes, on the suite's
 * store (memory, or a real Redis with OTP_TEST_REDIS_URL), with the attacks
 * that matter: another session's cancel, forged ids, a revoked user's old
 * token, and the revocation seen by a second instance on the same store.
 */
import assert from 'node:assert/strict';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, describe, it} from 'node:test';
import {cancelByApp} from '../cancel.js';
import {lifecycle, type LifecycleFact} from '../events/lifecycle.js';
import {fromFetchRequest} from '../fetch-adapter.js';
import {handlerContext} from '../handler-context.js';
import {
  createOtpHandler,
  memoryOtpStore,
  toNodeListener,
  type OtpStore,
} from '../index.js';
import {answerOtpRequest} from '../otp-core.js';
import {redisOtpStore} from '../redis-store.js';
import {revokeUser} from '../revoke-user.js';
import {serviceConfig} from '../service/config.js';
import {jsonLogger} from '../service/json-logger.js';
import {createService} from '../service/service.js';
import {
  assertConforms,
  confirm,
  issue,
  issueBody,
  post,
  recordingLogger,
  SECRET,
  send,
  setup,
  STORE_KIND,
  wrongCode,
  type Ctx,
} from './helpers.js';

const redisUrl = process.env.OTP_TEST_REDIS_URL;

/** `POST …/codes/{id}/cancel`, checked against docs/openapi.json. */
async function cancel(ctx: Ctx, requestId: unknown, headers = {}) {
  const answer = await post(ctx.handler, `/otp/codes/${requestId}/cancel`, {}, headers);
  assertConforms('/codes/{requestId}/cancel', answer);
  return answer;
}

/** `GET …/codes/{id}`, checked against docs/openapi.json. */
async function status(ctx: Ctx, requestId: unknown, headers = {}) {
  const response = await send(ctx.handler, `/otp/codes/${requestId}`, {headers});
  const answer = {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
  assertConforms('/codes/{requestId}', answer);
  return answer;
}

/** A code issued for `user` (on `step`), with its request id and code. */
async function issued(ctx: Ctx, user = 'alice', step = 'login', headers = {}) {
  const answer = await issue(ctx, user, {stepName: step}, headers);
  assert.equal(answer.status, 201, answer.text);
  return {requestId: String(answer.json.requestId), code: String(answer.json.code)};
}

/** A confirmation token for a fresh code of `user`. */
async function tokenFor(ctx: Ctx, user: string, step = 'login') {
  const {requestId, code} = await issued(ctx, user, step);
  const confirmed = await confirm(ctx, requestId, code);
  assert.equal(confirmed.status, 200, confirmed.text);
  return String(confirmed.json.confirmation);
}

describe('cancel: POST …/codes/{requestId}/cancel', () => {
  it('ends a pending code: it reads canceled, cannot be confirmed, and a second cancel answers 200 again', async () => {
    const ctx = setup();
    const {requestId, code} = await issued(ctx);
    assert.equal((await status(ctx, requestId)).json.status, 'pending');

    const first = await cancel(ctx, requestId);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.status, 'canceled');
    assert.equal(first.json.requestId, requestId);
    assert.equal((await status(ctx, requestId)).json.status, 'canceled');

    const refused = await confirm(ctx, requestId, code);
    assert.equal(refused.status, 410);
    assert.equal(refused.json.code, 'canceled');
    assert.match(String(refused.json.detail), /canceled; ask for a new one/);

    const again = await cancel(ctx, requestId);
    assert.equal(again.status, 200);
    assert.equal(again.json.status, 'canceled');
    // Still not confirmable after the second cancel, and still canceled once its lifetime is over.
    assert.equal((await confirm(ctx, requestId, code)).json.code, 'canceled');
    ctx.clock.now += 301_000;
    assert.equal((await status(ctx, requestId)).json.status, 'canceled');
  });

  it('lets a new code be issued at once, with every attempt back, where a live code waits for its cooldown', async () => {
    const ctx = setup();
    const first = await issued(ctx);
    // Without a cancel, a new code must wait for the resend cooldown.
    const early = await issue(ctx);
    assert.equal(early.status, 429);
    assert.equal(early.json.code, 'resend-cooldown');

    assert.equal(
      (await confirm(ctx, first.requestId, wrongCode(first.code))).status,
      422,
    );
    assert.equal((await cancel(ctx, first.requestId)).status, 200);
    const next = await issue(ctx);
    assert.equal(next.status, 201, next.text);
    assert.notEqual(next.json.requestId, first.requestId);
    assert.equal(next.json.attemptsLeft, 5);
    assert.equal(next.json.resendsLeft, 3);
    const confirmed = await confirm(ctx, next.json.requestId, String(next.json.code));
    assert.equal(confirmed.status, 200, confirmed.text);
  });

  it('answers a code confirmed, expired or locked with its problem, and leaves it as it was', async () => {
    const ctx = setup();
    const used = await issued(ctx, 'alice');
    assert.equal((await confirm(ctx, used.requestId, used.code)).status, 200);
    const usedAnswer = await cancel(ctx, used.requestId);
    assert.equal(usedAnswer.status, 409);
    assert.equal(usedAnswer.json.code, 'used');
    assert.equal((await status(ctx, used.requestId)).json.status, 'confirmed');

    const locked = await issued(ctx, 'bob');
    for (let i = 0; i < 5; i++)
      await confirm(ctx, locked.requestId, wrongCode(locked.code));
    const lockedAnswer = await cancel(ctx, locked.requestId);
    assert.equal(lockedAnswer.status, 423);
    assert.equal(lockedAnswer.json.code, 'locked');
    assert.equal((await status(ctx, locked.requestId)).json.status, 'locked');

    const expired = await issued(ctx, 'carol');
    ctx.clock.now += 301_000;
    const expiredAnswer = await cancel(ctx, expired.requestId);
    assert.equal(expiredAnswer.status, 410);
    assert.equal(expiredAnswer.json.code, 'expired');
    assert.equal((await status(ctx, expired.requestId)).json.status, 'expired');
  });

  it("refuses another session's cancel (403) and one with no session (401): the owner's code still confirms", async () => {
    const ctx = setup({authenticate: (request) => request.headers.get('x-session')});
    const alice = {'x-session': 'alice'};
    const {requestId, code} = await issued(ctx, 'alice', 'login', alice);

    const stranger = await cancel(ctx, requestId, {'x-session': 'mallory'});
    assert.equal(stranger.status, 403);
    assert.equal(stranger.json.code, 'forbidden');
    // The comparison is exact: another spelling of the name is another session.
    assert.equal((await cancel(ctx, requestId, {'x-session': 'Alice'})).status, 403);
    const nobody = await cancel(ctx, requestId);
    assert.equal(nobody.status, 401);
    assert.equal(nobody.json.code, 'unauthenticated');

    assert.equal((await status(ctx, requestId, alice)).json.status, 'pending');
    assert.equal((await confirm(ctx, requestId, code, alice)).status, 200);
  });

  it('answers a forged, unknown or undecodable id 404, and any method but POST 405', async () => {
    const ctx = setup();
    const {requestId, code} = await issued(ctx);
    for (const forged of [
      crypto.randomUUID(),
      `${requestId}x`,
      requestId.toUpperCase(),
      '..%2F..%2Fhealthz',
      '%E0%A4%A',
      encodeURIComponent('"request:x"'),
    ]) {
      const answer = await cancel(ctx, forged);
      assert.equal(answer.status, 404, forged);
      assert.equal(answer.json.code, 'unknown-request');
    }
    const get = await send(ctx.handler, `/otp/codes/${requestId}/cancel`, {});
    assert.equal(get.status, 405);
    // None of it touched the real code.
    assert.equal((await confirm(ctx, requestId, code)).status, 200);
  });

  it('is limited per address as status reads are: the 121st cancel in a minute is refused, with no Retry-After', async () => {
    const ctx = setup({
      clientAddress: (request) => request.headers.get('x-test-address') ?? '198.51.100.1',
    });
    const unknownId = crypto.randomUUID();
    for (let i = 0; i < 120; i++)
      assert.equal((await cancel(ctx, unknownId)).status, 404, `cancel ${i + 1}`);
    const refused = await cancel(ctx, unknownId);
    assert.equal(refused.status, 429);
    assert.equal(refused.json.code, 'rate-limited');
    assert.equal(refused.headers.get('retry-after'), null);
    // Another address has its own budget, and the window ends.
    const elsewhere = await cancel(ctx, unknownId, {'x-test-address': '203.0.113.9'});
    assert.equal(elsewhere.status, 404);
    ctx.clock.now += 60_000;
    assert.equal((await cancel(ctx, unknownId)).status, 404);
  });
});

describe('handler.cancel(requestId), for the app’s server', () => {
  it('ends a pending code with no session asked, and says true only the time it ended one', async () => {
    const ctx = setup({authenticate: (request) => request.headers.get('x-session')});
    const {requestId, code} = await issued(ctx, 'alice', 'login', {'x-session': 'alice'});
    assert.equal(await ctx.handler.cancel(requestId), true);
    assert.equal(await ctx.handler.cancel(requestId), false);
    const refused = await confirm(ctx, requestId, code, {'x-session': 'alice'});
    assert.equal(refused.json.code, 'canceled');
    assert.equal(await ctx.handler.cancel(crypto.randomUUID()), false);
    for (const odd of [undefined, null, 42, '', {}, 'x'.repeat(10_000)])
      assert.equal(await ctx.handler.cancel(odd as unknown as string), false);
  });
});

describe('handler.revokeUser(user)', () => {
  it("voids the user's pending codes and tokens issued until then; codes issued after confirm and their tokens verify", async () => {
    const ctx = setup();
    const oldToken = await tokenFor(ctx, 'alice', 'login');
    const pending = await issued(ctx, 'alice', 'pay');
    const bobs = await issued(ctx, 'bob', 'pay');
    const bobToken = await tokenFor(ctx, 'bob', 'login');

    await ctx.handler.revokeUser('alice');

    assert.equal(await ctx.handler.verifyConfirmation(oldToken, {user: 'alice'}), null);
    assert.equal((await status(ctx, pending.requestId)).json.status, 'canceled');
    const refused = await confirm(ctx, pending.requestId, pending.code);
    assert.equal(refused.status, 410);
    assert.equal(refused.json.code, 'canceled');
    // A second cancel of a voided code is a cancel of a canceled one.
    assert.equal((await cancel(ctx, pending.requestId)).json.status, 'canceled');
    assert.equal(await ctx.handler.cancel(pending.requestId), false);

    // Bob is untouched.
    assert.equal((await status(ctx, bobs.requestId)).json.status, 'pending');
    assert.equal((await confirm(ctx, bobs.requestId, bobs.code)).status, 200);
    assert.ok(await ctx.handler.verifyConfirmation(bobToken, {user: 'bob'}));

    // A millisecond later Alice signs in again: no cooldown from the voided code, and all is valid.
    ctx.clock.now += 1;
    const fresh = await issue(ctx, 'alice', {stepName: 'pay'});
    assert.equal(fresh.status, 201, fresh.text);
    assert.equal(fresh.json.resendsLeft, 3);
    const confirmed = await confirm(ctx, fresh.json.requestId, String(fresh.json.code));
    assert.equal(confirmed.status, 200, confirmed.text);
    const claims = await ctx.handler.verifyConfirmation(confirmed.json.confirmation, {
      user: 'alice',
    });
    assert.equal(claims?.user, 'alice');
  });

  it('uses none of the account’s wrong-code budget on confirmations of a voided code', async () => {
    const ctx = setup();
    const pending = await issued(ctx, 'alice');
    await ctx.handler.revokeUser('alice');
    // More than the free attempts: counted as failures, they would start the back-off.
    for (let i = 0; i < 8; i++)
      assert.equal((await confirm(ctx, pending.requestId, pending.code)).status, 410);
    ctx.clock.now += 1;
    const fresh = await issued(ctx, 'alice');
    const wrong = await confirm(ctx, fresh.requestId, wrongCode(fresh.code));
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(wrong.json.attemptsLeft, 4);
    assert.equal((await confirm(ctx, fresh.requestId, fresh.code)).status, 200);
  });

  it('does not keep the user waiting on a code locked before it: a new code comes at once', async () => {
    const ctx = setup();
    const locked = await issued(ctx, 'alice');
    for (let i = 0; i < 5; i++)
      await confirm(ctx, locked.requestId, wrongCode(locked.code));
    ctx.clock.now += 30_000;
    const refused = await issue(ctx);
    assert.equal(refused.status, 423, 'locked until it expires, without a revocation');
    await ctx.handler.revokeUser('alice');
    assert.equal((await status(ctx, locked.requestId)).json.status, 'canceled');
    ctx.clock.now += 1;
    const fresh = await issue(ctx);
    assert.equal(fresh.status, 201, fresh.text);
    // Fresh attempts on the new code, but the account's back-off after its wrong codes still holds.
    const wrong = await confirm(
      ctx,
      fresh.json.requestId,
      wrongCode(String(fresh.json.code)),
    );
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(wrong.json.attemptsLeft, 4);
    const early = await confirm(ctx, fresh.json.requestId, String(fresh.json.code));
    assert.equal(early.status, 429, early.text);
    ctx.clock.now += 2000;
    const late = await confirm(ctx, fresh.json.requestId, String(fresh.json.code));
    assert.equal(late.status, 200, late.text);
  });

  it('names the user exactly as the app does: revoking Alice leaves alice alone', async () => {
    const ctx = setup();
    const token = await tokenFor(ctx, 'alice');
    const pending = await issued(ctx, 'alice', 'pay');
    await ctx.handler.revokeUser('Alice');
    assert.equal((await status(ctx, pending.requestId)).json.status, 'pending');
    assert.ok(await ctx.handler.verifyConfirmation(token, {user: 'alice'}));
  });

  it('refuses a user that is not a non-empty string, saying what to pass', async () => {
    const ctx = setup();
    for (const odd of [undefined, null, '', 7, {}, 'x'.repeat(257)])
      await assert.rejects(ctx.handler.revokeUser(odd as unknown as string), {
        name: 'TypeError',
        message: /revokeUser\(user\) needs the user as the app names it/,
      });
  });

  it('keeps the revocation as long as the longest code or token could live, and no longer', async () => {
    const ctx = setup({limits: {confirmationLifetimeSeconds: 1200}});
    const token = await tokenFor(ctx, 'alice');
    const bobs = await tokenFor(ctx, 'bob');
    await ctx.handler.revokeUser('alice');
    // Just before the tokens would expire, Alice's is still refused (and Bob's, unrevoked, is not).
    ctx.clock.now += 1_199_000;
    assert.equal(await ctx.handler.verifyConfirmation(token, {user: 'alice'}), null);
    assert.ok(await ctx.handler.verifyConfirmation(bobs, {user: 'bob'}));
    const keys = (await ctx.values()).filter((value) => typeof value === 'number');
    assert.equal(keys.length, 1, 'the revocation is one key holding a time');
    // Redis expires keys by its own clock, not the test's: the end is checked on memory.
    if (STORE_KIND === 'redis') return;
    ctx.clock.now += 30 * 60_000;
    assert.equal(
      (await ctx.values()).filter((value) => typeof value === 'number').length,
      0,
      'gone once nothing it voids can be alive',
    );
  });
});

describe('the lifecycle facts of cancel and revocation', () => {
  /** The core on a context whose one observer keeps every fact. */
  function watched() {
    const facts: LifecycleFact[] = [];
    const ctx = handlerContext({
      secret: SECRET,
      testMode: true,
      notify() {},
      logger: recordingLogger().logger,
      lookupUser: (user) => (user === 'ghost' ? null : {}),
      clientAddress: () => '198.51.100.7',
    });
    ctx.events = lifecycle([{fact: (fact) => void facts.push(fact)}], () => {});
    const call = async (path: string, body: unknown) => {
      const answer = await answerOtpRequest(
        ctx,
        fromFetchRequest(
          new Request(`http://localhost/otp${path}`, {
            method: 'POST',
            headers: {'content-type': 'application/json'},
            body: JSON.stringify(body),
          }),
        ),
      );
      return JSON.parse(answer.body) as Record<string, unknown>;
    };
    return {ctx, facts, call};
  }

  it('tells canceled once, by the cancel that ended the code, with its labels and no code', async () => {
    const {ctx, facts, call} = watched();
    const {requestId} = await call('/codes', issueBody('alice'));
    await call(`/codes/${requestId}/cancel`, {});
    await call(`/codes/${requestId}/cancel`, {});
    assert.equal(await cancelByApp(ctx, String(requestId)), false);
    const canceled = facts.filter((f) => f.type === 'canceled');
    assert.equal(canceled.length, 1);
    assert.deepEqual(
      {...canceled[0], at: 0},
      {
        type: 'canceled',
        at: 0,
        requestId,
        user: 'alice',
        account: 'alice',
        client: 'web',
        stepName: 'login',
        channel: undefined,
        destinationHint: undefined,
        country: undefined,
        address: '198.51.100.7',
      },
    );
    // A second cancel is no refusal either.
    assert.equal(facts.filter((f) => f.type === 'refused').length, 0);
  });

  it('tells nothing for a decoy canceled (it stands for no code), and one revoked for revokeUser', async () => {
    const {ctx, facts, call} = watched();
    const {requestId} = await call('/codes', issueBody('ghost'));
    const answer = await call(`/codes/${requestId}/cancel`, {});
    assert.equal(answer.status, 'canceled', 'answered as a real code is');
    assert.equal(facts.filter((f) => f.type === 'canceled').length, 0);
    await revokeUser(ctx, 'alice');
    const revoked = facts.filter((f) => f.type === 'revoked');
    assert.equal(revoked.length, 1);
    assert.equal(revoked[0].user, 'alice');
    assert.equal(revoked[0].requestId, '');
  });
});

/** A second instance's store: the same memory store object, or the same Redis under the same prefix. */
function sharedStores(): [OtpStore, OtpStore, () => Promise<void>] {
  if (!redisUrl) {
    const store = memoryOtpStore();
    return [store, store, async () => {}];
  }
  const prefix = `test:${process.pid}:shared:`;
  const a = redisOtpStore({url: redisUrl, prefix});
  const b = redisOtpStore({url: redisUrl, prefix});
  return [a, b, async () => void (await Promise.all([a.close(), b.close()]))];
}

describe(`two instances on one ${STORE_KIND} store, over HTTP on loopback`, () => {
  const servers: Server[] = [];
  let closeStores = async () => {};
  after(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await closeStores();
  });

  async function instance(store: OtpStore) {
    const handler = createOtpHandler({
      secret: SECRET,
      store,
      testMode: true,
      notify() {},
      logger: recordingLogger().logger,
    });
    const server = createServer(toNodeListener(handler));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (path: string, body: unknown) => {
      const response = await fetch(url + path, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        json: (await response.json()) as Record<string, string>,
      };
    };
    return {handler, call};
  }

  it('a token revoked on one fails on the other; a code canceled on one cannot be confirmed on the other', async () => {
    const [storeA, storeB, close] = sharedStores();
    closeStores = close;
    const a = await instance(storeA);
    const b = await instance(storeB);
    const user = `alice-${crypto.randomUUID()}`;

    const first = await a.call('/codes', issueBody(user));
    const confirmed = await a.call(`/codes/${first.json.requestId}/confirm`, {
      code: first.json.code,
    });
    assert.equal(confirmed.status, 200);
    await a.handler.revokeUser(user);
    assert.equal(
      await b.handler.verifyConfirmation(confirmed.json.confirmation, {user}),
      null,
    );

    // Issued after the revocation (a later millisecond), on the other instance.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const pending = await b.call('/codes', issueBody(user, {stepName: 'pay'}));
    assert.equal(pending.status, 201);
    const canceled = await a.call(`/codes/${pending.json.requestId}/cancel`, {});
    assert.equal(canceled.status, 200);
    const refused = await b.call(`/codes/${pending.json.requestId}/confirm`, {
      code: pending.json.code,
    });
    assert.equal(refused.status, 410);
    assert.equal(refused.json.code, 'canceled');
    assert.equal(await b.handler.cancel(pending.json.requestId), false);

    // And the revocation did not block the code after it, nor its token, on either instance.
    const next = await a.call('/codes', issueBody(user, {stepName: 'pay'}));
    assert.equal(next.status, 201);
    const done = await b.call(`/codes/${next.json.requestId}/confirm`, {
      code: next.json.code,
    });
    assert.equal(done.status, 200);
    assert.ok(await a.handler.verifyConfirmation(done.json.confirmation, {user}));
  });
});

describe('the side service: POST /admin/users/{user}/revoke and /admin/codes/{requestId}/cancel', () => {
  const API_KEY = 'the app server key for the admin routes';

  async function service() {
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      OTP_SECRET: SECRET,
      OTP_API_KEY: API_KEY,
      OTP_TEST_MODE: '1',
    };
    const config = serviceConfig(env, () => '');
    const store = redisUrl
      ? redisOtpStore({url: redisUrl, prefix: `test:${process.pid}:service:`})
      : memoryOtpStore();
    const lines: string[] = [];
    const running = createService(
      config,
      store,
      jsonLogger((line) => void lines.push(line)),
    );
    const {port} = await running.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${port}`;
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(url + path, {method: 'POST', ...init});
      return {
        status: response.status,
        json: (await response.json()) as Record<string, unknown>,
      };
    };
    const json = (body: unknown, headers: Record<string, string> = {}) => ({
      headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify(body),
    });
    return {running, call, json, lines};
  }

  it('cancels and revokes with the key, and refuses without it or with a wrong one (401)', async () => {
    const {running, call, json} = await service();
    try {
      const bearer = {authorization: `Bearer ${API_KEY}`};
      const user = 'Zoë/ops+1@example.com';
      const first = await call('/codes', json(issueBody(user)));
      const confirmed = await call(
        `/codes/${String(first.json.requestId)}/confirm`,
        json({code: first.json.code}),
      );
      assert.equal(confirmed.status, 200);
      const pending = await call('/codes', json(issueBody(user, {stepName: 'pay'})));
      const path = `/admin/users/${encodeURIComponent(user)}/revoke`;
      const cancelPath = `/admin/codes/${String(pending.json.requestId)}/cancel`;

      for (const authorization of [undefined, 'Bearer', `Bearer ${API_KEY}x`, API_KEY]) {
        const headers: Record<string, string> = authorization ? {authorization} : {};
        for (const route of [path, cancelPath, '/admin/anything']) {
          const refused = await call(route, {headers});
          assert.equal(refused.status, 401, `${route} with ${authorization}`);
          assert.equal(refused.json.code, 'unauthenticated');
        }
      }
      // Refused requests changed nothing.
      const still = await call(
        `/confirmations/verify`,
        json({token: confirmed.json.confirmation, user, anyUser: true}, bearer),
      );
      assert.equal(still.json.confirmed, true);
      const again = await call('/codes', json(issueBody(user)));
      const token = (
        await call(
          `/codes/${String(again.json.requestId)}/confirm`,
          json({code: again.json.code}),
        )
      ).json.confirmation;

      assert.deepEqual((await call(cancelPath, {headers: bearer})).json, {
        canceled: true,
      });
      assert.deepEqual((await call(cancelPath, {headers: bearer})).json, {
        canceled: false,
      });
      const revoked = await call(path, {headers: bearer});
      assert.equal(revoked.status, 200);
      assert.deepEqual(revoked.json, {revoked: true});
      const verified = await call(`/confirmations/verify`, json({token, user}, bearer));
      assert.deepEqual(verified.json, {confirmed: false});
    } finally {
      await running.close(1000);
    }
  });

  it('answers a user that does not decode 400, another path 404 and another method 405', async () => {
    const {running, call} = await service();
    try {
      const headers = {authorization: `Bearer ${API_KEY}`};
      const bad = await call('/admin/users/%E0%A4%A/revoke', {headers});
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, 'invalid-request');
      assert.match(String(bad.json.detail), /encodeURIComponent/);
      const long = await call(`/admin/users/${'x'.repeat(300)}/revoke`, {headers});
      assert.equal(long.status, 400);
      assert.equal((await call('/admin/users/alice', {headers})).status, 404);
      assert.equal(
        (await call('/admin/users/alice/revoke', {method: 'GET', headers})).status,
        405,
      );
    } finally {
      await running.close(1000);
    }
  });
});
