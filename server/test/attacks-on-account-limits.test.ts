/**
 * Attacks on the per-account limits: guessing and flooding one account by
 * rotating every field the caller controls (client, step name, spelling of the
 * user), locking the real user out, enumerating users, racing requests in
 * parallel, and the edges of the clock. The clock is the test's, so a day of
 * attacking takes a second. Tests titled "was broken" failed against the
 * server as first written (a security review) and pass since its fixes. Every
 * loop is bounded.
 */
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import {
  DEFAULT_LIMITS,
  memoryOtpStore,
  normalizeUser,
  toNodeListener,
  type OtpStore,
} from '../index.js';
import {reserveFailure, settleFailure, type FailurePolicy} from '../throttle.js';
import {
  byTestAddress,
  confirm,
  issue,
  issueBody,
  mostInAnySpan,
  setup,
  wrongCode,
} from './helpers.js';

/** The n-th address of a botnet (IPv4, all distinct). */
const bot = (n: number) => ({
  'x-test-address': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
});

/**
 * An app as many are written: its user table sits behind a case- and
 * accent-insensitive collation (MySQL *_ci, PostgreSQL ICU nondeterministic,
 * SQL Server CI_AS), modelled with ICU's own collator at base strength.
 */
const collator = new Intl.Collator('en', {sensitivity: 'base'});
const USERS = ['victim', 'alice', 'strasse', 'οδος'];
const rowOf = (user: string) => USERS.find((u) => collator.compare(u, user) === 0);

/** Invisible default-ignorable characters that are not Cc or Cf: variation selectors, CGJ, Mongolian FVS, Khmer inherent vowel. */
const IGNORABLE_NOT_CF = [
  '\uFE0F',
  '\uFE0E',
  '\uFE00',
  '\u034F',
  '\u180B',
  '\u17B4',
  '\u{E0100}',
];
/** The n-th spelling of "victim" an attacker makes from them: unbounded in number. */
const invisibleSpelling = (n: number) =>
  'victim' +
  IGNORABLE_NOT_CF[n % IGNORABLE_NOT_CF.length].repeat(
    1 + Math.floor(n / IGNORABLE_NOT_CF.length),
  );

describe('attack: guessing one account by rotating client and step name', () => {
  it('judges at most 100 wrong codes for an account in any 24 hours, over two days of trying', async () => {
    const ctx = setup(byTestAddress);
    const judged: number[] = [];
    let round = 0;
    let refusedIssues = 0;
    const end = ctx.clock.now + 48 * 3600_000;
    // Bounded in rounds too, so that a server without limits fails the test rather than hang it.
    while (ctx.clock.now < end && round < 5000) {
      round++;
      // A fresh challenge each time: new client, new step name, another spelling of the user.
      const spelling = ['victim', 'Victim', 'VICTIM', 'victim\u200b', 'ｖｉｃｔｉｍ'][
        round % 5
      ];
      const issued = await issue(ctx, spelling, {
        client: `client-${round}`,
        stepName: `step-${round}`,
      });
      if (issued.status !== 201) {
        refusedIssues++;
        ctx.clock.now += Number(issued.headers.get('retry-after') ?? 1) * 1000;
        continue;
      }
      const code = String(issued.json.code);
      for (;;) {
        const answer = await confirm(ctx, issued.json.requestId, wrongCode(code));
        if (answer.status === 422 || answer.status === 423) judged.push(ctx.clock.now);
        if (answer.status === 429) {
          ctx.clock.now += Number(answer.headers.get('retry-after')) * 1000;
          break;
        }
        if (answer.status !== 422) break;
      }
    }
    assert.ok(refusedIssues > 0, 'the account issue limit was reached too');
    assert.ok(judged.length >= 100, `the attack ran (${judged.length} judged)`);
    // NIST SP 800-63B-4 §3.2.2's bound, written out: the test holds the defaults to it.
    assert.ok(
      mostInAnySpan(judged, 24 * 3600_000) <= 100,
      `${mostInAnySpan(judged, 24 * 3600_000)} wrong codes judged in 24 hours`,
    );
  });

  it('judges at most one code’s attempts of 300 parallel wrong guesses across 30 codes', async () => {
    const ctx = setup({...byTestAddress, limits: {issuesPerWindow: 100}});
    const issued = await Promise.all(
      Array.from({length: 30}, (_, i) => issue(ctx, 'victim', {client: `c${i}`})),
    );
    const answers = await Promise.all(
      Array.from({length: 300}, (_, i) => {
        const {json} = issued[i % 30];
        return confirm(ctx, json.requestId, wrongCode(String(json.code)));
      }),
    );
    const judged = answers.filter((a) => a.status === 422 || a.status === 423);
    assert.equal(judged.length, DEFAULT_LIMITS.maxAttempts);
    assert.equal(answers.filter((a) => a.status === 429).length, 300 - judged.length);
  });

  it('grows the back-off with each wrong code, and a confirmed code clears it', async () => {
    const ctx = setup({...byTestAddress, limits: {issuesPerWindow: 100}});
    const waits: number[] = [];
    for (let i = 0; waits.length < 4 && i < 50; i++) {
      const {json} = await issue(ctx, 'victim', {client: `c${i}`});
      for (let guess = 0; guess < 5; guess++) {
        const answer = await confirm(ctx, json.requestId, wrongCode(String(json.code)));
        if (answer.status === 429) {
          const wait = Number(answer.headers.get('retry-after'));
          waits.push(wait);
          ctx.clock.now += wait * 1000;
        }
      }
    }
    assert.deepEqual(waits.slice(0, 4), [1, 2, 4, 8]);
    ctx.clock.now += DEFAULT_LIMITS.backoffMaxSeconds * 1000;
    const {json} = await issue(ctx, 'victim', {client: 'last'});
    assert.equal((await confirm(ctx, json.requestId, String(json.code))).status, 200);
    // Cleared: the next wrong code is judged at once.
    const next = await issue(ctx, 'victim', {client: 'after'});
    const answer = await confirm(
      ctx,
      next.json.requestId,
      wrongCode(String(next.json.code)),
    );
    assert.equal(answer.status, 422);
  });
});

describe('attack: codes that could never be judged', () => {
  it('sends no code while the account’s back-off outlasts the code’s lifetime', async () => {
    const ctx = setup({
      ...byTestAddress,
      limits: {backoffBaseSeconds: 1000, backoffMaxSeconds: 2000, issuesPerWindow: 100},
    });
    const {json} = await issue(ctx, 'victim');
    for (let i = 0; i < 5; i++)
      await confirm(ctx, json.requestId, wrongCode(String(json.code)));
    const refused = await issue(ctx, 'Victim', {client: 'other', lifetime: 300});
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '700');
    assert.equal(ctx.sent.length, 1);
    ctx.clock.now += 700_000;
    assert.equal((await issue(ctx, 'victim', {client: 'other'})).status, 201);
  });
});

describe('attack: refused issues filling an address’s window', () => {
  // An issue takes its address's place while it reads the back-off and claims
  // its Idempotency-Key (one round trip on Redis): a refusal by either, or a
  // replay, must hand the place back, or anyone could fill an address shared
  // by many (a NAT, an office) with requests that are refused anyway.
  it('takes no place for an issue the back-off refuses, nor for a replay of an answered one', async () => {
    const ctx = setup({
      ...byTestAddress,
      limits: {
        backoffBaseSeconds: 1000,
        backoffMaxSeconds: 2000,
        issuesPerWindow: 100,
        issuesPerAddress: 4,
      },
    });
    const {json} = await issue(ctx, 'victim');
    for (let i = 0; i < 5; i++)
      await confirm(ctx, json.requestId, wrongCode(String(json.code)));
    for (let i = 0; i < 10; i++)
      assert.equal((await issue(ctx, 'victim', {client: 'other'})).status, 429);
    const first = await issue(ctx, 'alice', {}, {'idempotency-key': 'k1'});
    assert.equal(first.status, 201);
    for (let i = 0; i < 10; i++) {
      const replayed = await issue(ctx, 'alice', {}, {'idempotency-key': 'k1'});
      assert.equal(replayed.json.requestId, first.json.requestId);
    }
    // Two places taken (victim, alice) of four: two more codes, then the window is full.
    assert.equal((await issue(ctx, 'bob')).status, 201);
    assert.equal((await issue(ctx, 'carol')).status, 201);
    assert.equal((await issue(ctx, 'dave')).status, 429);
  });
});

describe('attack: flooding one account with codes', () => {
  it('sends at most issuesPerWindow codes for 1,000 requests rotating client, step name and spelling', async () => {
    const ctx = setup(byTestAddress);
    const spellings = ['Victim', 'victim', 'VICTIM', 'victim\u200b', ' victim\u0000'];
    let refused = 0;
    for (let i = 0; i < 1000; i++) {
      const answer = await issue(ctx, spellings[i % spellings.length], {
        client: `client-${i}`,
        stepName: `step-${i}`,
      });
      if (answer.status === 429) refused++;
    }
    assert.equal(ctx.sent.length, DEFAULT_LIMITS.issuesPerWindow);
    assert.equal(refused, 1000 - DEFAULT_LIMITS.issuesPerWindow);
    // One account, whatever the spelling; each notification names the user as asked.
    assert.deepEqual(new Set(ctx.sent.map((n) => n.account)), new Set(['victim']));
  });

  it('limits issues per address, and believes X-Forwarded-For only from a trusted proxy', async () => {
    const ctx = setup();
    const server = createServer(toNodeListener(ctx.handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const flood = async (base: string) => {
      let issued = 0;
      for (let i = 0; i < 60; i++) {
        const answer = await fetch(`${base}/codes`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': `203.0.113.${i}`,
          },
          body: JSON.stringify(issueBody(`user-${base.length}-${i}`)),
        });
        if (answer.status === 201) issued++;
      }
      return issued;
    };
    try {
      // Anyone can write X-Forwarded-For: without trusted proxies it changes nothing.
      assert.equal(await flood(url), DEFAULT_LIMITS.issuesPerAddress);
      const proxied = setup({trustedProxies: ['127.0.0.1']});
      const behindProxy = createServer(toNodeListener(proxied.handler));
      await new Promise<void>((resolve) => behindProxy.listen(0, '127.0.0.1', resolve));
      const proxyUrl = `http://127.0.0.1:${(behindProxy.address() as AddressInfo).port}/x`;
      assert.equal(await flood(proxyUrl), 60);
      behindProxy.close();
    } finally {
      server.close();
    }
  });

  it('answers questions about users no faster than codes: lookupUser runs after the limits', async () => {
    let lookups = 0;
    const ctx = setup({
      ...byTestAddress,
      revealUnknownUsers: true,
      lookupUser: (user) => (lookups++, user === 'alice'),
    });
    const answers = [];
    for (let i = 0; i < 200; i++) answers.push((await issue(ctx, `guess-${i}`)).status);
    assert.equal(lookups, DEFAULT_LIMITS.issuesPerAddress);
    assert.equal(
      answers.filter((s) => s === 404).length,
      DEFAULT_LIMITS.issuesPerAddress,
    );
    assert.equal(answers.filter((s) => s === 429).length, 200 - lookups);
  });
});

describe('attack: locking the real user out', () => {
  it('lets refused requests use up nothing', async () => {
    const ctx = setup(byTestAddress);
    const first = await issue(ctx, 'victim');
    // Resends before the cooldown, bad parameters, confirmations of spent or unknown ids.
    for (let i = 0; i < 50; i++) {
      assert.equal((await issue(ctx, 'victim')).json.code, 'resend-cooldown');
      assert.equal((await issue(ctx, 'victim', {lifetime: 9999})).status, 400);
      assert.equal((await confirm(ctx, 'nope', '123456')).status, 404);
    }
    ctx.clock.now += 30_000;
    const resent = await issue(ctx, 'victim');
    assert.equal(resent.status, 201);
    assert.equal(resent.json.attemptsLeft, 5);
    assert.equal((await confirm(ctx, first.json.requestId, '123456')).status, 404);
    assert.equal(
      (await confirm(ctx, resent.json.requestId, String(resent.json.code))).status,
      200,
    );
  });

  it('with authenticate, a stranger cannot ask for, guess or burn the user’s codes', async () => {
    const ctx = setup({
      ...byTestAddress,
      authenticate: (request) => request.headers.get('x-session-user'),
    });
    const own = {'x-session-user': 'Victim'};
    const stranger = {'x-session-user': 'mallory'};
    assert.equal((await issue(ctx, 'victim', {}, {})).json.code, 'unauthenticated');
    assert.equal((await issue(ctx, 'victim', {}, stranger)).json.code, 'forbidden');
    const issued = await issue(ctx, 'VICTIM', {}, own);
    assert.equal(issued.status, 201);
    for (let i = 0; i < 500; i++) {
      const answer = await confirm(ctx, issued.json.requestId, '000000', stranger);
      assert.equal(answer.status, 403);
    }
    assert.equal((await confirm(ctx, issued.json.requestId, '000000')).status, 401);
    const mine = await confirm(ctx, issued.json.requestId, String(issued.json.code), own);
    assert.equal(mine.status, 200);
    assert.equal(ctx.sent.length, 1);
  });
});

describe('review: Unicode spellings of one account', () => {
  it('holds (was broken): invisible non-Cf characters (variation selectors, CGJ, FVS) make new accounts: SMS flood past issuesPerWindow', async () => {
    const toVictimPhone: string[] = [];
    const ctx = setup({
      ...byTestAddress,
      lookupUser: (user) => rowOf(user),
      notify: (n) => {
        if (rowOf(n.user) === 'victim') toVictimPhone.push(n.user);
      },
    });
    // The app sees these as its user "victim", and so does the server now.
    for (let n = 0; n < 14; n++) {
      assert.equal(rowOf(invisibleSpelling(n)), 'victim');
      assert.equal(normalizeUser(invisibleSpelling(n)), 'victim');
    }
    // 300 requests inside one 15-minute window, 1.5 s apart (under the 60/min global cap), from a botnet.
    for (let i = 0; i < 300; i++) {
      await issue(ctx, invisibleSpelling(i), {}, bot(i));
      ctx.clock.now += 1500;
    }
    const distinct = new Set(toVictimPhone).size;
    assert.ok(
      toVictimPhone.length <= DEFAULT_LIMITS.issuesPerWindow,
      `${toVictimPhone.length} codes reached victim's phone in ${Math.round(300 * 1.5)} s (limit ${DEFAULT_LIMITS.issuesPerWindow}); server saw ${distinct} "accounts"`,
    );
  });

  it('holds (was broken): ... and each invisible spelling has its own failure budget: >100 wrong codes judged on codes sent to the victim in 24 h', async () => {
    const ctx = setup({
      ...byTestAddress,
      lookupUser: (user) => rowOf(user),
      notify: () => undefined,
    });
    const judged: number[] = [];
    // 40 spellings, 5 free wrong guesses each, one new spelling a minute.
    for (let n = 0; n < 40; n++) {
      const issued = await issue(ctx, invisibleSpelling(n), {}, bot(n));
      if (issued.status !== 201) {
        ctx.clock.now += 60_000;
        continue;
      }
      for (let g = 0; g < 5; g++) {
        const answer = await confirm(
          ctx,
          issued.json.requestId,
          wrongCode(String(issued.json.code)),
        );
        if (answer.status === 422 || answer.status === 423) judged.push(ctx.clock.now);
      }
      ctx.clock.now += 60_000;
    }
    const most = mostInAnySpan(judged, 24 * 3600_000);
    assert.ok(
      most <= 100,
      `${most} wrong codes judged for the victim's phone in ${40} minutes`,
    );
  });

  it('holds (was broken): "case-folded" is toLowerCase, not case folding: ß/ss and final sigma stay two accounts', () => {
    const pairs: [string, string][] = [
      ['STRASSE', 'straße'],
      ['ΟΔΟΣ', 'οδοσ'],
      ['ΟΔΟΣ', 'ΟΔΟΣ'.toLowerCase()],
    ];
    const split = pairs.filter(([a, b]) => normalizeUser(a) !== normalizeUser(b));
    // String.prototype.toLowerCase keeps 'ß' and writes a final 'ς'; full case folding (CaseFolding.txt) gives 'ss' and 'σ'.
    assert.deepEqual(
      split.map(([a, b]) => `${a}→${normalizeUser(a)} vs ${b}→${normalizeUser(b)}`),
      [],
    );
  });

  it('holds (was broken): blank letters that are not Cf (U+3164, U+115F, U+1160, U+FFA0, U+2800) make look-alike accounts', () => {
    const blanks = ['\u3164', '\u115F', '\u1160', '\uFFA0', '\u2800'];
    const distinct = blanks.filter((b) => normalizeUser(`victim${b}`) !== 'victim');
    assert.deepEqual(
      distinct.map((b) => `U+${b.codePointAt(0)!.toString(16).toUpperCase()}`),
      [],
    );
  });

  it('holds: Turkish İ/ı, full-width, ligatures, zero-width and bidi marks normalise consistently and idempotently', () => {
    assert.equal(normalizeUser('ＶＩＣＴＩＭ\u200d\u2066'), 'victim');
    assert.equal(normalizeUser('ﬁx'), normalizeUser('FIX'));
    // İ lowercases to i + U+0307, as full case folding does; dotless ı stays itself: not "victim".
    assert.notEqual(normalizeUser('VİCTİM'), 'victim');
    assert.notEqual(normalizeUser('vıctım'), 'victim');
    // Idempotent over every code point (in a context that exercises final sigma).
    let bad = 0;
    for (let c = 0; c < 0x110000; c++) {
      if (c >= 0xd800 && c < 0xe000) continue;
      const s = `a${String.fromCodePoint(c)}Σ `;
      if (normalizeUser(normalizeUser(s)) !== normalizeUser(s)) bad++;
    }
    assert.equal(bad, 0);
  });

  it('holds: with authenticate, no other spelling gets past the session (403), the same account in any spelling does', async () => {
    const ctx = setup({
      ...byTestAddress,
      authenticate: () => 'victim',
    });
    // An invisible spelling of the session's own account is that account.
    assert.equal((await issue(ctx, invisibleSpelling(0))).status, 201);
    assert.equal((await issue(ctx, 'straße')).status, 403);
    // Another spelling again: the same account and challenge, so it waits for the cooldown.
    assert.equal((await issue(ctx, 'ＶＩＣＴＩＭ\u200b')).json.code, 'resend-cooldown');
  });

  it('holds: 200 parallel issues across spellings, clients and step names send issuesPerWindow codes', async () => {
    const ctx = setup(byTestAddress);
    const spellings = [
      'victim',
      'VICTIM',
      'Victim\u200b',
      'ｖｉｃｔｉｍ',
      '\u00advictim\u0007',
    ];
    const answers = await Promise.all(
      Array.from({length: 200}, (_, i) =>
        issue(ctx, spellings[i % 5], {client: `c${i}`, stepName: `s${i}`}, bot(i)),
      ),
    );
    assert.equal(ctx.sent.length, DEFAULT_LIMITS.issuesPerWindow);
    assert.equal(
      answers.filter((a) => a.status === 201).length,
      DEFAULT_LIMITS.issuesPerWindow,
    );
  });
});

describe('review: enumerating users', () => {
  it('holds (was broken): with the (since removed) server-wide notification cap reached, known users got 503 busy and unknown ones 201: an oracle, free for known users', async () => {
    const known = new Set(Array.from({length: 80}, (_, i) => `user-${i}`));
    const ctx = setup({...byTestAddress, lookupUser: (user) => known.has(user)});
    // What filled the old global cap of 60: two addresses, 30 each.
    for (let i = 0; i < 60; i++)
      assert.equal((await issue(ctx, `user-${i}`, {}, bot(i % 2))).status, 201);
    const probe = {'x-test-address': '203.0.113.77'};
    const knownAnswer = await issue(ctx, 'user-70', {}, probe);
    const unknownAnswer = await issue(ctx, 'nobody-1', {}, probe);
    // Probing known users is free: 100 more from one address, never rate-limited.
    let free = 0;
    for (let i = 0; i < 100; i++)
      if (
        (await issue(ctx, `user-${60 + (i % 20)}`, {client: `p${i}`}, probe)).status ===
        503
      )
        free++;
    assert.equal(
      knownAnswer.status,
      unknownAnswer.status,
      `known user → ${knownAnswer.status} ${knownAnswer.json.code}, unknown user → ${unknownAnswer.status}; ${free}/100 known-user probes from one address answered 503 without using its limit`,
    );
  });

  it('holds (was broken): a lookupUser that throws for unknown users gives 500 vs 201, and its refund makes probing unthrottled', async () => {
    const known = new Set(['alice']);
    const ctx = setup({
      ...byTestAddress,
      lookupUser: (user) => {
        if (!known.has(user)) throw new Error(`no such user ${user}`);
        return true;
      },
    });
    const statuses: Record<number, number> = {};
    for (let i = 0; i < 200; i++) {
      const s = (await issue(ctx, `guess-${i}`)).status;
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
    assert.equal(
      statuses[429] ?? 0,
      200 - DEFAULT_LIMITS.issuesPerAddress,
      `200 lookups from one address: ${JSON.stringify(statuses)} (limit ${DEFAULT_LIMITS.issuesPerAddress})`,
    );
  });
});

describe('review: races', () => {
  it('holds: resend racing confirm of the old code gives at most one confirmation and no stale code', async () => {
    let confirmations = 0;
    for (let round = 0; round < 20; round++) {
      const ctx = setup();
      const first = await issue(ctx, 'alice');
      ctx.clock.now += 30_000;
      const [c, r] = await Promise.all([
        confirm(ctx, first.json.requestId, String(first.json.code)),
        issue(ctx, 'alice'),
      ]);
      if (c.status === 200) confirmations++;
      // Whatever happened, the old code never confirms again and the resent one works once.
      assert.notEqual(
        (await confirm(ctx, first.json.requestId, String(first.json.code))).status,
        200,
      );
      if (r.status === 201)
        assert.equal(
          (await confirm(ctx, r.json.requestId, String(r.json.code))).status,
          200,
        );
    }
    assert.ok(confirmations <= 20);
  });

  it('holds: 40 parallel wrong confirms on one code count exactly what was judged (no over-refund)', async () => {
    const ctx = setup(byTestAddress);
    const issued = await issue(ctx, 'victim');
    const answers = await Promise.all(
      Array.from({length: 40}, () =>
        confirm(ctx, issued.json.requestId, wrongCode(String(issued.json.code))),
      ),
    );
    // What was judged is what the code counted: a 423 may also be a later guess
    // told the code is locked, without a judgement.
    const record = await ctx.store.update(
      `challenge:${JSON.stringify(['login', 'victim', 'web'])}`,
      (v) => [v, v as {failures: number}],
    );
    const account = await ctx.store.update('failures:"victim"', (v) => [
      v,
      v as {failures: number},
    ]);
    assert.equal(record.failures, DEFAULT_LIMITS.maxAttempts);
    assert.equal(account.failures, record.failures);
    assert.equal(answers.filter((a) => a.status === 422).length, record.failures - 1);
  });

  it('holds (was broken): a refund racing a judged failure rolls the account back to an older lastAt (throttle.ts settleFailure)', () => {
    const policy: FailurePolicy = {
      freeFailures: 5,
      backoffBaseMs: 1000,
      backoffMaxMs: 900_000,
      maxFailures: 100,
      memoryMs: 86_400_000,
    };
    const L = 0;
    const t = 86_000_000; // ~23.9 h later
    let value: unknown = {failures: 1, lastAt: L};
    // A (will not be judged: its code is replaced by a resend meanwhile) reserves first, then B.
    const [va, a] = reserveFailure(value, policy, t);
    value = va;
    const [vb, b] = reserveFailure(value, policy, t);
    value = vb;
    assert.equal(a.retryAfter, 0);
    assert.equal(b.retryAfter, 0);
    [value] = settleFailure(value, 'failed', policy, t); // B: a real wrong code at t
    const [after, , ttl] = settleFailure(value, 'not-judged', policy, t);
    const state = after as {failures: number; lastAt: number};
    assert.equal(state.failures, 2);
    assert.equal(
      state.lastAt,
      t,
      `B's wrong code at t is remembered as if at L: lastAt ${state.lastAt}, forgotten after ${Math.round(ttl! / 1000)} s instead of 86400 s`,
    );
  });

  it('holds (was broken): ... end to end: a resend racing a guess makes 3 wrong codes vanish early → >100 judged in one 24 h span', async () => {
    // A store with network latency (Redis, SQL), modelled as one update that can be held back.
    const clock = {now: 1_700_000_000_000};
    const inner = memoryOtpStore({now: () => clock.now});
    let hold:
      {key: string; skip: number; paused: () => void; release: Promise<void>} | undefined;
    const store: OtpStore = {
      async update(key, change) {
        if (hold && key === hold.key && hold.skip-- === 0) {
          const {paused, release} = hold;
          hold = undefined;
          paused();
          await release;
        }
        return inner.update(key, change);
      },
    };
    const ctx = setup({...byTestAddress, store, now: () => clock.now});
    ctx.clock = clock;
    const judged: number[] = [];
    const guess = async (requestId: unknown, code: string) => {
      const answer = await confirm(ctx, requestId, wrongCode(code));
      if (answer.status === 422 || answer.status === 423) judged.push(clock.now);
      return answer;
    };
    const L = clock.now;
    const z = await issue(ctx, 'victim', {client: 'z'}, bot(1));
    await guess(z.json.requestId, String(z.json.code));
    // Just before the count's day is over.
    clock.now = L + 24 * 3600_000 - 200_000;
    let x = await issue(ctx, 'victim', {client: 'x'}, bot(2));
    const y = await issue(ctx, 'victim', {client: 'y'}, bot(3));
    for (let round = 0; round < 3; round++) {
      clock.now += 31_000;
      let release!: () => void;
      const paused = new Promise<void>((resolve) => {
        hold = {
          key: `challenge:${JSON.stringify(['login', 'victim', 'x'])}`,
          skip: 1, // the first update is A's peek; hold its judgement
          paused: resolve,
          release: new Promise<void>((r) => (release = r)),
        };
      });
      const a = guess(x.json.requestId, String(x.json.code)); // A reserves, then waits
      await paused;
      const resent = await issue(ctx, 'victim', {client: 'x'}, bot(10 + round));
      assert.equal(resent.status, 201);
      assert.equal((await guess(y.json.requestId, String(y.json.code))).status, 422); // B: judged
      release();
      assert.equal((await a).status, 404); // A: not judged, refunded
      x = resent;
    }
    // Normal guessing from the day's end on, obeying every Retry-After, for 23 h.
    clock.now = L + 24 * 3600_000;
    const end = clock.now + 23 * 3600_000;
    for (let i = 0; i < 3000 && clock.now < end; i++) {
      const issued = await issue(ctx, 'victim', {client: `n${i}`}, bot(100 + i));
      if (issued.status !== 201) {
        clock.now += Number(issued.headers.get('retry-after') ?? 1) * 1000;
        continue;
      }
      const answer = await guess(issued.json.requestId, String(issued.json.code));
      if (answer.status === 429) {
        const wait = Number(answer.headers.get('retry-after'));
        if (wait >= 3600) break;
        clock.now += wait * 1000;
      }
    }
    const most = mostInAnySpan(judged, 24 * 3600_000);
    assert.ok(most <= 100, `${most} wrong codes judged in one 24 h span`);
  });

  it('holds: a slow notify holds up no answer, its own either; its challenge answers cooldown and replays', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sent: string[] = [];
    const ctx = setup({
      notify: async (n) => {
        if (n.user === 'slow') await gate;
        sent.push(n.user);
      },
    });
    const key = {'idempotency-key': 'slow-1'};
    const slow = await issue(ctx, 'slow', {}, key);
    assert.equal(slow.status, 201);
    const again = await issue(ctx, 'slow', {}, key);
    assert.equal(again.json.requestId, slow.json.requestId);
    const resend = await issue(ctx, 'slow', {client: 'web'});
    assert.equal(resend.json.code, 'resend-cooldown');
    const other = await issue(ctx, 'fast');
    assert.equal(other.status, 201);
    assert.equal(
      (await confirm(ctx, other.json.requestId, String(other.json.code))).status,
      200,
    );
    release();
    await ctx.handler.idle();
    assert.deepEqual(sent.sort(), ['fast', 'slow']);
  });
});

describe('review: clock edges', () => {
  it('holds per fixed window (note: 2× issuesPerWindow within 2 ms across a window edge)', async () => {
    const ctx = setup(byTestAddress);
    const start = ctx.clock.now;
    await issue(ctx, 'victim', {client: 'first'}, bot(0));
    const edge = start + DEFAULT_LIMITS.windowSeconds * 1000;
    ctx.clock.now = edge - 1;
    for (let i = 1; i < 500; i++) await issue(ctx, 'victim', {client: `a${i}`}, bot(i));
    ctx.clock.now = edge;
    for (let i = 0; i < 500; i++)
      await issue(ctx, 'victim', {client: `b${i}`}, bot(1000 + i));
    // 10 + 10 notifications, 10 of them in the last millisecond of a window and 10 in the first of the next.
    assert.equal(ctx.sent.length, 2 * DEFAULT_LIMITS.issuesPerWindow);
  });

  it('holds: a code confirms 1 ms before expiresAt and is 410 at expiresAt', async () => {
    const ctx = setup();
    const a = await issue(ctx, 'alice');
    ctx.clock.now += 300_000 - 1;
    assert.equal((await confirm(ctx, a.json.requestId, String(a.json.code))).status, 200);
    const b = await issue(ctx, 'bob');
    ctx.clock.now += 300_000;
    assert.equal((await confirm(ctx, b.json.requestId, String(b.json.code))).status, 410);
  });

  it('note: a confirmation by the real user clears the count, so an attacker gets a fresh budget the same day', async () => {
    const ctx = setup(byTestAddress);
    const judged: number[] = [];
    const start = ctx.clock.now;
    let n = 0;
    /** Wrong guesses on fresh codes until `stop` are judged or the account is refused for an hour or more. */
    const attack = async (stop: number) => {
      for (let i = 0; i < 1000 && judged.length < stop; i++) {
        const issued = await issue(ctx, 'victim', {client: `a${n++}`}, bot(n));
        if (issued.status !== 201) {
          ctx.clock.now += Number(issued.headers.get('retry-after') ?? 1) * 1000;
          continue;
        }
        const answer = await confirm(
          ctx,
          issued.json.requestId,
          wrongCode(String(issued.json.code)),
        );
        if (answer.status === 422 || answer.status === 423) judged.push(ctx.clock.now);
        if (answer.status === 429) {
          const wait = Number(answer.headers.get('retry-after'));
          if (wait >= 3600) return;
          ctx.clock.now += wait * 1000;
        }
      }
    };
    await attack(60);
    const beforeLogin = judged.length;
    // The victim logs in (waiting out the back-off like anyone).
    for (let i = 0; i < 5; i++) {
      const own = await issue(ctx, 'victim', {client: `own-${i}`}, bot(5000 + i));
      const answer = await confirm(ctx, own.json.requestId, String(own.json.code));
      if (answer.status === 200) break;
      ctx.clock.now += Number(answer.headers.get('retry-after') ?? 1) * 1000;
    }
    await attack(1000);
    const most = mostInAnySpan(judged, 24 * 3600_000);
    // Clear-on-confirm is itself a promise (NIST: "consecutive"): on each side of
    // the real user's confirmation, no 24 hours hold more than 100 wrong codes.
    const mostAfter = mostInAnySpan(judged.slice(beforeLogin), 24 * 3600_000);
    assert.ok(
      beforeLogin <= 100 && mostAfter <= 100,
      `${beforeLogin} then ${judged.length - beforeLogin} wrong codes (${judged.length} in ${Math.round((ctx.clock.now - start) / 3600_000)} h)`,
    );
    console.log(`# clear-on-confirm: ${most} wrong codes judged in one 24 h span`);
  });
});
