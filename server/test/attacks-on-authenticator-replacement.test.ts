/**
 * Attacks on replacing a user's authenticator app: a session earned with the
 * password alone must not swap in its own phone (NIST SP 800-63B-4
 * §4.1.2.1). The start of an enrolment over an existing app needs a current
 * code or a recovery code of it, judged and spent as at sign-in, on the
 * account's one budget; the confirmation replaces only the app it was proved
 * against. On the suite's store and adapter.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import type {OtpEvent} from '../index.js';
import {authenticatorKey} from '../keys.js';
import {
  appCode,
  authenticatorSetup,
  confirmEnrollment,
  enrol,
  seedAuthenticator,
  signIn,
  startEnrollment,
} from './authenticator-helpers.js';
import {STORE_KIND} from './helpers.js';

const PATIENT = {redisTimeoutMs: 20_000};

/** A handler whose events are kept. */
function watched(options: Parameters<typeof authenticatorSetup>[0] = {}) {
  const events: OtpEvent[] = [];
  const ctx = authenticatorSetup(
    {onEvent: (event) => void events.push(event), ...options},
    PATIENT,
  );
  return {ctx, events};
}

/** A six-digit code none of the app's codes now (±1 step). */
const notTheCode = (secret: Uint8Array, ms: number) => {
  const near = [-1, 0, 1].map((s) => appCode(secret, ms + s * 30_000));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!near.includes(code)) return code;
  }
};

describe('attack: replacing the app with the session alone', () => {
  it('refuses 403 current-authenticator-required; the old app and its recovery codes still work', async () => {
    const {ctx, events} = watched();
    const old = await enrol(ctx, 'alice');
    await ctx.handler.idle();
    events.length = 0;
    for (const body of [{}, {user: 'alice'}, {code: ''}]) {
      const refused = await startEnrollment(ctx, 'alice', body);
      if ('code' in body) {
        // An empty code is a proof, and a wrong one.
        assert.equal(refused.status, 422, refused.text);
        continue;
      }
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.json.code, 'current-authenticator-required');
      assert.match(String(refused.json.detail), /"code"/);
      assert.match(String(refused.json.detail), /"recoveryCode"/);
      assert.equal(refused.json.enrollmentId, undefined);
      assert.equal(refused.json.secret, undefined);
    }
    const byApp = await signIn(ctx, {
      user: 'alice',
      code: appCode(old.secret, ctx.clock.now),
    });
    assert.equal(byApp.status, 200, byApp.text);
    const byRecovery = await signIn(ctx, {
      user: 'alice',
      recoveryCode: old.recoveryCodes[0],
    });
    assert.equal(byRecovery.status, 200, byRecovery.text);
    await ctx.handler.idle();
    assert.ok(!events.some((e) => e.event === 'otp.enrolled'), JSON.stringify(events));
  });

  it('enrols the first app with {} and no proof', async () => {
    const ctx = authenticatorSetup();
    const started = await startEnrollment(ctx, 'bob', {});
    assert.equal(started.status, 201, started.text);
  });
});

describe('replacing the app with a proof of the current one', () => {
  for (const kind of ['code', 'recoveryCode'] as const)
    it(`replaces it with a ${kind === 'code' ? 'current code' : 'recovery code'}: the old secret and recovery codes then refused`, async () => {
      const {ctx, events} = watched();
      const old = await enrol(ctx, 'alice');
      const proof =
        kind === 'code'
          ? {code: appCode(old.secret, ctx.clock.now)}
          : {recoveryCode: old.recoveryCodes[3]};
      const fresh = await enrol(ctx, 'alice', proof);
      assert.notDeepEqual(fresh.secret, old.secret);
      const oldApp = await signIn(ctx, {
        user: 'alice',
        code: appCode(old.secret, ctx.clock.now),
      });
      assert.equal(oldApp.status, 422, oldApp.text);
      for (const code of [old.recoveryCodes[0], old.recoveryCodes[3]]) {
        const oldRecovery = await signIn(ctx, {user: 'alice', recoveryCode: code});
        assert.equal(oldRecovery.status, 422, oldRecovery.text);
      }
      const newApp = await signIn(ctx, {
        user: 'alice',
        code: appCode(fresh.secret, ctx.clock.now),
      });
      assert.equal(newApp.status, 200, newApp.text);
      await ctx.handler.idle();
      const told = events.map((e) => e.event);
      assert.deepEqual(
        told.filter((e) => e === 'otp.enrolled'),
        ['otp.enrolled', 'otp.enrolled'],
      );
      assert.equal(told.includes('otp.recovery_used'), kind === 'recoveryCode');
    });

  it("spends the proof's step: the same code then cannot sign in (409 used)", async () => {
    const ctx = authenticatorSetup();
    const old = await enrol(ctx, 'alice');
    const code = appCode(old.secret, ctx.clock.now);
    const started = await startEnrollment(ctx, 'alice', {code});
    assert.equal(started.status, 201, started.text);
    const replay = await signIn(ctx, {user: 'alice', code});
    assert.equal(replay.status, 409, replay.text);
    assert.equal(replay.json.code, 'used');
    // And the proof again, for a second start: used.
    const again = await startEnrollment(ctx, 'alice', {code});
    assert.equal(again.status, 409, again.text);
  });

  it('spends the recovery code of the proof: 409 used at sign-in or a second start', async () => {
    const ctx = authenticatorSetup();
    const old = await enrol(ctx, 'alice');
    const recoveryCode = old.recoveryCodes[0];
    assert.equal((await startEnrollment(ctx, 'alice', {recoveryCode})).status, 201);
    const reused = await signIn(ctx, {user: 'alice', recoveryCode});
    assert.equal(reused.status, 409, reused.text);
    const again = await startEnrollment(ctx, 'alice', {recoveryCode});
    assert.equal(again.status, 409, again.text);
    assert.match(String(again.json.detail), /recovery code/);
  });

  it('counts wrong proofs on the account budget shared with sign-in, then backs off with Retry-After', async () => {
    const ctx = authenticatorSetup();
    const old = await enrol(ctx, 'alice');
    const wrong = notTheCode(old.secret, ctx.clock.now);
    const left: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const refused = await startEnrollment(ctx, 'alice', {code: wrong});
      assert.equal(refused.status, 422, refused.text);
      assert.equal(refused.json.code, 'invalid-code');
      left.push(refused.json.attemptsLeft);
      const byRecovery = await startEnrollment(ctx, 'alice', {
        recoveryCode: 'AAAAA-AAAAA',
      });
      assert.equal(byRecovery.status, 422, byRecovery.text);
      left.push(byRecovery.json.attemptsLeft);
    }
    // Sign-in draws on the same budget.
    const signedIn = await signIn(ctx, {user: 'alice', code: wrong});
    assert.equal(signedIn.status, 422);
    left.push(signedIn.json.attemptsLeft);
    assert.deepEqual(left, [4, 3, 2, 1, 0]);
    const waiting = await startEnrollment(ctx, 'alice', {
      code: appCode(old.secret, ctx.clock.now),
    });
    assert.equal(waiting.status, 429, waiting.text);
    assert.equal(waiting.json.code, 'rate-limited');
    assert.ok(Number(waiting.headers.get('retry-after')) >= 1);
    // Even the right code waits: the back-off holds sign-in too.
    const blocked = await signIn(ctx, {
      user: 'alice',
      code: appCode(old.secret, ctx.clock.now),
    });
    assert.equal(blocked.status, 429);
  });

  it('accepts one proof among 200 parallel starts with one recovery code', async (t) => {
    const ctx = authenticatorSetup(
      {limits: {maxAttempts: 100, maxFailuresPerAccount: 100, issuesPerWindow: 1000}},
      PATIENT,
    );
    const old = await enrol(ctx, 'alice');
    const recoveryCode = old.recoveryCodes[0];
    const answers = await Promise.all(
      Array.from({length: 200}, () => startEnrollment(ctx, 'alice', {recoveryCode})),
    );
    const counted = answers.reduce<Record<number, number>>(
      (tally, a) => ({...tally, [a.status]: (tally[a.status] ?? 0) + 1}),
      {},
    );
    t.diagnostic(`${STORE_KIND}: ${JSON.stringify(counted)}`);
    assert.equal(counted[201], 1, JSON.stringify(counted));
    assert.equal((counted[409] ?? 0) + (counted[429] ?? 0), 199, JSON.stringify(counted));
    assert.ok((counted[409] ?? 0) > 0, JSON.stringify(counted));
  });

  it('confirms an enrolment started with no app only while there is still none', async () => {
    const ctx = authenticatorSetup();
    // A stolen session starts while the user has no app yet…
    const early = await startEnrollment(ctx, 'alice');
    assert.equal(early.status, 201);
    // …the owner's enrolment lands meanwhile (its confirmation racing the
    // start, which read no app before it was written)…
    const owners = randomBytes(20);
    await seedAuthenticator(ctx, 'alice', owners);
    // …and the early enrolment, confirmed later, replaces nothing.
    const own = decodeBase32IgnorePadding(String(early.json.secret));
    const late = await confirmEnrollment(
      ctx,
      early.json.enrollmentId,
      appCode(own, ctx.clock.now),
      'alice',
    );
    assert.equal(late.status, 403, late.text);
    assert.equal(late.json.code, 'current-authenticator-required');
    assert.equal(late.json.recoveryCodes, undefined);
    const ownerSignsIn = await signIn(ctx, {
      user: 'alice',
      code: appCode(owners, ctx.clock.now),
    });
    assert.equal(ownerSignsIn.status, 200, ownerSignsIn.text);
    const intruder = await signIn(ctx, {
      user: 'alice',
      code: appCode(own, ctx.clock.now + 30_000),
    });
    assert.equal(intruder.status, 422, intruder.text);
  });

  it('asks no proof over an app whose secret does not open, as sign-in knows none', async () => {
    const ctx = authenticatorSetup();
    await enrol(ctx, 'bob');
    // Bob's record copied under Alice's key: sealed for Bob, it opens for nobody else.
    const record = await ctx.store.update(authenticatorKey('bob'), (v) => [v, v]);
    await ctx.store.update(authenticatorKey('alice'), () => [record, undefined]);
    const started = await enrol(ctx, 'alice');
    assert.equal(started.confirmed.json.status, 'enrolled');
  });
});
