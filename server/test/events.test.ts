/**
 * `onEvent`: every public event a flow makes, with what it carries and never
 * the code; decoys and refusals never reach the app; a slow or failing
 * `onEvent` changes no answer. Runs on the suite's store (memory, or a real
 * Redis with OTP_TEST_REDIS_URL).
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {OTP_EVENT_TYPES, OtpStoreUnavailableError, type OtpEvent} from '../index.js';
import {createNotifier} from '../notify/index.js';
import {confirm, issue, post, setup, wrongCode, type Ctx} from './helpers.js';

/** A handler whose events are kept, in the order they were told. */
function watched(options: Parameters<typeof setup>[0] = {}) {
  const events: OtpEvent[] = [];
  const ctx = setup({onEvent: (event) => void events.push(event), ...options});
  return {...ctx, events};
}

/** Resolves once `until()` holds, polling; fails after `ms` of real time. */
async function waitFor(until: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!until()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const typesOf = (events: OtpEvent[], requestId: unknown) =>
  events.filter((e) => e.requestId === requestId).map((e) => e.event);

async function issued(ctx: Ctx, user = 'alice', extra = {}) {
  const answer = await issue(ctx, user, extra);
  assert.equal(answer.status, 201, answer.text);
  return {requestId: String(answer.json.requestId), code: String(answer.json.code)};
}

describe('onEvent', () => {
  it('tells issued, delivered and confirmed for a code confirmed, with the public fields only', async () => {
    const ctx = watched();
    const {requestId, code} = await issued(ctx);
    assert.equal((await confirm(ctx, requestId, code)).status, 200);
    await ctx.handler.idle();
    assert.deepEqual(typesOf(ctx.events, requestId), [
      'otp.issued',
      'otp.delivered',
      'otp.confirmed',
    ]);
    for (const event of ctx.events) {
      assert.deepEqual(Object.keys(event).sort(), [
        'at',
        'client',
        'event',
        'id',
        'requestId',
        'stepName',
        'user',
      ]);
      assert.equal(event.user, 'alice');
      assert.equal(event.client, 'web');
      assert.equal(event.stepName, 'login');
      assert.equal(event.at, new Date(ctx.clock.now).toISOString());
      assert.match(event.id, /^[0-9a-f-]{36}$/);
      assert.ok(!JSON.stringify(event).includes(code), 'an event holds the code');
    }
    assert.equal(new Set(ctx.events.map((e) => e.id)).size, ctx.events.length);
    await ctx.handler.close();
  });

  it('tells the channel and the masked destination where a notifier sends, never the destination', async () => {
    const ctx = watched({
      notify: createNotifier({
        channels: [{channel: 'email', provider: 'test', send: async () => undefined}],
        appName: 'Shop',
        now: () => ctx.clock.now,
      }),
      lookupUser: () => ({email: 'maria@shop.example'}),
    });
    const {requestId} = await issued(ctx, 'maria');
    await ctx.handler.idle();
    const told = ctx.events.filter((e) => e.requestId === requestId);
    assert.deepEqual(
      told.map((e) => e.event),
      ['otp.issued', 'otp.delivered'],
    );
    for (const event of told) {
      assert.equal(event.channel, 'email');
      assert.equal(event.destinationHint, 'm•••@shop.example');
      assert.ok(!JSON.stringify(event).includes('maria@'));
    }
    await ctx.handler.close();
  });

  it('tells delivery_failed when notify throws', async () => {
    const ctx = watched({
      notify: () => {
        throw new Error('provider down');
      },
    });
    const {requestId} = await issued(ctx);
    await ctx.handler.idle();
    assert.deepEqual(typesOf(ctx.events, requestId), [
      'otp.issued',
      'otp.delivery_failed',
    ]);
    await ctx.handler.close();
  });

  it('tells rejected for a wrong code and locked for the last one, then rejected again', async () => {
    const ctx = watched({limits: {maxAttempts: 2}});
    const {requestId, code} = await issued(ctx);
    assert.equal((await confirm(ctx, requestId, wrongCode(code))).status, 422);
    assert.equal((await confirm(ctx, requestId, wrongCode(code))).status, 423);
    // Judged again once locked: a rejection, not a second lock.
    assert.equal((await confirm(ctx, requestId, code)).status, 423);
    await ctx.handler.idle();
    assert.deepEqual(typesOf(ctx.events, requestId), [
      'otp.issued',
      'otp.delivered',
      'otp.rejected',
      'otp.locked',
      'otp.rejected',
    ]);
    await ctx.handler.close();
  });

  it('tells nothing of a decoy nor of a refusal', async () => {
    const ctx = watched({lookupUser: (user: string) => user !== 'nobody'});
    const decoy = await issued(ctx, 'nobody');
    assert.equal((await confirm(ctx, decoy.requestId, decoy.code)).status, 422);
    // A refusal: a lifetime the server does not allow.
    assert.equal((await issue(ctx, 'alice', {lifetime: 100_000})).status, 400);
    await ctx.handler.idle();
    assert.deepEqual(ctx.events, []);
    await ctx.handler.close();
  });

  it('answers without waiting for an onEvent that has not settled, and idle() waits for it', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let settled = 0;
    const ctx = setup({onEvent: () => held.then(() => void settled++)});
    const {requestId, code} = await issued(ctx);
    assert.equal((await confirm(ctx, requestId, code)).status, 200);
    let idle = false;
    const idling = ctx.handler.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(idle, false, 'idle() did not wait for onEvent');
    release();
    await idling;
    assert.equal(settled, 3);
    await ctx.handler.close();
  });

  it('tells no known user from an unknown one by the answer’s time, with an onEvent that takes 200–800 ms', async () => {
    const known = new Set(Array.from({length: 100}, (_, i) => `known-${i}`));
    const ctx = setup({
      clientAddress: () => '198.51.100.7',
      limits: {issuesPerAddress: 10_000},
      lookupUser: (user: string) => known.has(user),
      onEvent: () =>
        new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600)),
    });
    const times: Record<'known' | 'unknown', number[]> = {known: [], unknown: []};
    for (let i = 0; i < 100; i++)
      for (const kind of ['known', 'unknown'] as const) {
        const started = performance.now();
        assert.equal((await issue(ctx, `${kind}-${i}`)).status, 201);
        times[kind].push(performance.now() - started);
      }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[values.length >> 1];
    const gap = Math.abs(median(times.known) - median(times.unknown));
    assert.ok(gap < 20, `medians ${median(times.known)} and ${median(times.unknown)} ms`);
    // The answers did not wait: 200 of them in far less than one onEvent each.
    assert.ok(median(times.known) < 100, `known users' median ${median(times.known)} ms`);
    await ctx.handler.close();
  });

  it('logs an onEvent that throws or rejects, and answers as ever', async () => {
    let calls = 0;
    const ctx = setup({
      onEvent: (event) => {
        calls++;
        if (event.event === 'otp.issued') throw new Error('app bug');
        return Promise.reject(new Error('app down'));
      },
    });
    const {requestId, code} = await issued(ctx);
    assert.equal((await confirm(ctx, requestId, code)).status, 200);
    await ctx.handler.idle();
    assert.equal(calls, 3);
    assert.ok(ctx.logged.some((l) => /onEvent for otp.issued failed: app bug/.test(l)));
    assert.ok(
      ctx.logged.some((l) => /onEvent for otp.confirmed failed: app down/.test(l)),
    );
    await ctx.handler.close();
  });

  it('stops the start-up for an onEvent or auditLog that is not a function', () => {
    assert.throws(
      () => setup({onEvent: 'https://example.com' as never}),
      /onEvent must be a function, not string/,
    );
    assert.throws(() => setup({auditLog: {} as never}), /auditLog must be a function/);
  });
});

describe('otp.expired', () => {
  it('is told for a code left pending, timed at its expiry, once the clock passes it', async () => {
    const ctx = watched();
    const {requestId} = await issued(ctx, 'alice', {lifetime: 60});
    await ctx.handler.idle();
    const expiresAt = ctx.clock.now + 60_000;
    // Just before its expiry: nothing, however long the watcher looks.
    ctx.clock.now = expiresAt - 1;
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.deepEqual(typesOf(ctx.events, requestId), ['otp.issued', 'otp.delivered']);
    // 5 s after it, it has been told.
    ctx.clock.now = expiresAt + 5000;
    await waitFor(
      () => typesOf(ctx.events, requestId).includes('otp.expired'),
      3000,
      'otp.expired',
    );
    const expired = ctx.events.find((e) => e.event === 'otp.expired')!;
    assert.equal(expired.at, new Date(expiresAt).toISOString());
    assert.equal(expired.user, 'alice');
    await ctx.handler.close();
  });

  it('is told at most 5 s after the expiry on the handler clock, stepping it as time would', async () => {
    const ctx = watched();
    const {requestId} = await issued(ctx, 'alice', {lifetime: 30});
    const expiresAt = ctx.clock.now + 30_000;
    ctx.clock.now = expiresAt;
    // The clock moves 500 ms per step; each step gives the 250 ms timer time to look.
    let told: number | undefined;
    for (let step = 0; step <= 12 && told === undefined; step++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (typesOf(ctx.events, requestId).includes('otp.expired')) told = ctx.clock.now;
      else ctx.clock.now += 500;
    }
    assert.ok(told !== undefined, 'never told');
    assert.ok(told - expiresAt <= 5000, `told ${told - expiresAt} ms after the expiry`);
    await ctx.handler.close();
  });

  it('is not told for a code confirmed, locked, superseded by a resend, or a decoy', async () => {
    const ctx = watched({
      limits: {maxAttempts: 1, resendAfterSeconds: 1},
      lookupUser: (user: string) => user !== 'nobody',
    });
    const confirmed = await issued(ctx, 'confirmed-user', {lifetime: 60});
    assert.equal((await confirm(ctx, confirmed.requestId, confirmed.code)).status, 200);
    const locked = await issued(ctx, 'locked-user', {lifetime: 60});
    assert.equal(
      (await confirm(ctx, locked.requestId, wrongCode(locked.code))).status,
      423,
    );
    const first = await issued(ctx, 'resent-user', {lifetime: 60});
    ctx.clock.now += 1000;
    const resent = await issued(ctx, 'resent-user', {lifetime: 59});
    assert.notEqual(first.requestId, resent.requestId);
    const decoy = await issued(ctx, 'nobody', {lifetime: 60});
    // One left pending, so the test shows the watcher ran.
    const pending = await issued(ctx, 'pending-user', {lifetime: 60});
    ctx.clock.now += 62_000;
    await waitFor(
      () => typesOf(ctx.events, pending.requestId).includes('otp.expired'),
      3000,
      'the pending code to expire',
    );
    await waitFor(
      () => typesOf(ctx.events, resent.requestId).includes('otp.expired'),
      3000,
      'the resent code to expire',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const expired = ctx.events.filter((e) => e.event === 'otp.expired');
    assert.deepEqual(
      expired.map((e) => e.requestId).sort(),
      [pending.requestId, resent.requestId].sort(),
    );
    assert.ok(!expired.some((e) => e.requestId === decoy.requestId));
    await ctx.handler.close();
  });

  it('counts in the other observers too: the audit log has its line', async () => {
    const lines: string[] = [];
    const ctx = setup({auditLog: (line) => void lines.push(line)});
    await issued(ctx, 'alice', {lifetime: 10});
    ctx.clock.now += 13_000;
    await waitFor(
      () => lines.some((l) => l.includes('"otp.expired"')),
      3000,
      'the audit line',
    );
    await ctx.handler.close();
  });

  it('rides out a store outage: logged once, and the code told once the store is back', async () => {
    let down = false;
    const plain = setup();
    const ctx = watched({
      // The suite's store, failing on the due lists while `down` (Redis gone, as the watcher sees it).
      store: {
        update: (key, change) =>
          down && key.startsWith('expiring:')
            ? Promise.reject(new OtpStoreUnavailableError())
            : plain.store.update(key, change),
      },
    });
    const {requestId} = await issued(ctx, 'alice', {lifetime: 10});
    await ctx.handler.idle();
    down = true;
    ctx.clock.now += 13_000;
    // Four ticks or more while it is down.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.ok(!typesOf(ctx.events, requestId).includes('otp.expired'));
    const failures = ctx.logged.filter((l) => /the expiry watcher failed/.test(l));
    assert.equal(failures.length, 1, failures.join('\n'));
    down = false;
    await waitFor(
      () => typesOf(ctx.events, requestId).includes('otp.expired'),
      3000,
      'otp.expired after the outage',
    );
    await ctx.handler.close();
  });

  it('stops with close(): no event after it', async () => {
    const ctx = watched();
    const {requestId} = await issued(ctx, 'alice', {lifetime: 10});
    await ctx.handler.close();
    ctx.clock.now += 13_000;
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.ok(!typesOf(ctx.events, requestId).includes('otp.expired'));
  });
});

describe('otp.canceled and otp.revoked', () => {
  /** Plain notify, with a destination: the channel is the plan's (notifiedOn), as on issued. */
  const byEmail = {lookupUser: () => ({email: 'maria@shop.example'})};

  it('tells canceled once for the cancel route and once for handler.cancel, with the channel, never the code', async () => {
    const ctx = watched(byEmail);
    const routed = await issued(ctx, 'route-user');
    const byApp = await issued(ctx, 'app-user');
    const canceled = await post(ctx.handler, `/otp/codes/${routed.requestId}/cancel`, {});
    assert.equal(canceled.status, 200, canceled.text);
    // A second cancel (a retry) answers 200 again but tells nothing more.
    assert.equal(
      (await post(ctx.handler, `/otp/codes/${routed.requestId}/cancel`, {})).status,
      200,
    );
    assert.equal(await ctx.handler.cancel(byApp.requestId), true);
    assert.equal(await ctx.handler.cancel(byApp.requestId), false);
    await ctx.handler.idle();
    for (const [{requestId, code}, user] of [
      [routed, 'route-user'],
      [byApp, 'app-user'],
    ] as const) {
      assert.deepEqual(typesOf(ctx.events, requestId), [
        'otp.issued',
        'otp.delivered',
        'otp.canceled',
      ]);
      const told = ctx.events.find(
        (e) => e.requestId === requestId && e.event === 'otp.canceled',
      )!;
      const issuedEvent = ctx.events.find(
        (e) => e.requestId === requestId && e.event === 'otp.issued',
      )!;
      assert.deepEqual(
        {...told, id: ''},
        {
          id: '',
          event: 'otp.canceled',
          at: new Date(ctx.clock.now).toISOString(),
          requestId,
          user,
          client: 'web',
          stepName: 'login',
          channel: 'email',
        },
      );
      // The same channel as on issued: conversion by channel counts it alike.
      assert.equal(told.channel, issuedEvent.channel);
      assert.ok(!JSON.stringify(told).includes(code), 'the event holds the code');
      assert.ok(!JSON.stringify(told).includes('maria@'));
    }
    await ctx.handler.close();
  });

  it('tells one revoked for revokeUser: the user as named, empty requestId, client and stepName', async () => {
    const ctx = watched();
    const pending = await issued(ctx, 'Alice');
    ctx.clock.now += 1000;
    await ctx.handler.revokeUser('Alice');
    await ctx.handler.idle();
    const revoked = ctx.events.filter((e) => e.event === 'otp.revoked');
    assert.equal(revoked.length, 1);
    assert.deepEqual(
      {...revoked[0], id: ''},
      {
        id: '',
        event: 'otp.revoked',
        at: new Date(ctx.clock.now).toISOString(),
        requestId: '',
        user: 'Alice',
        client: '',
        stepName: '',
      },
    );
    assert.match(revoked[0].id, /^[0-9a-f-]{36}$/);
    // The code it voided tells no canceled of its own (docs/protocol.md).
    assert.deepEqual(typesOf(ctx.events, pending.requestId), [
      'otp.issued',
      'otp.delivered',
    ]);
    await ctx.handler.close();
  });

  it('tells no expired for a code canceled (either way) or revoked, and tells it for one issued after the revocation', async () => {
    const ctx = watched(byEmail);
    const routed = await issued(ctx, 'route-user', {lifetime: 60});
    const byApp = await issued(ctx, 'app-user', {lifetime: 60});
    const revoked = await issued(ctx, 'revoked-user', {lifetime: 60});
    const pending = await issued(ctx, 'pending-user', {lifetime: 60});
    assert.equal(
      (await post(ctx.handler, `/otp/codes/${routed.requestId}/cancel`, {})).status,
      200,
    );
    assert.equal(await ctx.handler.cancel(byApp.requestId), true);
    ctx.clock.now += 1000;
    await ctx.handler.revokeUser('revoked-user');
    // Issued after the revocation: not voided, so it expires as any other.
    ctx.clock.now += 1000;
    const after = await issued(ctx, 'revoked-user', {lifetime: 58});
    await ctx.handler.idle();
    ctx.clock.now += 62_000;
    await waitFor(
      () =>
        typesOf(ctx.events, pending.requestId).includes('otp.expired') &&
        typesOf(ctx.events, after.requestId).includes('otp.expired'),
      3000,
      'the pending codes to expire',
    );
    // The watcher has had time to look at every bucket again.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const expired = ctx.events.filter((e) => e.event === 'otp.expired');
    assert.deepEqual(
      expired.map((e) => e.requestId).sort(),
      [pending.requestId, after.requestId].sort(),
    );
    for (const ended of [routed, byApp, revoked])
      assert.ok(!expired.some((e) => e.requestId === ended.requestId));
    // Told with the channel issued told (the plan's, where the app sends the code itself).
    for (const event of expired) assert.equal(event.channel, 'email');
    await ctx.handler.close();
  });
});

it('the public event types are the issue’s list, in its order', () => {
  assert.deepEqual(
    [...OTP_EVENT_TYPES],
    'issued delivered delivery_failed confirmed rejected locked expired canceled revoked enrolled recovery_used authenticator_removed'
      .split(' ')
      .map((t) => `otp.${t}`),
  );
});
