import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {countryOf} from '../issue/spend.js';
import {
  DEFAULT_LIMITS,
  memoryOtpStore,
  OtpStoreUnavailableError,
  type OtpHandlerOptions,
  type OtpStore,
} from '../index.js';
import {byTestAddress, confirm, issue, send, setup, type Ctx} from './helpers.js';

/** Each user's phone, as `lookupUser` answers it; every other user is unknown. */
function withPhones(
  phones: Record<string, string>,
  extra: Partial<OtpHandlerOptions> = {},
) {
  return setup({
    ...byTestAddress,
    lookupUser: (user) => (phones[user] ? {phone: phones[user]} : null),
    ...extra,
  });
}

/** Every request from an address of its own, so the address's window is not what refuses. */
let addresses = 0;
const fresh = () => ({
  'x-test-address': `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses++ & 255}`,
});

async function status(ctx: Ctx, requestId: unknown) {
  const answer = await send(ctx.handler, `/otp/codes/${requestId}`, {
    method: 'GET',
    headers: fresh(),
  });
  return (await answer.json()) as Record<string, unknown>;
}

/** Issues for `user` from a new address and client, so only the spend budgets can refuse. */
const ask = (ctx: Ctx, user: string, i: number) =>
  issue(ctx, user, {client: `c${i}`}, fresh());

describe('spend budgets: per destination', () => {
  it('sends at most sendsPerDestination codes to one number per window, however many accounts name it', async () => {
    // Twenty accounts of one attacker, all with the victim's number: a bombing of one phone.
    const phones = Object.fromEntries(
      Array.from({length: 20}, (_, i) => [`acct-${i}`, '+351912345678']),
    );
    const ctx = withPhones(phones);
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await ask(ctx, `acct-${i}`, i));
    // Every answer is a 201, as if sent: the caller learns nothing of the budget.
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]));
    assert.deepEqual(new Set(answers.map((a) => a.json.delivery)), new Set(['queued']));
    assert.equal(ctx.sent.length, DEFAULT_LIMITS.sendsPerDestination);
    // Cut ones show queued at first (as decoys do), then failed.
    const cut = answers[DEFAULT_LIMITS.sendsPerDestination].json.requestId;
    assert.equal((await status(ctx, cut)).delivery, 'queued');
    ctx.clock.now += 2000;
    assert.equal((await status(ctx, cut)).delivery, 'failed');
    assert.ok(ctx.logged.some((l) => l.includes('(sends-per-destination)')));
    assert.ok(
      !ctx.logged.some((l) => l.includes('+351912345678')),
      'a number in the log',
    );
    // Another number is not touched by it; the window's end opens the first again.
    const other = withPhones({a: '+351912345679'});
    await ask(other, 'a', 0);
    assert.equal(other.sent.length, 1);
    ctx.clock.now += DEFAULT_LIMITS.windowSeconds * 1000;
    await ask(ctx, 'acct-0', 99);
    assert.equal(ctx.sent.length, DEFAULT_LIMITS.sendsPerDestination + 1);
  });

  it('counts e-mail addresses alike, whatever their case', async () => {
    const ctx = setup({
      ...byTestAddress,
      lookupUser: (user) => ({
        email: user.startsWith('a') ? 'Ann@Example.com' : 'ann@example.com',
      }),
    });
    for (let i = 0; i < 8; i++) await ask(ctx, i % 2 ? `a${i}` : `b${i}`, i);
    assert.equal(ctx.sent.length, DEFAULT_LIMITS.sendsPerDestination);
  });

  it('keeps no destination in the clear at rest', async () => {
    const ctx = withPhones({alice: '+351912345678'});
    await ask(ctx, 'alice', 0);
    const stored = JSON.stringify(await ctx.values());
    assert.ok(!stored.includes('912345678'), stored);
  });
});

describe('spend budgets: per SMS country', () => {
  /** `n` accounts with numbers in Latvia (+371 2x xxx xxx, mobile). */
  const latvian = (n: number, from = 0) =>
    Object.fromEntries(
      Array.from({length: n}, (_, i) => [
        `lv-${from + i}`,
        `+3712${String(1000000 + from + i).slice(-7)}`,
      ]),
    );

  it('reads the country from the number with libphonenumber, or its calling code where it has none', () => {
    assert.equal(countryOf('+37121000001'), 'LV');
    assert.equal(countryOf('+14155550100'), 'US');
    assert.equal(countryOf('+16135550100'), 'CA');
    assert.equal(countryOf('+88160000000'), '+881');
    assert.equal(countryOf('nonsense'), undefined);
  });

  it('cuts a country flooded without confirmations at unconfirmedPerCountry an hour, and never one whose users confirm', async () => {
    const limits = {unconfirmedPerCountry: 20};
    const flooded = withPhones(latvian(40), {limits});
    for (let i = 0; i < 40; i++) await ask(flooded, `lv-${i}`, i);
    assert.equal(flooded.sent.length, 20);
    assert.ok(flooded.logged.some((l) => l.includes('(unconfirmed-per-country)')));
    // Other countries are not touched by it.
    const elsewhere = withPhones({pt: '+351912345678'}, {limits});
    await ask(elsewhere, 'pt', 0);
    assert.equal(elsewhere.sent.length, 1);
    // The next hour the country gets its budget again.
    flooded.clock.now += 60 * 60 * 1000;
    await ask(flooded, 'lv-39', 100);
    assert.equal(flooded.sent.length, 21);

    // The same 40 sends, each confirmed: every one goes out.
    const converting = withPhones(latvian(40), {limits});
    for (let i = 0; i < 40; i++) {
      const {json} = await ask(converting, `lv-${i}`, i);
      assert.equal(
        (await confirm(converting, json.requestId, String(json.code))).status,
        200,
      );
    }
    assert.equal(converting.sent.length, 40);
  });

  it('exempts a destination that confirmed within trustedDestinationDays from the country budget, not from its own', async () => {
    const limits = {unconfirmedPerCountry: 5};
    const ctx = withPhones({...latvian(10), regular: '+37129999999'}, {limits});
    const first = await ask(ctx, 'regular', 0);
    await confirm(ctx, first.json.requestId, String(first.json.code));
    for (let i = 0; i < 10; i++) await ask(ctx, `lv-${i}`, i + 1);
    const before = ctx.sent.length;
    ctx.clock.now += 60_000;
    const trusted = await ask(ctx, 'regular', 50);
    assert.equal(ctx.sent.length, before + 1, 'the trusted number was cut');
    await confirm(ctx, trusted.json.requestId, String(trusted.json.code));
    // Its own budget still holds: 5 a window (2 used).
    for (let i = 0; i < 10; i++) await ask(ctx, 'regular', 60 + i);
    assert.equal(ctx.sent.filter((n) => n.user === 'regular').length, 5);
    // Past the trust, it counts under its country again.
    ctx.clock.now += (DEFAULT_LIMITS.trustedDestinationDays + 1) * 24 * 60 * 60 * 1000;
    for (let i = 0; i < 5; i++) await ask(ctx, `lv-${i}`, 200 + i);
    const sent = ctx.sent.length;
    await ask(ctx, 'regular', 300);
    assert.equal(ctx.sent.length, sent, 'trusted after its days ran out');
  });

  it('sends SMS only to the countries of smsCountries, and refuses a list it cannot use at start-up', async () => {
    const ctx = withPhones(
      {pt: '+351912345678', lv: '+37121000001', sat: '+88160000000'},
      {smsCountries: ['PT', 'BR']},
    );
    for (const user of ['pt', 'lv', 'sat'])
      assert.equal((await ask(ctx, user, 0)).status, 201);
    assert.deepEqual(
      ctx.sent.map((n) => n.user),
      ['pt'],
    );
    assert.ok(ctx.logged.some((l) => l.includes('(sms-country)')));
    assert.throws(
      () => setup({smsCountries: ['pt']}),
      /"pt", which is not an ISO 3166-1/,
    );
    assert.throws(() => setup({smsCountries: []}), /non-empty array/);
  });
});

describe('spend budgets: settling on confirmation', () => {
  it('still gives the confirmed user their token when the store fails while settling, and logs it', async () => {
    const inner = memoryOtpStore();
    let failing = false;
    const store: OtpStore = {
      update: (key, change) =>
        failing && key.startsWith('trusted-destination:')
          ? Promise.reject(new OtpStoreUnavailableError())
          : inner.update(key, change),
    };
    const ctx = withPhones({alice: '+351912345678'}, {store});
    const {json} = await ask(ctx, 'alice', 0);
    assert.equal(typeof json.requestId, 'string');
    failing = true;
    const confirmed = await confirm(ctx, json.requestId, String(json.code));
    assert.equal(confirmed.status, 200);
    assert.match(String(confirmed.json.confirmation), /^v1\./);
    // Settled behind the answer: logged once that is done.
    await ctx.handler.idle();
    assert.ok(ctx.logged.some((l) => l.includes('could not settle the sending budgets')));
    inner.close();
  });
});

describe('spend budgets: premium-rate numbers', () => {
  it('sends nothing to a premium-rate number (libphonenumber type PREMIUM_RATE), answering as if sent', async () => {
    const ctx = withPhones({
      lv: '+37190100001',
      us: '+19005550100',
      mobile: '+37121000001',
    });
    for (const user of ['lv', 'us', 'mobile'])
      assert.equal((await ask(ctx, user, 0)).status, 201);
    assert.deepEqual(
      ctx.sent.map((n) => n.user),
      ['mobile'],
    );
    assert.equal(ctx.logged.filter((l) => l.includes('(premium-rate)')).length, 2);
  });
});

describe('spend budgets: what sends nothing costs nothing', () => {
  it('lets 10,000 decoys and test-user sign-ins take no place in any delivery budget', async () => {
    const ctx = withPhones(
      {alice: '+351912345678'},
      {
        testUsers: {reviewer: '135790'},
        limits: {unconfirmedPerCountry: 1, sendsPerDestination: 1},
      },
    );
    for (let i = 0; i < 10_000; i++)
      await ask(ctx, i % 2 ? `nobody-${i}` : 'reviewer', i);
    assert.equal(ctx.sent.length, 0);
    await ask(ctx, 'alice', 0);
    assert.equal(ctx.sent.length, 1);
  });
});

describe('shared budgets carry no Retry-After', () => {
  it('refuses an address past issuesPerAddress without Retry-After, and an account past its window with it', async () => {
    const ctx = setup(byTestAddress);
    const one = {'x-test-address': '192.0.2.7'};
    let refused;
    for (let i = 0; i <= DEFAULT_LIMITS.issuesPerAddress; i++)
      refused = await issue(ctx, `user-${i}`, {}, one);
    assert.equal(refused?.status, 429);
    assert.equal(refused?.headers.get('retry-after'), null);
    assert.equal(refused?.json.retryAfter, undefined);
    for (let i = 0; i <= DEFAULT_LIMITS.issuesPerWindow; i++)
      refused = await issue(ctx, 'victim', {client: `c${i}`}, fresh());
    assert.equal(refused?.status, 429);
    assert.ok(Number(refused?.headers.get('retry-after')) > 0);
  });
});
