/**
 * RFC 6238 through the server: Appendix B's SHA-1 vectors (their last 6
 * digits) first in totp.ts, then through the real sign-in route on the
 * handler's `now`; the drift window (±1 step accepted, ±2 refused); and the
 * rule that a step is accepted once, only later than the last accepted.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import {matchingStep, stepAt, totpCode} from '../authenticator/totp.js';
import {
  appCode,
  authenticatorSetup,
  seedAuthenticator,
  signIn,
} from './authenticator-helpers.js';

/** RFC 6238 Appendix B: the SHA-1 seed, and each time (s) with its 8-digit TOTP. */
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
const VECTORS: [seconds: number, totp: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (totp.ts)', () => {
  it("computes RFC 6238 Appendix B's SHA-1 codes (their last 6 digits)", () => {
    for (const [seconds, totp] of VECTORS)
      assert.equal(
        totpCode(RFC_SECRET, stepAt(seconds * 1000)),
        totp.slice(2),
        `T=${seconds}`,
      );
  });

  it('finds the step of a code within one step either side, and no further', () => {
    const now = stepAt(1111111111 * 1000);
    for (const offset of [-1, 0, 1])
      assert.equal(
        matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now + offset), now),
        now + offset,
      );
    for (const offset of [-2, 2, -30, 1000])
      assert.equal(
        matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now + offset), now),
        undefined,
      );
  });

  it('matches nothing of the wrong shape', () => {
    const now = stepAt(59_000);
    const code = totpCode(RFC_SECRET, now);
    for (const typed of [
      '',
      code.slice(1),
      `${code}0`,
      ` ${code}`,
      'abcdef',
      '１２３４５６',
    ])
      assert.equal(matchingStep(RFC_SECRET, typed, now), undefined, typed);
  });
});

describe('TOTP through the sign-in route, on the handler clock', () => {
  it("accepts RFC 6238 Appendix B's SHA-1 vectors at their times", async () => {
    const ctx = authenticatorSetup();
    await seedAuthenticator(ctx, 'rfc', RFC_SECRET);
    for (const [seconds, totp] of VECTORS) {
      ctx.clock.now = seconds * 1000;
      const answer = await signIn(ctx, {user: 'rfc', code: totp.slice(2)});
      assert.equal(answer.status, 200, `T=${seconds}: ${answer.text}`);
      assert.equal(answer.json.method, 'authenticator');
    }
  });

  it('refuses a vector two steps after its time: out of the window, a wrong code', async () => {
    const ctx = authenticatorSetup();
    await seedAuthenticator(ctx, 'rfc', RFC_SECRET);
    const [seconds, totp] = VECTORS[3];
    ctx.clock.now = (seconds + 60) * 1000;
    const late = await signIn(ctx, {user: 'rfc', code: totp.slice(2)});
    assert.equal(late.status, 422);
    assert.equal(late.json.code, 'invalid-code');
  });

  it('accepts a phone one step behind or ahead, and refuses two', async () => {
    const ctx = authenticatorSetup();
    const secret = randomBytes(20);
    await seedAuthenticator(ctx, 'alice', secret);
    const at = (steps: number) => appCode(secret, ctx.clock.now + steps * 30_000);
    for (const steps of [-2, 2]) {
      const answer = await signIn(ctx, {user: 'alice', code: at(steps)});
      assert.equal(answer.status, 422, `${steps} steps`);
    }
    assert.equal((await signIn(ctx, {user: 'alice', code: at(-1)})).status, 200);
    assert.equal((await signIn(ctx, {user: 'alice', code: at(1)})).status, 200);
  });

  it('refuses a code of a step not later than the last accepted: 409 used', async () => {
    const ctx = authenticatorSetup();
    const secret = randomBytes(20);
    await seedAuthenticator(ctx, 'alice', secret);
    const ahead = appCode(secret, ctx.clock.now + 30_000);
    const now = appCode(secret, ctx.clock.now);
    assert.equal((await signIn(ctx, {user: 'alice', code: ahead})).status, 200);
    // The phone behind, its code of the current step, comes after the one ahead: too late.
    const behind = await signIn(ctx, {user: 'alice', code: now});
    assert.equal(behind.status, 409);
    assert.equal(behind.json.code, 'used');
    ctx.clock.now += 60_000;
    assert.equal(
      (await signIn(ctx, {user: 'alice', code: appCode(secret, ctx.clock.now)})).status,
      200,
    );
  });

  it('takes separators in the typed code: "123 456" is 123456', async () => {
    const ctx = authenticatorSetup();
    const secret = randomBytes(20);
    await seedAuthenticator(ctx, 'alice', secret);
    const code = appCode(secret, ctx.clock.now);
    const answer = await signIn(ctx, {
      user: 'alice',
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
    });
    assert.equal(answer.status, 200);
  });
});
