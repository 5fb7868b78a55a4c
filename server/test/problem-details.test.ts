import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {ProblemCode} from '../../src/sources/protocol.js';
import {OtpStoreFullError, OtpStoreUnavailableError, type OtpStore} from '../index.js';
import {byTestAddress, issueBody, post, setup, wrongCode, type Ctx} from './helpers.js';

/** A store whose every update fails with `error`. */
const failing = (error: Error): OtpStore => ({
  update: () => Promise.reject(error),
});

const issue = (ctx: Ctx, extra: Record<string, unknown> = {}, headers = {}) =>
  post(ctx.handler, '/otp/codes', issueBody('alice', extra), headers);
const confirm = (ctx: Ctx, requestId: unknown, code: unknown) =>
  post(ctx.handler, `/otp/codes/${requestId}/confirm`, {code});

/**
 * Each problem the handler answers with, how to make it happen, and the exact
 * sentence it must carry: a detail says what to change, in words a developer
 * reads in the browser's console.
 */
const CASES: [ProblemCode, string, () => Promise<{json: Record<string, unknown>}>][] = [
  [
    'user-required',
    'Name the user: "user" must be a non-empty string.',
    () => issue(setup(), {user: '  '}),
  ],
  [
    'invalid-lifetime',
    'The lifetime must be a number of seconds above zero and at most 86400.',
    () => issue(setup(), {lifetime: 0}),
  ],
  [
    'invalid-lifetime',
    'The lifetime must be at most 600 seconds.',
    () => issue(setup(), {lifetime: 601}),
  ],
  [
    'invalid-length',
    'The length must be a whole number from 4 to 10.',
    () => issue(setup(), {length: 11}),
  ],
  [
    'invalid-length',
    'The code must have at least 6 characters.',
    () => issue(setup(), {length: 4}),
  ],
  [
    'invalid-alphabet',
    'The alphabet must be "numeric" or "alphanumeric".',
    () => issue(setup(), {alphabet: 'emoji'}),
  ],
  [
    'invalid-max-attempts',
    "The server's maxAttempts limit must be a whole number from 1 to 100.",
    () => issue(setup({limits: {maxAttempts: 0}})),
  ],
  [
    'invalid-resend-after',
    "The server's resendAfterSeconds limit must be whole seconds from 0 to 86400.",
    () => issue(setup({limits: {resendAfterSeconds: -1}})),
  ],
  [
    'invalid-max-resends',
    "The server's maxResends limit must be a whole number from 0 to 100.",
    () => issue(setup({limits: {maxResends: 0.5}})),
  ],
  [
    'invalid-request',
    'The body must be a JSON object.',
    () => post(setup().handler, '/otp/codes', [1]),
  ],
  [
    'invalid-request',
    'Send "user" as a string of at most 256 characters.',
    () => issue(setup(), {user: 7}),
  ],
  ['invalid-request', 'Send "length" as a number.', () => issue(setup(), {length: '6'})],
  [
    'invalid-request',
    'The Idempotency-Key must be 1 to 255 visible ASCII characters.',
    () => issue(setup(), {}, {'idempotency-key': 'two words'}),
  ],
  [
    'invalid-request',
    'The body must be {"code": "…"} with the code as a string.',
    () => confirm(setup(), 'some-id', 123456),
  ],
  [
    'malformed-json',
    'The body is not valid JSON.',
    () => post(setup().handler, '/otp/codes', '{"user":'),
  ],
  [
    'unsupported-media-type',
    'Send the body as application/json.',
    () => post(setup().handler, '/otp/codes', '{}', {'content-type': 'text/plain'}),
  ],
  [
    'body-too-large',
    'The body must be at most 4096 bytes.',
    () => issue(setup(), {user: 'x'.repeat(5000)}),
  ],
  [
    'request-timeout',
    'The body did not arrive within 1 second.',
    async () => {
      const {handler} = setup({limits: {bodyTimeoutSeconds: 1}});
      // A body that never ends: the handler stops waiting at the limit.
      const response = await handler(
        new Request('http://localhost/otp/codes', {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: new ReadableStream({start: (c) => c.enqueue(new Uint8Array([123]))}),
          duplex: 'half',
        } as RequestInit),
      );
      return {json: (await response.json()) as Record<string, unknown>};
    },
  ],
  ['not-found', 'No such route.', () => post(setup().handler, '/otp/other', {})],
  [
    'method-not-allowed',
    'Use POST.',
    async () => {
      const response = await setup().handler(new Request('http://localhost/otp/codes'));
      return {json: (await response.json()) as Record<string, unknown>};
    },
  ],
  [
    'unknown-request',
    'There is no pending code with this request id.',
    () => confirm(setup(), 'no-such-id', '123456'),
  ],
  [
    'invalid-code',
    'That code is not right.',
    async () => {
      const ctx = setup();
      const {json} = await issue(ctx);
      return confirm(ctx, json.requestId, wrongCode(String(json.code)));
    },
  ],
  [
    'locked',
    'Too many wrong codes: this code is locked.',
    async () => {
      const ctx = setup({limits: {maxAttempts: 1}});
      const {json} = await issue(ctx);
      return confirm(ctx, json.requestId, wrongCode(String(json.code)));
    },
  ],
  [
    'locked',
    'Too many wrong codes: wait until the locked code expires.',
    async () => {
      const ctx = setup({limits: {maxAttempts: 1}});
      const {json} = await issue(ctx);
      await confirm(ctx, json.requestId, wrongCode(String(json.code)));
      return issue(ctx);
    },
  ],
  [
    'expired',
    'This code has expired; ask for a new one.',
    async () => {
      const ctx = setup();
      const {json} = await issue(ctx);
      ctx.clock.now += 301_000;
      return confirm(ctx, json.requestId, json.code);
    },
  ],
  [
    'used',
    'This code has already been used.',
    async () => {
      const ctx = setup();
      const {json} = await issue(ctx);
      await confirm(ctx, json.requestId, json.code);
      return confirm(ctx, json.requestId, json.code);
    },
  ],
  [
    'rate-limited',
    'Too many requests for this user; try again later.',
    async () => {
      const ctx = setup({limits: {issuesPerWindow: 1}});
      await issue(ctx, {stepName: 'one'});
      return issue(ctx, {stepName: 'two'});
    },
  ],
  [
    'rate-limited',
    'Too many requests from this address; try again later.',
    async () => {
      const ctx = setup({...byTestAddress, limits: {issuesPerAddress: 1}});
      await issue(ctx, {stepName: 'one'});
      return issue(ctx, {stepName: 'two'});
    },
  ],
  [
    'rate-limited',
    'Too many requests after too many wrong codes for this user; try again later.',
    async () => {
      // One wrong code is all the account may have judged: it waits a day before the next.
      const ctx = setup({limits: {maxAttempts: 1, maxFailuresPerAccount: 1}});
      const {json} = await issue(ctx, {stepName: 'one'});
      await confirm(ctx, json.requestId, wrongCode(String(json.code)));
      return issue(ctx, {stepName: 'two'});
    },
  ],
  [
    'resend-cooldown',
    'A new code can be sent shortly.',
    async () => {
      const ctx = setup();
      await issue(ctx);
      return issue(ctx);
    },
  ],
  [
    'resend-limit',
    'No more codes can be sent for this challenge.',
    async () => {
      const ctx = setup({limits: {maxResends: 0}});
      await issue(ctx);
      ctx.clock.now += 31_000;
      return issue(ctx);
    },
  ],
  [
    'request-in-progress',
    'The same request is still being answered.',
    async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let sending = () => {};
      const sent = new Promise<void>((resolve) => (sending = resolve));
      const ctx = setup({lookupUser: () => (sending(), held.then(() => true))});
      const key = {'idempotency-key': 'once'};
      // The first request holds its key until its answer: ask again while it looks the user up.
      const first = issue(ctx, {}, key);
      await sent;
      const second = await issue(ctx, {}, key);
      release();
      await first;
      return second;
    },
  ],
  [
    'idempotency-key-reused',
    'This Idempotency-Key was used for another request.',
    async () => {
      const ctx = setup();
      await issue(ctx, {}, {'idempotency-key': 'once'});
      return issue(ctx, {stepName: 'other'}, {'idempotency-key': 'once'});
    },
  ],
  [
    'unauthenticated',
    'Sign in first: there is no session.',
    () => issue(setup({authenticate: () => null})),
  ],
  [
    'forbidden',
    'This session cannot use codes for that user.',
    () => issue(setup({authenticate: () => 'bob'})),
  ],
  [
    'unknown-user',
    'There is no such user.',
    () => issue(setup({lookupUser: () => false, revealUnknownUsers: true})),
  ],
  [
    'busy',
    'The server is busy; try again shortly.',
    () => issue(setup({store: failing(new OtpStoreFullError())})),
  ],
  [
    'store-unavailable',
    'The server cannot reach its store; try again shortly.',
    () => issue(setup({store: failing(new OtpStoreUnavailableError())})),
  ],
  [
    'human-check-required',
    'Take the bot check and send its token as "humanToken" with this request.',
    () =>
      issue(
        setup({...byTestAddress, verifyHuman: () => true, limits: {issuesPerAddress: 1}}),
        {},
        {'x-test-address': '192.0.2.1'},
      ),
  ],
  [
    'internal-error',
    'The server could not handle the request.',
    () => issue(setup({store: failing(new Error('a bug'))})),
  ],
];

describe('problem details', () => {
  for (const [code, detail, answer] of CASES) {
    it(`${code}: "${detail}"`, async () => {
      const {json} = await answer();
      assert.equal(json.code, code);
      assert.equal(json.detail, detail);
    });
  }

  it('each reads as a sentence: a capital (or a quoted name) first, a full stop last', () => {
    for (const [, detail] of CASES) assert.match(detail, /^["A-Z].*[.]$/);
  });
});
