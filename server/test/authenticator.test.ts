/**
 * The authenticator factor through its routes, on the suite's store and
 * adapter: enrolment from what the answer shows, sign-in with the app's code
 * and with a recovery code, replays, removal, new recovery codes, and the
 * routes' shape (404 without the option, 405, wherever mounted).
 */
import assert from 'node:assert/strict';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {describe, it} from 'node:test';
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import {
  appCode,
  as,
  authenticatorSetup,
  confirmEnrollment,
  enrol,
  removeAuthenticator,
  replaceRecoveryCodes,
  signIn,
  startEnrollment,
} from './authenticator-helpers.js';
import {toNodeListener} from '../index.js';
import {post, send, setup} from './helpers.js';

describe('authenticator: enrolment', () => {
  it('shows an otpauth URI, the 160-bit secret in Base32 and its QR code as SVG', async () => {
    const ctx = authenticatorSetup();
    const started = await startEnrollment(ctx, 'Alice Smith');
    assert.equal(started.status, 201);
    const {enrollmentId, uri, secret, qrSvg, expiresIn} = started.json as Record<
      string,
      string
    >;
    assert.match(String(enrollmentId), /^[0-9a-f-]{36}$/);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(decodeBase32IgnorePadding(secret).length, 20);
    const parsed = new URL(uri);
    assert.equal(parsed.protocol, 'otpauth:');
    assert.equal(parsed.host, 'totp');
    assert.equal(decodeURIComponent(parsed.pathname), '/Acme:Alice Smith');
    assert.equal(parsed.searchParams.get('secret'), secret);
    assert.equal(parsed.searchParams.get('issuer'), 'Acme');
    assert.equal(parsed.searchParams.get('digits'), '6');
    assert.equal(parsed.searchParams.get('period'), '30');
    assert.match(qrSvg, /^<svg [^>]*viewBox="0 0 \d+ \d+">/);
    assert.doesNotMatch(qrSvg, /<script|<style|on\w+=/i);
    assert.equal(expiresIn, 600);
  });

  it('answers ten recovery codes XXXXX-XXXXX when the first code confirms it', async () => {
    const ctx = authenticatorSetup();
    const {recoveryCodes, confirmed, started} = await enrol(ctx, 'alice');
    // The codes and nothing else: the secret is shown once, at the start.
    assert.deepEqual(Object.keys(confirmed.json).sort(), ['recoveryCodes', 'status']);
    assert.ok(!confirmed.text.includes(String(started.json.secret)));
    assert.equal(recoveryCodes.length, 10);
    for (const code of recoveryCodes)
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    assert.equal(new Set(recoveryCodes).size, 10);
  });

  it('refuses a wrong first code (422, attempts left) and takes the right one after', async () => {
    const ctx = authenticatorSetup();
    const started = await startEnrollment(ctx, 'alice');
    const secret = decodeBase32IgnorePadding(String(started.json.secret));
    const right = appCode(secret, ctx.clock.now);
    const wrong = right === '000000' ? '111111' : '000000';
    const refused = await confirmEnrollment(
      ctx,
      started.json.enrollmentId,
      wrong,
      'alice',
    );
    assert.equal(refused.status, 422);
    assert.equal(refused.json.code, 'invalid-code');
    assert.equal(refused.json.attemptsLeft, 4);
    const taken = await confirmEnrollment(ctx, started.json.enrollmentId, right, 'alice');
    assert.equal(taken.status, 200);
    assert.equal(taken.json.status, 'enrolled');
  });

  it('is single use: a second confirmation of one enrolment is 404 unknown-enrollment', async () => {
    const ctx = authenticatorSetup();
    const started = await startEnrollment(ctx, 'alice');
    const secret = decodeBase32IgnorePadding(String(started.json.secret));
    const code = appCode(secret, ctx.clock.now);
    const first = await confirmEnrollment(ctx, started.json.enrollmentId, code, 'alice');
    assert.equal(first.status, 200);
    const again = await confirmEnrollment(ctx, started.json.enrollmentId, code, 'alice');
    assert.equal(again.status, 404);
    assert.equal(again.json.code, 'unknown-enrollment');
  });

  it('expires after 10 minutes', async () => {
    const ctx = authenticatorSetup();
    const started = await startEnrollment(ctx, 'alice');
    const secret = decodeBase32IgnorePadding(String(started.json.secret));
    ctx.clock.now += 10 * 60_000;
    const late = await confirmEnrollment(
      ctx,
      started.json.enrollmentId,
      appCode(secret, ctx.clock.now),
      'alice',
    );
    assert.equal(late.status, 404);
    assert.equal(late.json.code, 'unknown-enrollment');
  });

  it('replaces the earlier app only once the new one is confirmed', async () => {
    const ctx = authenticatorSetup();
    const old = await enrol(ctx, 'alice');
    const started = await startEnrollment(ctx, 'alice', {
      code: appCode(old.secret, ctx.clock.now),
    });
    assert.equal(started.status, 201, started.text);
    ctx.clock.now += 30_000;
    // Pending, the new enrolment changes nothing: the old app still signs in.
    const meanwhile = await signIn(ctx, {
      user: 'alice',
      code: appCode(old.secret, ctx.clock.now),
    });
    assert.equal(meanwhile.status, 200);
    ctx.clock.now += 30_000;
    const secret = decodeBase32IgnorePadding(String(started.json.secret));
    const confirmed = await confirmEnrollment(
      ctx,
      started.json.enrollmentId,
      appCode(secret, ctx.clock.now),
      'alice',
    );
    assert.equal(confirmed.status, 200);
    ctx.clock.now += 30_000;
    const oldApp = await signIn(ctx, {
      user: 'alice',
      code: appCode(old.secret, ctx.clock.now),
    });
    assert.equal(oldApp.status, 422);
    const oldRecovery = await signIn(ctx, {
      user: 'alice',
      recoveryCode: old.recoveryCodes[0],
    });
    assert.equal(oldRecovery.status, 422);
    const newApp = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(newApp.status, 200);
  });

  it('starts at most issuesPerWindow enrolments per account per window', async () => {
    const ctx = authenticatorSetup({limits: {issuesPerWindow: 3}});
    for (const user of ['bob', 'Bob', 'BOB'])
      assert.equal((await startEnrollment(ctx, user)).status, 201, user);
    const refused = await startEnrollment(ctx, 'B\u200bob');
    assert.equal(refused.status, 429);
    assert.equal(refused.json.code, 'rate-limited');
    assert.equal(refused.headers.get('retry-after'), '900');
    assert.equal((await startEnrollment(ctx, 'alice')).status, 201);
    ctx.clock.now += 15 * 60_000;
    assert.equal((await startEnrollment(ctx, 'bob')).status, 201);
  });

  it('needs a session: 401 without one', async () => {
    const ctx = authenticatorSetup();
    const answer = await post(ctx.handler, '/otp/authenticator/enrollments', {});
    assert.equal(answer.status, 401);
    assert.equal(answer.json.code, 'unauthenticated');
  });
});

describe('authenticator: sign-in', () => {
  it('answers a signed confirmation with a fresh request id, method authenticator', async () => {
    const ctx = authenticatorSetup();
    const {secret} = await enrol(ctx, 'alice');
    const first = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.status, 'confirmed');
    assert.equal(first.json.method, 'authenticator');
    ctx.clock.now += 30_000;
    const second = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(second.status, 200);
    assert.notEqual(first.json.requestId, second.json.requestId);
    const claims = await ctx.handler.verifyConfirmation(first.json.confirmation, {
      user: 'alice',
      client: 'web',
      stepName: 'login',
    });
    assert.ok(claims);
    assert.equal(claims.method, 'authenticator');
    assert.equal(claims.requestId, first.json.requestId);
    // Single use, as a sent code's.
    assert.equal(
      await ctx.handler.verifyConfirmation(first.json.confirmation, {user: 'alice'}),
      null,
    );
  });

  it('refuses the same code again in its step: 409 used', async () => {
    const ctx = authenticatorSetup();
    const {secret} = await enrol(ctx, 'alice');
    const code = appCode(secret, ctx.clock.now);
    assert.equal((await signIn(ctx, {user: 'alice', code})).status, 200);
    const replay = await signIn(ctx, {user: 'alice', code});
    assert.equal(replay.status, 409);
    assert.equal(replay.json.code, 'used');
  });

  it("refuses the enrolment's own code at sign-in: 409 used", async () => {
    const ctx = authenticatorSetup();
    const started = await startEnrollment(ctx, 'alice');
    const secret = decodeBase32IgnorePadding(String(started.json.secret));
    const code = appCode(secret, ctx.clock.now);
    await confirmEnrollment(ctx, started.json.enrollmentId, code, 'alice');
    const replay = await signIn(ctx, {user: 'alice', code});
    assert.equal(replay.status, 409);
    assert.equal(replay.json.code, 'used');
  });

  it('signs in with a recovery code once, in any case, with or without its dash', async () => {
    const ctx = authenticatorSetup();
    const {recoveryCodes} = await enrol(ctx, 'alice');
    const typed = recoveryCodes[0].replace('-', '').toLowerCase();
    const used = await signIn(ctx, {user: 'alice', recoveryCode: typed});
    assert.equal(used.status, 200, used.text);
    assert.equal(used.json.method, 'recovery-code');
    assert.equal(used.json.recoveryCodesLeft, 9);
    const claims = await ctx.handler.verifyConfirmation(used.json.confirmation, {
      user: 'alice',
    });
    assert.equal(claims?.method, 'recovery-code');
    const again = await signIn(ctx, {user: 'alice', recoveryCode: recoveryCodes[0]});
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'used');
    const other = await signIn(ctx, {
      user: 'alice',
      recoveryCode: ` ${recoveryCodes[1]} `,
    });
    assert.equal(other.status, 200);
    assert.equal(other.json.recoveryCodesLeft, 8);
  });

  it("reads Crockford's look-alikes as meant: I and L as 1, O as 0", async () => {
    const ctx = authenticatorSetup();
    const {recoveryCodes} = await enrol(ctx, 'alice');
    const withOnes = recoveryCodes.find((c) => /[10]/.test(c));
    if (!withOnes) return; // ~3 % of sets have no 0 or 1 at all: nothing to misread.
    const typed = withOnes.replace(/1/g, 'l').replace(/0/g, 'O');
    const used = await signIn(ctx, {user: 'alice', recoveryCode: typed});
    assert.equal(used.status, 200, used.text);
  });

  it('answers 404 not-enrolled for a user without an app', async () => {
    const ctx = authenticatorSetup();
    const answer = await signIn(ctx, {user: 'alice', code: '123456'});
    assert.equal(answer.status, 404);
    assert.equal(answer.json.code, 'not-enrolled');
  });
});

describe('authenticator: removal and new recovery codes', () => {
  it('removes the app with a current code; sign-in then answers not-enrolled', async () => {
    const ctx = authenticatorSetup();
    const {secret} = await enrol(ctx, 'alice');
    const wrong = await removeAuthenticator(ctx, {code: '000000'}, 'alice');
    assert.equal(wrong.status, appCode(secret, ctx.clock.now) === '000000' ? 200 : 422);
    const removed = await removeAuthenticator(
      ctx,
      {code: appCode(secret, ctx.clock.now)},
      'alice',
    );
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.json, {status: 'removed'});
    ctx.clock.now += 30_000;
    const after = await signIn(ctx, {
      user: 'alice',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(after.status, 404);
    assert.equal(after.json.code, 'not-enrolled');
  });

  it('refuses removal without a session', async () => {
    const ctx = authenticatorSetup();
    const {secret} = await enrol(ctx, 'alice');
    const refused = await removeAuthenticator(ctx, {
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(refused.status, 401);
  });

  it('replaces the recovery codes: the old set stops working, the new one signs in', async () => {
    const ctx = authenticatorSetup();
    const {secret, recoveryCodes: old} = await enrol(ctx, 'alice');
    const replaced = await replaceRecoveryCodes(
      ctx,
      appCode(secret, ctx.clock.now),
      'alice',
    );
    assert.equal(replaced.status, 200);
    assert.equal(replaced.json.status, 'replaced');
    const fresh = replaced.json.recoveryCodes as string[];
    assert.equal(fresh.length, 10);
    assert.equal(fresh.filter((c) => old.includes(c)).length, 0);
    assert.equal((await signIn(ctx, {user: 'alice', recoveryCode: old[0]})).status, 422);
    assert.equal(
      (await signIn(ctx, {user: 'alice', recoveryCode: fresh[0]})).status,
      200,
    );
  });
});

describe('authenticator: routes', () => {
  it('answers 404 not-found on a handler without the option', async () => {
    const ctx = setup({authenticate: () => 'alice'});
    for (const path of [
      '/otp/authenticator/enrollments',
      '/otp/authenticator/confirm',
      '/otp/authenticator/recovery-codes',
      '/otp/authenticator/enrollments/x/confirm',
    ]) {
      const answer = await post(ctx.handler, path, {});
      assert.equal(answer.status, 404, path);
      assert.equal(answer.json.code, 'not-found');
    }
  });

  it("passes the authenticator's paths on to the app's next middleware where it is off", async () => {
    const off = setup({authenticate: () => 'alice'});
    const on = authenticatorSetup();
    const path = '/account/authenticator';
    let passed = 0;
    await toNodeListener(off.handler)(
      {url: `${path}?x=1`} as IncomingMessage,
      {} as ServerResponse,
      () => void passed++,
    );
    assert.equal(passed, 1);
    assert.equal(off.handler.handles?.(path), false);
    assert.equal(off.handler.handles?.('/otp/codes'), true);
    assert.equal(on.handler.handles?.(path), true);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const ctx = authenticatorSetup();
    const get = await send(ctx.handler, '/otp/authenticator/enrollments', {
      method: 'GET',
    });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const postRemove = await post(
      ctx.handler,
      '/otp/authenticator',
      {code: '1'},
      as('alice'),
    );
    assert.equal(postRemove.status, 405);
    assert.equal(postRemove.headers.get('allow'), 'DELETE');
  });

  it('works wherever the handler is mounted', async () => {
    const ctx = authenticatorSetup();
    const started = await post(
      ctx.handler,
      '/api/v2/auth/otp/authenticator/enrollments/',
      {},
      as('alice'),
    );
    assert.equal(started.status, 201);
  });

  it('answers bad bodies 400 invalid-request with a sentence', async () => {
    const ctx = authenticatorSetup();
    for (const body of [
      [],
      null,
      {user: 'alice'},
      {user: 'alice', code: 123456},
      {user: 'alice', code: '123456', recoveryCode: 'ABCDE-FGHJK'},
      {user: '', code: '123456'},
      {user: 'alice', code: '1'.repeat(65)},
      {user: 'a'.repeat(257), code: '123456'},
      {user: 'alice', client: 7, code: '123456'},
    ]) {
      const answer = await post(
        ctx.handler,
        '/otp/authenticator/confirm',
        body,
        as('alice'),
      );
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.json.code, 'invalid-request');
      assert.match(String(answer.json.detail), /^Send |^The body /);
    }
  });
});

describe('authenticator: accountLabel', () => {
  const labelOf = async (ctx: ReturnType<typeof authenticatorSetup>, user: string) => {
    const started = await startEnrollment(ctx, user);
    assert.equal(started.status, 201);
    return decodeURIComponent(new URL(String(started.json.uri)).pathname);
  };

  it("shows the app's name for the account in place of the user's id", async () => {
    const ctx = authenticatorSetup({
      authenticator: {
        issuer: 'Acme',
        accountLabel: async (user) => `${user}@example.org`,
      },
    });
    assert.equal(await labelOf(ctx, 'u_123'), '/Acme:u_123@example.org');
    // Only a label: the app is still u_123's.
    const {secret} = await enrol(ctx, 'u_123');
    const signedIn = await signIn(ctx, {
      user: 'u_123',
      code: appCode(secret, ctx.clock.now),
    });
    assert.equal(signedIn.status, 200);
  });

  it('falls back to the user, logged, for a label that throws or is no name', async () => {
    for (const accountLabel of [
      () => {
        throw new Error('directory down');
      },
      () => '',
      () => 'x'.repeat(257),
      () => 7 as unknown as string,
    ]) {
      const ctx = authenticatorSetup({authenticator: {issuer: 'Acme', accountLabel}});
      assert.equal(await labelOf(ctx, 'alice'), '/Acme:alice');
      assert.ok(ctx.logged.some((line) => /accountLabel/.test(line)));
    }
  });
});
