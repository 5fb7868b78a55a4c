/**
 * What the authenticator tells: `onEvent`'s otp.enrolled, otp.confirmed
 * (with its method), otp.recovery_used and otp.authenticator_removed; the
 * audit log's lines; the metrics' counters, apart from sent codes'; and
 * never the secret or a recovery code in any of them. With `revokeUser`,
 * tokens die and the app stays.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Registry} from 'prom-client';
import type {OtpEvent} from '../index.js';
import {
  appCode,
  authenticatorSetup,
  enrol,
  removeAuthenticator,
  signIn,
} from './authenticator-helpers.js';
import {setup} from './helpers.js';
import {parsePrometheus, total} from './metrics-text.js';

/** A handler whose onEvent, audit log and metrics keep what they are told. */
function watched() {
  const events: OtpEvent[] = [];
  const audit: Record<string, unknown>[] = [];
  const registry = new Registry();
  const ctx = authenticatorSetup({
    onEvent: (event) => void events.push(event),
    auditLog: (line) => void audit.push(JSON.parse(line)),
    metrics: registry,
  });
  const scrape = async () => parsePrometheus(await registry.metrics());
  return {ctx, events, audit, scrape};
}

describe('authenticator: events, audit log and metrics', () => {
  it('tells enrolment, sign-ins by method, a recovery code used and the removal', async () => {
    const {ctx, events, audit, scrape} = watched();
    const {secret, recoveryCodes, enrollmentId, started} = await enrol(ctx, 'alice');
    const byApp = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    const byRecovery = await signIn(ctx, {user: 'alice', recoveryCode: recoveryCodes[0]});
    const wrong = await signIn(ctx, {user: 'alice', recoveryCode: 'AAAAA-AAAAA'});
    assert.equal(wrong.status, 422);
    ctx.clock.now += 30_000;
    const removed = await removeAuthenticator(
      ctx,
      {code: appCode(secret, ctx.clock.now)},
      'alice',
    );
    assert.equal(removed.status, 200);
    await ctx.handler.idle();
    assert.deepEqual(
      events.map((e) => [e.event, e.method, e.requestId]),
      [
        ['otp.enrolled', undefined, enrollmentId],
        ['otp.confirmed', 'authenticator', byApp.json.requestId],
        ['otp.confirmed', 'recovery-code', byRecovery.json.requestId],
        ['otp.recovery_used', 'recovery-code', byRecovery.json.requestId],
        ['otp.rejected', 'recovery-code', ''],
        ['otp.authenticator_removed', undefined, ''],
      ],
    );
    for (const event of events) assert.equal(event.user, 'alice');
    assert.deepEqual(
      audit.map((line) => [line.event, line.outcome, line.method]),
      [
        ['otp.enrolled', 'success', undefined],
        ['otp.confirmed', 'success', 'authenticator'],
        ['otp.confirmed', 'success', 'recovery-code'],
        ['otp.recovery_used', 'success', 'recovery-code'],
        ['otp.rejected', 'failure', 'recovery-code'],
        ['otp.authenticator_removed', 'success', undefined],
      ],
    );
    const all = await scrape();
    assert.equal(total(all, 'otp_enrolled_total'), 1);
    assert.equal(
      total(all, 'otp_authenticator_confirmed_total', {method: 'authenticator'}),
      1,
    );
    assert.equal(
      total(all, 'otp_authenticator_confirmed_total', {method: 'recovery-code'}),
      1,
    );
    assert.equal(
      total(all, 'otp_authenticator_rejected_total', {
        method: 'recovery-code',
        reason: 'invalid',
      }),
      1,
    );
    assert.equal(total(all, 'otp_recovery_used_total'), 1);
    assert.equal(total(all, 'otp_authenticator_removed_total'), 1);
    // Sent codes' counters stay theirs: confirmed ÷ delivered is their conversion.
    assert.equal(total(all, 'otp_confirmed_total'), 0);
    assert.equal(total(all, 'otp_rejected_total'), 0);
    const told = JSON.stringify([events, audit]);
    for (const form of [String(started.json.secret), ...recoveryCodes])
      assert.ok(!told.includes(form), `told ${form}`);
    assert.ok(!JSON.stringify(all).includes(String(started.json.secret)));
  });

  it('tells a refused removal as otp.refused with its operation, not as a sign-in', async () => {
    const {ctx, audit, scrape} = watched();
    await enrol(ctx, 'alice');
    await removeAuthenticator(ctx, {code: 'nope'}, 'alice');
    await ctx.handler.idle();
    const refused = audit.filter((line) => line.event === 'otp.refused');
    assert.deepEqual(
      refused.map((line) => [line.operation, line.reason]),
      [['authenticator_remove', 'invalid-code']],
    );
    const all = await scrape();
    assert.equal(
      total(all, 'otp_refused_total', {
        operation: 'authenticator_remove',
        reason: 'invalid-code',
      }),
      1,
    );
    assert.equal(total(all, 'otp_authenticator_rejected_total'), 0);
  });

  it('tells locked when a wrong code uses up the free attempts', async () => {
    const {ctx, events} = watched();
    await enrol(ctx, 'alice');
    for (let i = 0; i < 5; i++)
      await signIn(ctx, {user: 'alice', recoveryCode: 'AAAAA-AAAAA'});
    await ctx.handler.idle();
    assert.deepEqual(
      events.slice(1).map((e) => e.event),
      ['otp.rejected', 'otp.rejected', 'otp.rejected', 'otp.rejected', 'otp.locked'],
    );
  });
});

describe('authenticator: revokeUser', () => {
  it('voids the confirmations issued until then and leaves the app enrolled', async () => {
    const {ctx} = watched();
    const {secret} = await enrol(ctx, 'alice');
    const before = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    ctx.clock.now += 1;
    await ctx.handler.revokeUser('alice');
    assert.equal(
      await ctx.handler.verifyConfirmation(before.json.confirmation, {user: 'alice'}),
      null,
    );
    ctx.clock.now += 30_000;
    const after = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(after.status, 200);
    assert.ok(
      await ctx.handler.verifyConfirmation(after.json.confirmation, {user: 'alice'}),
    );
  });
});

describe('authenticator: handler.removeAuthenticator', () => {
  it("removes a user's app with no code, tells it, and says whether there was one", async () => {
    const {ctx, events} = watched();
    const {secret} = await enrol(ctx, 'alice');
    assert.equal(await ctx.handler.removeAuthenticator('alice'), true);
    assert.equal(await ctx.handler.removeAuthenticator('alice'), false);
    assert.equal(await ctx.handler.removeAuthenticator('ALICE'), false);
    await ctx.handler.idle();
    assert.deepEqual(
      events.map((e) => e.event),
      ['otp.enrolled', 'otp.authenticator_removed'],
    );
    const after = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(after.status, 404);
    await assert.rejects(ctx.handler.removeAuthenticator(''), TypeError);
    await assert.rejects(
      ctx.handler.removeAuthenticator(7 as unknown as string),
      /removeAuthenticator\(user\) needs the user/,
    );
  });

  it('throws on a handler without the authenticator option', async () => {
    const ctx = setup();
    await assert.rejects(
      ctx.handler.removeAuthenticator('alice'),
      /needs the authenticator option/,
    );
  });
});
