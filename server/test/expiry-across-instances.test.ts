/**
 * otp.expired from two handler instances sharing one store, as behind a load
 * balancer: each code left pending is told of exactly once, by either, within
 * 5 s of its expiry; never for codes confirmed (on the other instance),
 * locked, canceled (handler.cancel), revoked (handler.revokeUser, on the other
 * instance) or decoys. On a real Redis with
 * OTP_TEST_REDIS_URL (two clients, one prefix; no CONFIG, no keyspace
 * notifications), else on one memory store shared by both.
 */
import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import {
  createOtpHandler,
  memoryOtpStore,
  OTP_EVENT_TYPES,
  type OtpEvent,
  type OtpHandler,
  type OtpStore,
} from '../index.js';
import {redisOtpStore, type RedisOtpStore} from '../redis-store.js';
import {post, SECRET, issueBody, wrongCode} from './helpers.js';

const redisUrl = process.env.OTP_TEST_REDIS_URL;
const opened: RedisOtpStore[] = [];
after(() => Promise.all(opened.map((store) => store.close())));

/** One store per instance, all on the same data: two Redis clients with one prefix, or one memory store. */
function sharedStores(now: () => number, name: string): [OtpStore, OtpStore] {
  if (!redisUrl) {
    const store = memoryOtpStore({now});
    return [store, store];
  }
  const prefix = `test:${process.pid}:${name}:`;
  const stores = [0, 1].map(() => redisOtpStore({url: redisUrl, prefix, now}));
  opened.push(...stores);
  return [stores[0], stores[1]];
}

/** Two instances on one store and one clock, each telling its events, marked with its name. */
function twoInstances(name: string, now: () => number, limits = {}) {
  const stores = sharedStores(now, name);
  const events: (OtpEvent & {by: string})[] = [];
  const handlers = stores.map((store, index) =>
    createOtpHandler({
      secret: SECRET,
      store,
      testMode: true,
      now,
      notify: () => undefined,
      logger: {info() {}, warn() {}, error() {}},
      lookupUser: (user) => !user.startsWith('nobody'),
      limits: {issuesPerAddress: 1000, maxAttempts: 1, ...limits},
      onEvent: (event) => void events.push({...event, by: `instance ${index}`}),
    }),
  ) as [OtpHandler, OtpHandler];
  return {stores, handlers, events};
}

async function issueOn(handler: OtpHandler, user: string, lifetime: number) {
  const answer = await post(handler, '/otp/codes', issueBody(user, {lifetime}));
  assert.equal(answer.status, 201, answer.text);
  return {requestId: String(answer.json.requestId), code: String(answer.json.code)};
}

const confirmOn = (handler: OtpHandler, requestId: string, code: string) =>
  post(handler, `/otp/codes/${requestId}/confirm`, {code});

async function waitFor(until: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!until() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
}

describe(`otp.expired across two instances (${redisUrl ? 'Redis' : 'memory'})`, () => {
  it('is told once per pending code, by one instance, and for no code that ended otherwise', async () => {
    const clock = {now: 1_700_000_000_000};
    const {handlers, events} = twoInstances('once', () => clock.now);
    const [a, b] = handlers;
    // Twenty codes left pending, issued on both instances.
    const pending = [];
    for (let i = 0; i < 20; i++)
      pending.push(await issueOn(i % 2 ? b : a, `pending-${i}`, 60));
    // Codes that end before their expiry, each its own way.
    const confirmed = await issueOn(a, 'confirmed', 60);
    assert.equal((await confirmOn(b, confirmed.requestId, confirmed.code)).status, 200);
    const locked = await issueOn(b, 'locked', 60);
    assert.equal(
      (await confirmOn(a, locked.requestId, wrongCode(locked.code))).status,
      423,
    );
    const decoy = await issueOn(a, 'nobody', 60);
    // Canceled and revoked on the instance that did not issue them.
    const canceled = await issueOn(b, 'canceled', 60);
    assert.equal(await a.cancel(canceled.requestId), true);
    const revoked = await issueOn(a, 'revoked', 60);
    await b.revokeUser('revoked');
    await Promise.all(handlers.map((h) => h.idle()));

    const expiresAt = clock.now + 60_000;
    clock.now = expiresAt + 5000;
    const expired = () => events.filter((e) => e.event === 'otp.expired');
    await waitFor(() => expired().length >= pending.length, 5000);
    // Both timers have had time to look at every bucket again.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const told = expired().map((e) => e.requestId);
    assert.deepEqual(
      [...told].sort(),
      pending.map((p) => p.requestId).sort(),
      'each pending code once, no other',
    );
    for (const ended of [confirmed, locked, decoy, canceled, revoked])
      assert.ok(!told.includes(ended.requestId));
    // The cancel and the revocation were told once each, by the instance that made them.
    const canceledEvents = events.filter((e) => e.event === 'otp.canceled');
    assert.deepEqual(
      canceledEvents.map((e) => [e.requestId, e.user, e.by]),
      [[canceled.requestId, 'canceled', 'instance 0']],
    );
    const revokedEvents = events.filter((e) => e.event === 'otp.revoked');
    assert.deepEqual(
      revokedEvents.map((e) => [e.requestId, e.user, e.client, e.stepName, e.by]),
      [['', 'revoked', '', '', 'instance 1']],
    );
    // Either instance may tell of a code; on Redis both take part in the claims.
    const by = new Set(expired().map((e) => e.by));
    assert.ok(by.size >= 1);
    await Promise.all(handlers.map((h) => h.close()));
  });

  it('tells every event type of a flow split over the two instances', async () => {
    const clock = {now: 1_700_000_000_000};
    const {handlers, events} = twoInstances('every-type', () => clock.now, {
      maxAttempts: 2,
    });
    const [a, b] = handlers;
    const confirmed = await issueOn(a, 'confirmed', 60);
    assert.equal(
      (await confirmOn(b, confirmed.requestId, wrongCode(confirmed.code))).status,
      422,
    );
    assert.equal((await confirmOn(a, confirmed.requestId, confirmed.code)).status, 200);
    const locked = await issueOn(b, 'locked', 60);
    for (let i = 0; i < 2; i++)
      await confirmOn(i ? a : b, locked.requestId, wrongCode(locked.code));
    const expiring = await issueOn(a, 'expiring', 60);
    const canceled = await issueOn(a, 'canceled', 60);
    const cancelAnswer = await post(b, `/otp/codes/${canceled.requestId}/cancel`, {});
    assert.equal(cancelAnswer.status, 200, cancelAnswer.text);
    await b.revokeUser('confirmed');
    await Promise.all(handlers.map((h) => h.idle()));
    clock.now += 65_000;
    await waitFor(() => events.some((e) => e.event === 'otp.expired'), 5000);
    const of = (requestId: string) =>
      events.filter((e) => e.requestId === requestId).map((e) => e.event);
    assert.deepEqual(of(confirmed.requestId), [
      'otp.issued',
      'otp.delivered',
      'otp.rejected',
      'otp.confirmed',
    ]);
    assert.deepEqual(of(locked.requestId), [
      'otp.issued',
      'otp.delivered',
      'otp.rejected',
      'otp.locked',
    ]);
    assert.deepEqual(of(expiring.requestId), [
      'otp.issued',
      'otp.delivered',
      'otp.expired',
    ]);
    assert.deepEqual(of(canceled.requestId), [
      'otp.issued',
      'otp.delivered',
      'otp.canceled',
    ]);
    assert.deepEqual(of(''), ['otp.revoked']);
    // Every public type of sent codes, the one delivery_failed aside (the next
    // test, where a send fails); the authenticator's are told by its own tests.
    const AUTHENTICATOR_TYPES = [
      'otp.enrolled',
      'otp.recovery_used',
      'otp.authenticator_removed',
    ];
    assert.deepEqual(
      new Set(events.map((e) => e.event)),
      new Set(
        OTP_EVENT_TYPES.filter(
          (type) => type !== 'otp.delivery_failed' && !AUTHENTICATOR_TYPES.includes(type),
        ),
      ),
    );
    await Promise.all(handlers.map((h) => h.close()));
  });

  it('tells delivery_failed from the instance whose send failed', async () => {
    const clock = {now: 1_700_000_000_000};
    const stores = sharedStores(() => clock.now, 'delivery-failed');
    const events: OtpEvent[] = [];
    const failing = createOtpHandler({
      secret: SECRET,
      store: stores[1],
      testMode: true,
      now: () => clock.now,
      notify: () => Promise.reject(new Error('provider down')),
      logger: {info() {}, warn() {}, error() {}},
      onEvent: (event) => void events.push(event),
    });
    const {requestId} = await issueOn(failing, 'alice', 60);
    await failing.idle();
    assert.deepEqual(
      events.filter((e) => e.requestId === requestId).map((e) => e.event),
      ['otp.issued', 'otp.delivery_failed'],
    );
    await failing.close();
  });

  it('is told within 5 s of the expiry by the real clock', async () => {
    const {handlers, events} = twoInstances('real-clock', Date.now);
    const issuedAt = Date.now();
    const {requestId} = await issueOn(handlers[1], 'alice', 1);
    const expiresAt = issuedAt + 1000;
    await waitFor(() => events.some((e) => e.event === 'otp.expired'), 8000);
    const toldAt = Date.now();
    const told = events.filter((e) => e.event === 'otp.expired');
    assert.equal(told.length, 1);
    assert.equal(told[0].requestId, requestId);
    assert.ok(toldAt >= expiresAt, 'told before it expired');
    // Against the expiry as the answer stated it (its issuedAt is this clock's, before the request).
    assert.ok(
      toldAt - expiresAt <= 5000,
      `told ${toldAt - expiresAt} ms after the expiry`,
    );
    console.log(`otp.expired told ${toldAt - expiresAt} ms after the expiry`);
    await Promise.all(handlers.map((h) => h.close()));
  });
});
