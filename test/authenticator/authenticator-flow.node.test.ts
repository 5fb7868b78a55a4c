// The authenticator's flow in Node, through the step's real controller and the
// real reference server (createOtpHandler with `authenticator`), fetch handed
// straight to the handler: no browser, no network, a clock moved by hand.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import {generateHOTP} from '@oslojs/otp';
import {createOtpHandler, type OtpHandler} from '../../server/index.js';
import type {OtpStepEventMap} from '../../src/events.js';
import {StepController} from '../../src/flow/step-controller.js';
import {en} from '../../src/messages/en.js';
import type {StepOptions} from '../../src/step/step-config.js';

const ENDPOINT = 'http://otp.test/api';
let now = Date.UTC(2026, 0, 1);
let handler: OtpHandler;
const realFetch = globalThis.fetch;

beforeEach(() => {
  handler = createOtpHandler({
    secret: randomBytes(32),
    authenticate: (request) => request.headers.get('x-session-user'),
    authenticator: {issuer: 'Test'},
    logger: {info() {}, warn() {}, error() {}},
    now: () => now,
  });
  globalThis.fetch = (input, init) => handler(new Request(input, init));
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** What an app shows now for the secret. */
const codeOf = (secret: string) =>
  generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(now / 30_000)), 6);

/** A step of `user`'s, its events recorded, on a host that draws nothing. */
function step(
  user: string,
  {enroll = false, endpoint = ENDPOINT, method = 'authenticator'} = {},
) {
  const fired: {type: string; detail: unknown}[] = [];
  const host = Object.assign(new EventTarget(), {
    isConnected: true,
    updateComplete: Promise.resolve(true),
    addController() {},
    removeController() {},
    requestUpdate() {},
  });
  for (const type of [
    'otp-confirmed',
    'otp-rejected',
    'otp-error',
    'otp-enrolled',
    'step-complete',
  ] as const)
    host.addEventListener(type, (e) =>
      fired.push({type, detail: (e as OtpStepEventMap[typeof type]).detail}),
    );
  const controller = new StepController(host, {
    sources: {
      endpoint,
      demo: !endpoint,
      timeout: 5,
      credentials: 'same-origin',
      headers: {'x-session-user': user},
    },
    messages: () => en,
  });
  const options: StepOptions = {
    stepName: 'sign-in',
    sourceStep: '',
    user,
    client: 'web',
    lifetime: 300,
    length: 6,
    alphabet: 'numeric',
    maxAttempts: 5,
    resendAfter: 30,
    maxResends: 3,
    method,
    enroll,
  };
  const act = (detail: Parameters<StepController['handleEvent']>[0]['detail']) =>
    controller.handleEvent({detail} as Parameters<StepController['handleEvent']>[0]);
  return {controller, options, fired, act};
}

/** Enrols `user` through the flow, as the dialog does: the secret and the recovery codes. */
async function enrol(user: string) {
  const s = step(user, {enroll: true});
  assert.equal(await s.controller.request(s.options), true);
  const {enrollment} = s.controller.state.authenticator!;
  await s.act('next');
  await s.controller.confirm(codeOf(enrollment!.secret));
  const codes = s.controller.state.authenticator!.recoveryCodes!;
  return {secret: enrollment!.secret, codes, s};
}

describe('the authenticator’s flow, against the reference server', () => {
  it('enrols: the QR code’s URI and secret, the first code, the recovery codes, otp-enrolled {user}; Done forgets them', async () => {
    const {secret, codes, s} = await enrol('ana');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(codes.length, 10);
    assert.equal(s.controller.state.authenticator!.stage, 'recovery-codes');
    assert.equal(s.controller.state.authenticator!.enrollment, undefined);
    assert.deepEqual(
      s.fired.filter((e) => e.type === 'otp-enrolled').map((e) => e.detail),
      [{user: 'ana'}],
    );
    await s.act('done');
    assert.equal(s.controller.state.open, false);
    assert.equal(s.controller.state.authenticator, undefined);
  });

  it('signs in with the app’s next code: a confirmation verifyConfirmation accepts, method authenticator', async () => {
    const {secret} = await enrol('bia');
    now += 30_000;
    const s = step('bia');
    await s.controller.request(s.options);
    assert.equal(s.controller.state.authenticator!.stage, 'sign-in');
    const outcome = await s.controller.confirm(codeOf(secret));
    assert.equal(outcome?.status, 'confirmed');
    const confirmed = s.fired.find((e) => e.type === 'otp-confirmed')!.detail as {
      method: string;
      confirmation: string;
    };
    assert.equal(confirmed.method, 'authenticator');
    assert.equal(s.controller.state.value, confirmed.confirmation);
    assert.equal(s.controller.state.challenge?.status, 'confirmed');
    assert.deepEqual(
      s.fired.map((e) => e.type),
      ['otp-confirmed', 'step-complete'],
    );
    const claims = await handler.verifyConfirmation(confirmed.confirmation, {
      user: 'bia',
    });
    assert.equal(claims?.method, 'authenticator');
  });

  it('refuses the enrolment’s own code at sign-in, in the same time step: used', async () => {
    const {secret} = await enrol('caio');
    const s = step('caio');
    await s.controller.request(s.options);
    const outcome = await s.controller.confirm(codeOf(secret));
    assert.deepEqual(outcome, {status: 'rejected', reason: 'used', attemptsLeft: 0});
    assert.deepEqual(s.controller.state.notice, {key: 'appCodeUsed'});
  });

  it('takes a recovery code once, in any case and with its dash; a second use is refused', async () => {
    const {codes} = await enrol('dora');
    const s = step('dora');
    await s.controller.request(s.options);
    await s.act('recovery');
    assert.equal(s.controller.state.authenticator!.recovery, true);
    const outcome = await s.controller.confirm(` ${codes[3].toLowerCase()} `);
    assert.equal(outcome?.status, 'confirmed');
    const again = step('dora');
    await again.controller.request(again.options);
    await again.act('recovery');
    const second = await again.controller.confirm(codes[3]);
    assert.equal(second?.status === 'rejected' && second.reason, 'used');
    assert.deepEqual(again.controller.state.notice, {key: 'recoveryCodeUsed'});
  });

  it('a wrong code: invalid, with the attempts left, the entry cleared', async () => {
    const {secret} = await enrol('edu');
    now += 30_000;
    const s = step('edu');
    await s.controller.request(s.options);
    s.controller.type('000000');
    const right = codeOf(secret);
    const outcome = await s.controller.confirm(right === '000000' ? '111111' : '000000');
    assert.equal(outcome?.status === 'rejected' && outcome.reason, 'invalid');
    assert.equal(s.controller.state.notice?.key, 'invalid');
    assert.equal(s.controller.state.entry, '');
  });

  it('a malformed code is not sent; a user with no app is not-enrolled', async () => {
    const s = step('fabi');
    await s.controller.request(s.options);
    assert.equal(await s.controller.confirm('12345'), undefined);
    assert.equal(await s.controller.confirm('123456'), undefined);
    assert.deepEqual(
      s.fired.map((e) => (e.detail as {code: string}).code),
      ['malformed-code', 'not-enrolled'],
    );
  });

  it('without an endpoint: endpoint-required; a method it does not know: invalid-method', async () => {
    const demo = step('gil', {endpoint: ''});
    assert.equal(await demo.controller.request(demo.options), false);
    const odd = step('gil', {method: 'sms'});
    assert.equal(await odd.controller.request(odd.options), false);
    assert.deepEqual(
      [...demo.fired, ...odd.fired].map((e) => (e.detail as {code: string}).code),
      ['endpoint-required', 'invalid-method'],
    );
  });

  it('the same code from 50 steps at once: one sign-in, the others refused', async () => {
    const {secret} = await enrol('hugo');
    now += 30_000;
    const steps = Array.from({length: 50}, () => step('hugo'));
    await Promise.all(steps.map((s) => s.controller.request(s.options)));
    const code = codeOf(secret);
    const outcomes = await Promise.all(steps.map((s) => s.controller.confirm(code)));
    assert.equal(outcomes.filter((o) => o?.status === 'confirmed').length, 1);
    // The rest were refused, or stopped by the limits: none signed in.
    assert.equal(steps.filter((s) => s.controller.state.value).length, 1);
  });

  it('re-enrols only with a code of the current app: the proof asked first, then the QR code; the old app then refused', async () => {
    const old = await enrol('iris');
    now += 30_000;
    const s = step('iris', {enroll: true});
    assert.equal(await s.controller.request(s.options), true);
    assert.equal(s.controller.state.authenticator!.stage, 'current');
    assert.equal(s.controller.state.authenticator!.enrollment, undefined);
    const right = codeOf(old.secret);
    const wrong = await s.controller.confirm(right === '000000' ? '111111' : '000000');
    assert.equal(wrong?.status === 'rejected' && wrong.reason, 'invalid');
    assert.equal(s.controller.state.authenticator!.stage, 'current');
    assert.equal(await s.controller.confirm(right), undefined);
    const {stage, enrollment} = s.controller.state.authenticator!;
    assert.equal(stage, 'scan');
    assert.notEqual(enrollment!.secret, old.secret);
    await s.act('next');
    now += 30_000;
    await s.controller.confirm(codeOf(enrollment!.secret));
    assert.equal(s.controller.state.authenticator!.stage, 'recovery-codes');
    now += 30_000;
    const byOld = step('iris');
    await byOld.controller.request(byOld.options);
    const refused = await byOld.controller.confirm(codeOf(old.secret));
    assert.equal(refused?.status === 'rejected' && refused.reason, 'invalid');
  });

  it('re-enrols with a recovery code in place of the app’s; a used one is said so', async () => {
    const old = await enrol('joao');
    const s = step('joao', {enroll: true});
    await s.controller.request(s.options);
    await s.act('recovery');
    assert.equal(s.controller.state.authenticator!.recovery, true);
    assert.equal(await s.controller.confirm(old.codes[0]), undefined);
    assert.equal(s.controller.state.authenticator!.stage, 'scan');
    const again = step('joao', {enroll: true});
    await again.controller.request(again.options);
    await again.act('recovery');
    const used = await again.controller.confirm(old.codes[0]);
    assert.equal(used?.status === 'rejected' && used.reason, 'used');
    assert.deepEqual(again.controller.state.notice, {key: 'recoveryCodeUsed'});
  });
});
