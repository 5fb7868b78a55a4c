import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createOtpHandler} from '../index.js';
import {
  assertConforms,
  confirm,
  issue,
  post,
  recordingLogger,
  SECRET,
  setup,
  wrongCode,
} from './helpers.js';

describe('reference server: issuing', () => {
  it('issues a code, sends it through notify, and returns it only in test mode', async () => {
    const ctx = setup();
    const answer = await issue(ctx);
    assert.equal(answer.status, 201);
    assert.match(String(answer.json.code), /^\d{6}$/);
    assert.equal(answer.json.expiresIn, 300);
    assert.equal(answer.json.resendIn, 30);
    assert.equal(answer.json.attemptsLeft, 5);
    assert.equal(ctx.sent.length, 1);
    assert.deepEqual(
      {...ctx.sent[0], expiresAt: ctx.sent[0].expiresAt.toISOString()},
      {
        user: 'alice',
        account: 'alice',
        client: 'web',
        code: answer.json.code,
        expiresAt: answer.json.expiresAt,
        template: 'one-time-code',
        stepName: 'login',
        sourceStep: 'get-user-info',
        requestId: answer.json.requestId,
        to: {},
        language: 'en',
      },
    );

    const production = setup({testMode: false});
    const quiet = await issue(production);
    assert.equal(quiet.status, 201);
    assert.equal('code' in quiet.json, false);
    assert.match(production.sent[0].code, /^\d{6}$/);
  });

  it('stores an HMAC of the code, never the code', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    const stored = JSON.stringify(await ctx.values());
    assert.equal(stored.includes(String(json.code)), false);
    const record = (await ctx.values()).find(
      (v) => (v as {requestId?: string}).requestId === json.requestId,
    ) as {
      digest: Buffer;
    };
    assert.equal(record.digest.length, 32);
  });

  it('refuses test mode and the console notify outside development and tests, NODE_ENV unset included', () => {
    const before = process.env.NODE_ENV;
    const {logger} = recordingLogger();
    try {
      for (const environment of ['production', 'staging', 'Development', '', undefined]) {
        if (environment === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = environment;
        assert.throws(
          () =>
            createOtpHandler({secret: SECRET, testMode: true, notify: () => {}, logger}),
          /testMode/,
          String(environment),
        );
        assert.throws(() => createOtpHandler({secret: SECRET, logger}), /notify/);
        assert.doesNotThrow(() =>
          createOtpHandler({secret: SECRET, notify: () => {}, logger}),
        );
      }
      for (const environment of ['development', 'test']) {
        process.env.NODE_ENV = environment;
        assert.doesNotThrow(() =>
          createOtpHandler({secret: SECRET, testMode: true, logger}),
        );
      }
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('refuses a short secret or one byte repeated, and copies a byte secret', async () => {
    assert.throws(() => createOtpHandler({secret: 'short'}), /32 bytes/);
    assert.throws(() => createOtpHandler({secret: 'a'.repeat(64)}), /repeated/);
    assert.throws(() => createOtpHandler({secret: new Uint8Array(32)}), /repeated/);
    const bytes = new Uint8Array(32).map((_, i) => i + 1);
    const ctx = setup({secret: bytes});
    const {json} = await issue(ctx);
    // The caller wipes its buffer, as careful code does: the server's codes still work.
    bytes.fill(0);
    assert.equal((await confirm(ctx, json.requestId, String(json.code))).status, 200);
  });

  it('answers an unknown user as a known one, and sends nothing, unless told to reveal it', async () => {
    const hidden = setup({lookupUser: (user) => user === 'alice'});
    const decoy = await issue(hidden, 'mallory');
    const real = await issue(hidden, 'alice');
    assert.equal(decoy.status, 201);
    assert.deepEqual(
      Object.keys(decoy.json).sort(),
      Object.keys(real.json)
        .sort()
        .filter((k) => k !== 'code'),
    );
    assert.deepEqual(
      hidden.sent.map((n) => n.user),
      ['alice'],
    );
    // Nothing confirms a decoy: every guess is a wrong code, as for a real user.
    const guess = await confirm(hidden, decoy.json.requestId, '123456');
    assert.equal(guess.status, 422);
    assert.equal(guess.json.attemptsLeft, 4);

    const revealing = setup({
      lookupUser: (user) => user === 'alice',
      revealUnknownUsers: true,
    });
    const answer = await issue(revealing, 'mallory');
    assert.equal(answer.status, 404);
    assert.equal(answer.json.code, 'unknown-user');
    assert.equal(revealing.sent.length, 0);
    assert.equal((await issue(revealing, 'alice')).status, 201);
  });

  it('checks the parameters against its own limits', async () => {
    const ctx = setup();
    const cases: [Record<string, unknown>, string][] = [
      [{user: ''}, 'user-required'],
      [{lifetime: 0}, 'invalid-lifetime'],
      [{lifetime: 601}, 'invalid-lifetime'],
      [{length: 4}, 'invalid-length'],
      [{length: 11}, 'invalid-length'],
      [{alphabet: 'hex'}, 'invalid-alphabet'],
      [{lifetime: '5m'}, 'invalid-request'],
      [{user: 42}, 'invalid-request'],
    ];
    for (const [extra, code] of cases) {
      const answer = await issue(ctx, 'alice', extra);
      assert.equal(answer.status, 400, JSON.stringify(extra));
      assert.equal(answer.json.code, code, JSON.stringify(extra));
    }
    assert.equal(ctx.sent.length, 0);
  });

  it('waits for the cooldown before a resend, which replaces the code and keeps the failures', async () => {
    const ctx = setup();
    const first = await issue(ctx);
    await confirm(ctx, first.json.requestId, wrongCode(String(first.json.code)));
    ctx.clock.now += 10_000;
    const early = await issue(ctx);
    assert.equal(early.status, 429);
    assert.equal(early.json.code, 'resend-cooldown');
    assert.equal(early.headers.get('retry-after'), '20');

    ctx.clock.now += 20_000;
    const second = await issue(ctx);
    assert.equal(second.status, 201);
    assert.equal(second.json.attemptsLeft, 4);
    const old = await confirm(ctx, first.json.requestId, String(first.json.code));
    assert.equal(old.json.code, 'unknown-request');
    assert.equal(
      (await confirm(ctx, second.json.requestId, String(second.json.code))).status,
      200,
    );
  });

  it('answers requests beyond the issue rate limit with 429 and Retry-After', async () => {
    const ctx = setup({
      limits: {issuesPerWindow: 3, windowSeconds: 60, resendAfterSeconds: 0},
    });
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await issue(ctx, 'alice', {stepName: `s${i}`})).status);
    assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429]);
    const refused = await issue(ctx, 'alice', {stepName: 'again'});
    assert.equal(refused.json.code, 'rate-limited');
    assert.equal(refused.headers.get('retry-after'), '60');
    // Another user is not held back, and the window ends.
    assert.equal((await issue(ctx, 'bob')).status, 201);
    ctx.clock.now += 60_000;
    assert.equal((await issue(ctx, 'alice', {stepName: 'later'})).status, 201);
  });

  it('answers a retried request with the same idempotency key without a second code', async () => {
    const ctx = setup();
    const headers = {'idempotency-key': 'key-1'};
    const first = await issue(ctx, 'alice', {}, headers);
    const again = await issue(ctx, 'alice', {}, headers);
    assert.equal(again.status, 201);
    assert.equal(again.json.requestId, first.json.requestId);
    assert.equal(ctx.sent.length, 1);
    // Two at once: one is answered, the other told to come back.
    const both = await Promise.all([
      issue(ctx, 'carol', {}, {'idempotency-key': 'k2'}),
      issue(ctx, 'carol', {}, {'idempotency-key': 'k2'}),
    ]);
    assert.deepEqual(both.map((a) => a.status).sort(), [201, 409]);
    assert.equal(ctx.sent.length, 2);
  });
});

describe('reference server: confirming', () => {
  it('confirms the right code once', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    const ok = await confirm(
      ctx,
      json.requestId,
      ` ${String(json.code).slice(0, 3)}-${String(json.code).slice(3)} `,
    );
    assert.equal(ok.status, 200);
    assert.equal(ok.json.status, 'confirmed');
    assert.equal(ok.json.requestId, json.requestId);
    assert.match(String(ok.json.confirmation), /^v1\.[\w-]+\.[\w-]+$/);
    const again = await confirm(ctx, json.requestId, String(json.code));
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'used');
  });

  it('gives exactly one success among 200 parallel confirmations of one code', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    const answers = await Promise.all(
      Array.from({length: 200}, () => confirm(ctx, json.requestId, String(json.code))),
    );
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    // The others find it used, or wait behind the account's reserved attempts.
    assert.equal(
      answers.filter((a) => a.json.code === 'used' || a.json.code === 'rate-limited')
        .length,
      199,
    );
  });

  it('cuts 10,000 guesses off at the maximum number of attempts', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    const code = String(json.code);
    let invalid = 0;
    let locked = 0;
    let confirmed = 0;
    let limited = 0;
    for (let guess = 0; guess < 10_000; guess++) {
      const answer = await post(ctx.handler, `/otp/codes/${json.requestId}/confirm`, {
        code: String(guess).padStart(6, '0'),
      });
      if (answer.status === 200) confirmed++;
      else if (answer.json.code === 'invalid-code') invalid++;
      else if (answer.json.code === 'locked') locked++;
      else if (answer.json.code === 'rate-limited') limited++;
    }
    // At most 5 guesses were judged at all; the 5th wrong one locked it, and the
    // account's back-off refused the rest without judging them.
    assert.equal(invalid + confirmed <= 5, true);
    assert.equal(invalid + locked + confirmed + limited, 10_000);
    if (confirmed === 0) assert.equal(invalid, 4);
    const last = await confirm(ctx, json.requestId, code);
    assert.equal(last.json.code, confirmed ? 'used' : 'locked');
    // And no new code while it is locked.
    if (!confirmed) assert.equal((await issue(ctx)).json.code, 'locked');
  });

  it('rejects an expired code with 410', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    ctx.clock.now += 300_000;
    const answer = await confirm(ctx, json.requestId, String(json.code));
    assert.equal(answer.status, 410);
    assert.equal(answer.json.code, 'expired');
  });

  it('says when the request id is unknown', async () => {
    const ctx = setup();
    const answer = await confirm(ctx, 'no-such-request', '123456');
    assert.equal(answer.status, 404);
    assert.equal(answer.json.code, 'unknown-request');
    assert.equal((await confirm(ctx, '%E0%A4%A', '123456')).json.code, 'unknown-request');
  });

  it('counts a code of the wrong shape as a wrong code', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    const answer = await confirm(ctx, json.requestId, 'abc');
    assert.equal(answer.status, 422);
    assert.equal(answer.json.attemptsLeft, 4);
  });
});

describe('reference server: bad requests', () => {
  it('answers oversized, mistyped and malformed bodies with problem+json', async () => {
    const ctx = setup();
    const big = await post(ctx.handler, '/otp/codes', {user: 'a'.repeat(5000)});
    assert.equal(big.status, 413);
    assertConforms('/codes', big);

    const text = await ctx.handler(
      new Request('http://localhost/otp/codes', {
        method: 'POST',
        headers: {'content-type': 'text/plain'},
        body: '{}',
      }),
    );
    assert.equal(text.status, 415);
    assert.equal(text.headers.get('content-type'), 'application/problem+json');

    const broken = await post(ctx.handler, '/otp/codes', '{"user": ');
    assert.equal(broken.status, 400);
    assert.equal(broken.json.code, 'malformed-json');
    assertConforms('/codes', broken);

    const getting = await ctx.handler(new Request('http://localhost/otp/codes'));
    assert.equal(getting.status, 405);
    assert.equal(getting.headers.get('allow'), 'POST');
    assert.equal(
      (await ctx.handler(new Request('http://localhost/elsewhere'))).status,
      404,
    );
  });

  it('never fails on odd input', async () => {
    const ctx = setup();
    const bodies = [
      'null',
      '[]',
      '"text"',
      '42',
      'true',
      '{"user": null}',
      '{"user": {"$gt": ""}}',
      '{"user": "a", "length": 1e308}',
      '{"user": "a", "lifetime": -0}',
      '{"__proto__": {"user": "x"}}',
      '\u0000',
      '{"user": "\ud800"}',
      '{"code": []}',
    ];
    for (const body of bodies) {
      for (const path of ['/otp/codes', '/otp/codes/x/confirm']) {
        const answer = await post(ctx.handler, path, body);
        // Odd is not always wrong (a lone surrogate is still a string), but nothing breaks.
        assert.ok(answer.status < 500, `${path} ${body} gave ${answer.status}`);
        assert.equal(typeof (answer.json.code ?? answer.json.requestId), 'string');
      }
    }
    const invalidUtf8 = await ctx.handler(
      new Request('http://localhost/otp/codes', {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: new Uint8Array([0x7b, 0xff, 0x7d]),
      }),
    );
    assert.equal(invalidUtf8.status, 400);
  });
});

describe('createOtpHandler start-up', () => {
  it('says once that any caller can ask for any user when there is no authenticate', () => {
    const ctx = setup();
    assert.equal(ctx.logged.filter((l) => l.includes('no authenticate')).length, 1);
    const bound = setup({authenticate: () => 'alice'});
    assert.equal(bound.logged.filter((l) => l.includes('no authenticate')).length, 0);
  });

  it('gives that advice once per logger, however many handlers an app builds on it (npm start builds three)', () => {
    const lines: string[] = [];
    const logger = {
      info: () => {},
      warn: (l: string) => void lines.push(l),
      error: () => {},
    };
    for (let i = 0; i < 3; i++) createOtpHandler({secret: SECRET, logger});
    assert.equal(lines.filter((l) => l.includes('no authenticate')).length, 1);
    // Another logger is another audience: it hears it too.
    const other: string[] = [];
    createOtpHandler({
      secret: SECRET,
      logger: {...logger, warn: (l) => void other.push(l)},
    });
    assert.equal(other.filter((l) => l.includes('no authenticate')).length, 1);
  });
});
