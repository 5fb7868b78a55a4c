/**
 * The side service's authenticator routes through the service's own process,
 * as an app's proxy and an authenticator app use them: enrolment with the
 * user header, the QR code read as a phone reads it, codes computed from the
 * answered secret, sign-in, a recovery code once, new recovery codes,
 * removal, the back-off, parallel sign-ins, and the event webhooks the app
 * receives, their signatures checked; every answer checked against
 * docs/openapi.json (memory store, or the Redis of OTP_TEST_REDIS_URL).
 */
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import {generateHOTP} from '@oslojs/otp';
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {createRequire} from 'node:module';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {verifyWebhook} from '../index.js';
import {assertConforms, SECRET, STORE_KIND} from './helpers.js';
import {BUILT_MAIN, startService} from './service-process.js';

const HOOK_SECRET = 'the webhook secret shared with the app, 32+ bytes';
const API_KEY = 'the app server key for verifying confirmations';
const STEP_SECONDS = 30;

/**
 * The app's webhook receiver: every delivery, with whether its signature
 * holds. As the lookup webhook it knows the address of users named `mail-…`
 * and no other user (404).
 */
async function eventReceiver() {
  const received: {body: Record<string, unknown>; raw: string; signed: boolean}[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString()) as Record<string, unknown>;
    received.push({
      body,
      raw: raw.toString(),
      signed: verifyWebhook(
        raw,
        req.headers['otp-step-signature'] as string,
        HOOK_SECRET,
      ),
    });
    if (body.event !== 'lookup') return void res.writeHead(204).end();
    if (!String(body.user).startsWith('mail-')) return void res.writeHead(404).end();
    res
      .writeHead(200, {'content-type': 'application/json'})
      .end(JSON.stringify({email: `${String(body.user)}@example.com`}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The time step now, as a phone's clock counts it. */
const stepNow = () => Math.floor(Date.now() / 1000 / STEP_SECONDS);

/** What an authenticator app shows for `secret` (Base32) in `step`: RFC 6238, SHA-1, 6 digits. */
const appCode = (secret: string, step: number) =>
  generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);

/** A code of the right shape that no step within the drift of `step` shows. */
const wrongCode = (secret: string, step: number) => {
  const near = [-2, -1, 0, 1, 2].map((d) => appCode(secret, step + d));
  let code = Number(near[2]);
  do code = (code + 1) % 1_000_000;
  while (near.includes(String(code).padStart(6, '0')));
  return String(code).padStart(6, '0');
};

// jsqr is a UMD bundle: require() gives its function without default-export guesswork.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/**
 * What a phone's camera reads from the QR code: the SVG's dark squares
 * (`M x,y h… v… h-… z`, one per module, over a light background) drawn into
 * pixels, then decoded by jsQR as a scanner decodes a frame.
 */
function scanQr(svg: string): string | undefined {
  const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [, x, y, size] of svg.matchAll(/M(\d+),(\d+)h(\d+)/g))
    for (let dy = 0; dy < Number(size); dy++)
      for (let dx = 0; dx < Number(size); dx++) {
        const at = ((Number(y) + dy) * width + Number(x) + dx) * 4;
        pixels.fill(0, at, at + 3);
      }
  return jsQR(pixels, width, height)?.data;
}

describe(`otp-step-server's authenticator routes (${STORE_KIND} store)`, () => {
  let receiver: Awaited<ReturnType<typeof eventReceiver>>;
  let service: Awaited<ReturnType<typeof startService>>;
  const unique = (name: string) =>
    `${name}-${process.pid}-${Math.random().toString(36).slice(2)}`;
  // As the app's proxy (this machine, OTP_TRUSTED_PROXIES) sends them.
  const asUser = (user: string) => ({
    'x-app-user': user,
    'x-forwarded-for': '203.0.113.7',
  });
  const call = async (
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const answer = {
      status: response.status,
      headers: response.headers,
      text,
      json: JSON.parse(text) as Record<string, unknown>,
    };
    // The protocol's routes; the admin routes are the app server's (deployment.md).
    if (/^(\/otp)?\/authenticator/.test(path))
      assertConforms(path.replace(/^\/otp/, ''), answer, method);
    return answer;
  };
  const post = (path: string, body: unknown, headers?: Record<string, string>) =>
    call('POST', path, body, headers);
  /** Sign-in as the user's own session: `{code}` or `{recoveryCode}`. */
  const signIn = (user: string, fields: Record<string, unknown>) =>
    post('/authenticator/confirm', {user, ...fields}, asUser(user));
  const remove = (user: string, code: string) =>
    call('DELETE', '/authenticator', {code}, asUser(user));

  /** Enrols an app for `user` through the service: the enrolment, and the recovery codes its first code got. */
  const enrol = async (user: string) => {
    const started = await post('/authenticator/enrollments', {}, asUser(user));
    assert.equal(started.status, 201, started.text);
    const secret = String(started.json.secret);
    const step = stepNow();
    const confirmed = await post(
      `/authenticator/enrollments/${encodeURIComponent(String(started.json.enrollmentId))}/confirm`,
      {code: appCode(secret, step)},
      asUser(user),
    );
    assert.equal(confirmed.status, 200, confirmed.text);
    // The step accepted: a later one signs in (within the ±1 step of drift, so no test waits).
    return {secret, step, recoveryCodes: confirmed.json.recoveryCodes as string[]};
  };

  before(async () => {
    receiver = await eventReceiver();
    service = await startService(
      {
        OTP_SECRET: SECRET,
        OTP_AUTHENTICATOR_ISSUER: 'Acme Bank',
        OTP_USER_HEADER: 'X-App-User',
        OTP_TRUSTED_PROXIES: '127.0.0.1,::1',
        OTP_EVENTS_URL: receiver.url,
        OTP_EVENTS:
          'otp.enrolled,otp.recovery_used,otp.authenticator_removed,otp.confirmed',
        OTP_WEBHOOK_SECRET: HOOK_SECRET,
        OTP_API_KEY: API_KEY,
        // The phone shows the user's address where the app's directory has one.
        OTP_LOOKUP_URL: receiver.url,
        OTP_AUTHENTICATOR_LABEL: 'email',
        ...(process.env.OTP_TEST_REDIS_URL && {
          OTP_REDIS_URL: process.env.OTP_TEST_REDIS_URL,
        }),
      },
      BUILT_MAIN,
    );
  });
  after(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await receiver.close();
  });

  it('enrols only the user the proxy names, with a URI, a secret and a QR code of that URI', async () => {
    const user = unique('maria');
    const none = await post(
      '/authenticator/enrollments',
      {},
      {'x-forwarded-for': '203.0.113.7'},
    );
    assert.equal(none.status, 401);
    assert.equal(none.json.code, 'unauthenticated');

    // At the root, and under the prefix an app's proxy keeps (/otp/…).
    const started = await post('/otp/authenticator/enrollments', {}, asUser(user));
    assert.equal(started.status, 201, started.text);
    const secret = String(started.json.secret);
    assert.match(secret, /^[A-Z2-7]{32}$/, '160 bits in Base32');
    const uri = new URL(String(started.json.uri));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), `/Acme Bank:${user}`);
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Acme Bank');
    const svg = String(started.json.qrSvg);
    assert.match(svg, /^<svg[\s>]/);
    assert.doesNotMatch(svg, /<script|<style|\son\w+=/i);
    assert.equal(scanQr(svg), started.json.uri, 'the QR code does not read as the URI');
    assert.ok(!service.stdout().includes(secret), 'the secret is in the log');
  });

  it('replaces an app only with a proof of it: 403 with the session alone, then a recovery code', async () => {
    const user = unique('rita');
    const old = await enrol(user);
    const bare = await post('/authenticator/enrollments', {}, asUser(user));
    assert.equal(bare.status, 403, bare.text);
    assert.equal(bare.json.code, 'current-authenticator-required');
    const wrong = await post(
      '/authenticator/enrollments',
      {code: wrongCode(old.secret, old.step + 1)},
      asUser(user),
    );
    assert.equal(wrong.status, 422, wrong.text);
    const started = await post(
      '/otp/authenticator/enrollments',
      {recoveryCode: old.recoveryCodes[0]},
      asUser(user),
    );
    assert.equal(started.status, 201, started.text);
    const secret = String(started.json.secret);
    const step = stepNow();
    const confirmed = await post(
      `/authenticator/enrollments/${String(started.json.enrollmentId)}/confirm`,
      {code: appCode(secret, step)},
      asUser(user),
    );
    assert.equal(confirmed.status, 200, confirmed.text);
    // The old app's recovery codes went with it.
    const oldRecovery = await signIn(user, {recoveryCode: old.recoveryCodes[1]});
    assert.equal(oldRecovery.status, 422, oldRecovery.text);
  });

  it('labels the account with the address from the lookup webhook, the user without one', async () => {
    const withMail = unique('mail-li');
    const labelled = await post('/authenticator/enrollments', {}, asUser(withMail));
    const uri = new URL(String(labelled.json.uri));
    assert.equal(decodeURIComponent(uri.pathname), `/Acme Bank:${withMail}@example.com`);
    const lookup = receiver.received.find(
      (r) => r.body.event === 'lookup' && r.body.user === withMail,
    );
    assert.ok(lookup?.signed, 'the lookup webhook is signed');
    // The label is only shown: the app is the user's, and signs that user in.
    const step = stepNow();
    const confirmed = await post(
      `/authenticator/enrollments/${String(labelled.json.enrollmentId)}/confirm`,
      {code: appCode(String(labelled.json.secret), step)},
      asUser(withMail),
    );
    assert.equal(confirmed.status, 200, confirmed.text);
    const signedIn = await signIn(withMail, {
      code: appCode(String(labelled.json.secret), step + 1),
    });
    assert.equal(signedIn.status, 200, signedIn.text);
  });

  it('activates with the first code, answers 10 recovery codes, then signs in with a later code once', async () => {
    const user = unique('joao');
    const started = await post('/authenticator/enrollments', {}, asUser(user));
    const secret = String(started.json.secret);
    const step = stepNow();
    const confirmPath = `/authenticator/enrollments/${encodeURIComponent(String(started.json.enrollmentId))}/confirm`;
    // Another user's session cannot confirm it, and a wrong code does not.
    const stranger = await post(
      confirmPath,
      {code: appCode(secret, step)},
      asUser(unique('eve')),
    );
    assert.equal(stranger.status, 404);
    assert.equal(stranger.json.code, 'unknown-enrollment');
    const wrong = await post(confirmPath, {code: wrongCode(secret, step)}, asUser(user));
    assert.equal(wrong.status, 422);
    assert.equal(wrong.json.code, 'invalid-code');
    // Not enrolled until confirmed.
    const early = await signIn(user, {code: appCode(secret, step)});
    assert.equal(early.status, 404);
    assert.equal(early.json.code, 'not-enrolled');

    const confirmed = await post(
      confirmPath,
      {code: appCode(secret, step)},
      asUser(user),
    );
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.json.status, 'enrolled');
    const recoveryCodes = confirmed.json.recoveryCodes as string[];
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    for (const code of recoveryCodes)
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const again = await post(
      confirmPath,
      {code: appCode(secret, step + 1)},
      asUser(user),
    );
    assert.equal(again.status, 404, 'an enrolment is confirmed once');

    // The enrolment's own code is spent: its step was accepted.
    const replayed = await signIn(user, {code: appCode(secret, step)});
    assert.equal(replayed.status, 409);
    assert.equal(replayed.json.code, 'used');
    // The next step's code (within the ±1 step of drift) signs in, once.
    const next = appCode(secret, step + 1);
    const signedIn = await signIn(user, {code: next});
    assert.equal(signedIn.status, 200, signedIn.text);
    assert.equal(signedIn.json.method, 'authenticator');
    assert.match(String(signedIn.json.confirmation), /^v1\./);
    const twice = await signIn(user, {code: next});
    assert.equal(twice.status, 409);
    assert.equal(twice.json.code, 'used');
    // Another session cannot sign in as the user.
    const other = await post(
      '/authenticator/confirm',
      {user, code: next},
      asUser(unique('eve')),
    );
    assert.equal(other.status, 403);

    // The app's server checks the token once, as for a sent code.
    const verify = (token: unknown) =>
      post('/confirmations/verify', {token, user}, {authorization: `Bearer ${API_KEY}`});
    const verified = await verify(signedIn.json.confirmation);
    assert.equal(verified.json.confirmed, true, verified.text);
    assert.equal(verified.json.requestId, signedIn.json.requestId);
    assert.equal(verified.json.method, 'authenticator');
    assert.equal((await verify(signedIn.json.confirmation)).json.confirmed, false);
    for (const code of [secret, ...recoveryCodes])
      assert.ok(!service.stdout().includes(code), `${code} is in the log`);
  });

  it('signs in with a recovery code once, in any case and spacing, and refuses it the second time', async () => {
    const user = unique('ana');
    const {recoveryCodes} = await enrol(user);
    const typed = ` ${recoveryCodes[3].toLowerCase().replace('-', ' ')} `;
    const used = await signIn(user, {recoveryCode: typed});
    assert.equal(used.status, 200, used.text);
    assert.equal(used.json.method, 'recovery-code');
    assert.equal(used.json.recoveryCodesLeft, 9);
    const again = await signIn(user, {recoveryCode: recoveryCodes[3]});
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.code, 'used');
    const other = await signIn(user, {recoveryCode: recoveryCodes[4]});
    assert.equal(other.status, 200, 'the others still work');
    assert.equal(other.json.recoveryCodesLeft, 8);
    const verified = await post(
      '/confirmations/verify',
      {token: used.json.confirmation, user},
      {authorization: `Bearer ${API_KEY}`},
    );
    assert.equal(verified.json.method, 'recovery-code');
  });

  it('replaces the recovery codes with a current code: the old set stops working', async () => {
    const user = unique('li');
    const {secret, step, recoveryCodes} = await enrol(user);
    const replaced = await post(
      '/authenticator/recovery-codes',
      {code: appCode(secret, step + 1)},
      asUser(user),
    );
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.json.status, 'replaced');
    const fresh = replaced.json.recoveryCodes as string[];
    assert.equal(fresh.length, 10);
    assert.ok(!fresh.some((code) => recoveryCodes.includes(code)));
    const old = await signIn(user, {recoveryCode: recoveryCodes[0]});
    assert.equal(old.status, 422, old.text);
    assert.equal(old.json.code, 'invalid-code');
    const now = await signIn(user, {recoveryCode: fresh[0]});
    assert.equal(now.status, 200, now.text);
  });

  it('removes the authenticator with a current code, never without one', async () => {
    const user = unique('sam');
    const {secret, step} = await enrol(user);
    const wrong = await remove(user, wrongCode(secret, step));
    assert.equal(wrong.status, 422, wrong.text);
    assert.equal(wrong.json.code, 'invalid-code');
    const replayed = await remove(user, appCode(secret, step));
    assert.equal(replayed.status, 409, 'the enrolment’s own code removes nothing');
    assert.equal(replayed.json.code, 'used');
    const removed = await remove(user, appCode(secret, step + 1));
    assert.equal(removed.status, 200, removed.text);
    assert.deepEqual(removed.json, {status: 'removed'});
    const after = await signIn(user, {code: appCode(secret, step + 1)});
    assert.equal(after.status, 404);
    assert.equal(after.json.code, 'not-enrolled');
    const gone = await remove(user, appCode(secret, step + 1));
    assert.equal(gone.status, 404);
  });

  it("removes a user's app for the app's server, with its key and no code (a support desk's reset)", async () => {
    const user = unique('lost');
    const {secret, step} = await enrol(user);
    const path = `/admin/users/${encodeURIComponent(user)}/authenticator/remove`;
    const bearer = {authorization: `Bearer ${API_KEY}`};
    const keyless = await post(path, {}, asUser(user));
    assert.equal(keyless.status, 401, 'the user’s own session is not the app’s server');
    assert.deepEqual((await post(path, {}, bearer)).json, {removed: true});
    const after = await signIn(user, {code: appCode(secret, step + 1)});
    assert.equal(after.status, 404);
    assert.equal(after.json.code, 'not-enrolled');
    assert.deepEqual((await post(path, {}, bearer)).json, {removed: false});
    const told = () =>
      receiver.received.filter(
        (r) => r.body.user === user && r.body.event === 'otp.authenticator_removed',
      );
    for (let i = 0; i < 100 && !told().length; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(told().length, 1, 'one removal, one event');
    assert.ok(told()[0].signed);
  });

  it('backs off an account after its free wrong codes: 429 with Retry-After, even for the right code', async () => {
    const user = unique('guess');
    const {secret, step} = await enrol(user);
    const tries: {status: number; json: Record<string, unknown>; headers: Headers}[] = [];
    for (let i = 0; i < 10; i++) {
      const answer = await signIn(user, {code: wrongCode(secret, step)});
      tries.push(answer);
      if (answer.status === 429) break;
    }
    const limited = tries.at(-1)!;
    assert.equal(limited.status, 429, JSON.stringify(tries.map((t) => t.json)));
    assert.equal(limited.json.code, 'rate-limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(
      retryAfter > 0 && retryAfter === limited.json.retryAfter,
      String(retryAfter),
    );
    const left = tries.slice(0, -1).map((t) => t.json.attemptsLeft);
    assert.deepEqual(
      left,
      [...left].sort((a, b) => Number(b) - Number(a)),
    );
    assert.ok(
      tries.slice(0, -1).every((t) => t.status === 422 && t.json.code === 'invalid-code'),
    );
    const right = await signIn(user, {code: appCode(secret, step + 1)});
    assert.equal(right.status, 429, 'the back-off holds for the right code too');
  });

  it('lets one of 200 parallel sign-ins with one code through', async () => {
    const user = unique('para');
    const {secret, step} = await enrol(user);
    const code = appCode(secret, step + 1);
    const answers = await Promise.all(
      Array.from({length: 200}, () => signIn(user, {code})),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, String(statuses));
    // The others: used; or, on Redis, where 200 reservations of the account's
    // budget land before any is settled, past its free attempts (429), or
    // given up on that hot key (503 store-unavailable): refusals all, with a wait.
    for (const answer of answers.filter((a) => a.status !== 200)) {
      assert.ok(
        (answer.status === 409 && answer.json.code === 'used') ||
          (answer.status === 429 && answer.json.code === 'rate-limited') ||
          (answer.status === 503 && answer.json.code === 'store-unavailable'),
        answer.text,
      );
      if (answer.status !== 409) assert.ok(Number(answer.headers.get('retry-after')) > 0);
    }
  });

  it('tells the app of enrolments, recovery-code use and removals by signed webhooks, never with a secret or a code', async () => {
    const user = unique('eva');
    const {secret, step, recoveryCodes} = await enrol(user);
    await signIn(user, {recoveryCode: recoveryCodes[0]});
    await remove(user, appCode(secret, step + 1));
    // Events are posted behind the answers: wait for the last of them.
    const mine = () =>
      receiver.received.filter(
        (r) => r.body.user === user && String(r.body.event).startsWith('otp.'),
      );
    for (
      let i = 0;
      i < 100 && !mine().some((r) => r.body.event === 'otp.authenticator_removed');
      i++
    )
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      mine().map((r) => r.body.event),
      ['otp.enrolled', 'otp.confirmed', 'otp.recovery_used', 'otp.authenticator_removed'],
    );
    for (const {signed, raw} of mine()) {
      assert.ok(signed, 'the signature does not hold');
      for (const code of [secret, ...recoveryCodes])
        assert.ok(!raw.includes(code), `an event holds ${code}`);
    }
  });
});
