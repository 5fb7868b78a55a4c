/**
 * Attacks on the budgets that bound what the server sends (issue 19): the
 * address's window, the destination's and the country's. Each guard is also
 * asked whether an attacker can turn it against the users it protects: fill a
 * budget the real user shares, read from it who is a user, or learn from it
 * when to come back. The clock is the handler's own.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS} from '../index.js';
import {
  countryOf,
  mostInOneWindow,
  phoneNumbers,
  recordingSms,
  silentLogger,
  timesBy,
} from './abuse-world.js';
import {byTestAddress, confirm, issue, issueBody, post, setup} from './helpers.js';

/** The n-th address of a botnet (IPv4, all distinct). */
const bot = (n: number) => ({
  'x-test-address': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
});

describe('attack: a server-wide cap, filled by anyone', () => {
  it('holds: 60 requests a minute from 30 addresses for unknown names never make a real user’s request 503 busy', async () => {
    // Regression: a server-wide notificationsPerMinute of 60 answered everyone 503 once strangers filled it.
    const ctx = setup({
      ...byTestAddress,
      lookupUser: (user) => user === 'real-user',
    });
    const answers: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      for (let second = 0; second < 60; second++) {
        const i = minute * 60 + second;
        await issue(ctx, `nobody-${i}`, {}, bot(i % 30));
        if (second === 30) {
          const own = await issue(
            ctx,
            'real-user',
            {client: `web-${minute}`},
            {'x-test-address': '203.0.113.10'},
          );
          answers.push(`${own.status}${own.status === 201 ? '' : ` ${own.json.code}`}`);
        }
        ctx.clock.now += 1000;
      }
    }
    assert.deepEqual(answers, ['201', '201', '201', '201', '201']);
    assert.equal(ctx.sent.filter((n) => n.user === 'real-user').length, 5);
  });
});

describe('attack: learning from a refusal when a shared budget reopens', () => {
  it('refuses past the address’s window without Retry-After; past the account’s window with it', async () => {
    const ctx = setup(byTestAddress);
    const one = {'x-test-address': '198.51.100.7'};
    for (let i = 0; i < DEFAULT_LIMITS.issuesPerAddress; i++)
      assert.equal((await issue(ctx, `name-${i}`, {}, one)).status, 201);
    const shared = await issue(ctx, 'name-past', {}, one);
    assert.equal(shared.status, 429);
    // The address may be a carrier's NAT, shared with real users: telling the
    // attacker to the second when it reopens lets them fill it again at once.
    assert.equal(
      shared.headers.get('retry-after'),
      null,
      'a refusal from the address’s window carries no Retry-After',
    );

    for (let i = 0; i < DEFAULT_LIMITS.issuesPerWindow; i++)
      assert.equal((await issue(ctx, 'victim', {client: `c${i}`}, bot(i))).status, 201);
    const own = await issue(ctx, 'victim', {client: 'past'}, bot(999));
    assert.equal(own.status, 429);
    assert.match(
      String(own.headers.get('retry-after')),
      /^\d+$/,
      'a per-account refusal keeps its Retry-After',
    );
  });
});

describe('attack: flooding the country of a new user', () => {
  it('with verifyHuman, a new user of a country flooded by bots still gets codes, and the bots stay within the budget', async () => {
    // The country budget is shared by every new user of a country: bots with
    // accounts of their own whose phones are there could use it up and lock
    // those users out. verifyHuman is the way out the options give: past half
    // the budget a request needs a human token, which bots lack and people get.
    const HUMAN = 'a token only a person gets';
    const botPhones = phoneNumbers(50, '+3519123000', 2, 'PT', 'MOBILE');
    const directory = new Map(botPhones.map((phone, k) => [`bot-${k}`, {phone}]));
    directory.set('new-user', {phone: '+351912345678'});
    const sms = recordingSms(() => ctx.clock.now);
    const ctx = setup({
      ...byTestAddress,
      authenticate: (request) => request.headers.get('x-session'),
      lookupUser: (user) => directory.get(user) ?? null,
      notify: sms.notifier,
      verifyHuman: (token) => token === HUMAN,
      logger: silentLogger,
    });
    const person = {'x-session': 'new-user', 'x-test-address': '198.51.100.20'};
    /** A person: asked for the check (428), they pass it and ask again. */
    const signIn = async () => {
      let issued = await issue(ctx, 'new-user', {}, person);
      if (issued.status === 428 && issued.json.code === 'human-check-required')
        issued = await issue(ctx, 'new-user', {humanToken: HUMAN}, person);
      if (issued.status !== 201) return `issue ${issued.status} ${issued.json.code}`;
      await ctx.handler.idle();
      const message = sms.sends.find((s) => s.requestId === issued.json.requestId);
      if (!message) return 'no message';
      const answer = await confirm(ctx, issued.json.requestId, message.code, person);
      return answer.status === 200 ? undefined : `confirm ${answer.status}`;
    };
    const runs: (string | undefined)[] = [];
    const refusedBots: Record<number, number> = {};
    let n = 0;
    for (let s = 0; s < 30 * 60; s++) {
      const wave = Array.from({length: 10}, async () => {
        const i = n++;
        const user = `bot-${i % 50}`;
        const answer = await post(
          ctx.handler,
          '/otp/codes',
          issueBody(user, {client: `b${i}`}),
          {
            'x-session': user,
            ...bot(i % 1000),
          },
        );
        refusedBots[answer.status] = (refusedBots[answer.status] ?? 0) + 1;
      });
      const own = s % 190 === 100 ? signIn() : undefined;
      await Promise.all(wave);
      if (own) runs.push(await own);
      ctx.clock.now += 1000;
    }
    const botSends = sms.sends.filter((m) => m.user !== 'new-user');
    const perHour = mostInOneWindow(
      botSends.map((m) => m.at),
      3600_000,
    );
    const perCountry = timesBy(
      botSends,
      (m) => countryOf(m.phone),
      () => 0,
    );
    console.log(
      `# flooded country: new user ${runs.filter((r) => !r).length}/${runs.length} signed in (${[...new Set(runs.filter(Boolean))].join('; ') || 'no failures'}); bots sent ${botSends.length} (${[...perCountry.keys()].join(', ')}), most in one hour ${perHour}; bot answers ${JSON.stringify(refusedBots)}`,
    );
    const rate = runs.filter((r) => !r).length / runs.length;
    assert.ok(
      rate >= 0.95,
      `the new user signed in ${(100 * rate).toFixed(0)} %: ${runs.join(', ')}`,
    );
    assert.ok(
      perHour <= DEFAULT_LIMITS.unconfirmedPerCountry,
      `${perHour} unconfirmed messages to PT in one hour (budget ${DEFAULT_LIMITS.unconfirmedPerCountry})`,
    );
  });
});

describe('attack: pumping premium-rate numbers whose codes the attacker confirms', () => {
  it('note: confirmed codes are outside the country budget, so sendsPerDestination is what bounds the pumping', async () => {
    // A premium-rate number is the attacker's own: they can read its codes
    // and confirm them, and a confirmed code is not counted by the country
    // budget (and makes the number trusted). Only the destination budget is left.
    const premium = phoneNumbers(50, '+371901000', 2, 'LV', 'PREMIUM_RATE');
    const directory = new Map(premium.map((phone, k) => [`prem-${k}`, {phone}]));
    const sms = recordingSms(() => ctx.clock.now);
    const ctx = setup({
      ...byTestAddress,
      authenticate: (request) => request.headers.get('x-session'),
      lookupUser: (user) => directory.get(user) ?? null,
      notify: sms.notifier,
      logger: silentLogger,
    });
    let confirmed = 0;
    for (let minute = 0; minute < 60; minute++) {
      const issued = await Promise.all(
        premium.map((_, k) =>
          issue(
            ctx,
            `prem-${k}`,
            {client: `m${minute}`},
            {'x-session': `prem-${k}`, ...bot(minute * 50 + k)},
          ),
        ),
      );
      await ctx.handler.idle();
      for (const [k, answer] of issued.entries()) {
        const message = sms.sends.find((s) => s.requestId === answer.json.requestId);
        if (!message) continue;
        const session = {'x-session': `prem-${k}`};
        const done = await confirm(ctx, answer.json.requestId, message.code, session);
        if (done.status === 200) confirmed++;
      }
      ctx.clock.now += 60_000;
    }
    const windowMs = DEFAULT_LIMITS.windowSeconds * 1000;
    const perNumber = timesBy(
      sms.sends,
      (s) => s.phone,
      (s) => s.at,
    );
    const most = Math.max(
      ...[...perNumber.values()].map((t) => mostInOneWindow(t, windowMs)),
    );
    console.log(
      `# confirmed pumping: ${sms.sends.length} messages to LV premium-rate numbers in one hour, ${confirmed} confirmed (country budget ${DEFAULT_LIMITS.unconfirmedPerCountry} unconfirmed/h); most to one number in one window ${most}`,
    );
    assert.ok(
      most <= DEFAULT_LIMITS.sendsPerDestination,
      `${most} messages to one number in one ${DEFAULT_LIMITS.windowSeconds} s window (budget ${DEFAULT_LIMITS.sendsPerDestination})`,
    );
  });
});
