/**
 * The abuse suite (issue 19): the server under a sustained attack with its
 * default limits, on the memory store and (npm test's second pass) on a real
 * Redis. Thirty simulated minutes on the handler's own clock, 6,000 issue
 * requests a minute from 1,000 addresses: a third for made-up names, a third
 * for the attacker's own accounts, a third for their own accounts whose phones
 * are premium-rate numbers of one country (SMS pumping). Meanwhile a real user
 * of that country, with a confirmed history, and a new user of another
 * country sign in every few minutes. The defaults must keep both signing in,
 * keep what the attacker makes the server send within the documented budgets,
 * and keep the store from filling. The numbers are printed, pass or fail.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS} from '../index.js';
import {
  countryOf,
  mostInOneWindow,
  phoneNumbers,
  recordingSms,
  seeded,
  silentLogger,
  timesBy,
} from './abuse-world.js';
import {
  assertConforms,
  byTestAddress,
  confirm,
  type Ctx,
  issue,
  issueBody,
  post,
  send,
  setup,
  STORE_KIND,
} from './helpers.js';

const MINUTES = 30;
const PER_MINUTE = 6000;
const ADDRESSES = 1000;
const ACCOUNTS = 50; // of each kind: 50 ordinary and 50 premium-rate, 100 in all
const DAY = 24 * 3600_000;

/** The attacker's phones: ordinary Brazilian mobiles, and Latvian premium-rate numbers (+371 90…). */
const OWN_PHONES = phoneNumbers(ACCOUNTS, '+55119700000', 2, 'BR', 'MOBILE');
const PREMIUM_PHONES = phoneNumbers(ACCOUNTS, '+371901000', 2, 'LV', 'PREMIUM_RATE');
/** The real user's phone is in the attacked country; the new user's in another. */
const REAL = {user: 'real-user', phone: '+37120012345', address: '203.0.113.10'};
const NEW = {user: 'new-user', phone: '+351912345678', address: '198.51.100.20'};

/** The app: sessions are a header (the attacker holds one for each name it uses), users a table. */
function app() {
  const directory = new Map<string, {phone: string}>();
  OWN_PHONES.forEach((phone, k) => directory.set(`own-${k}`, {phone}));
  PREMIUM_PHONES.forEach((phone, k) => directory.set(`prem-${k}`, {phone}));
  for (const who of [REAL, NEW]) directory.set(who.user, {phone: who.phone});
  // The notifier reads the handler's clock, which setup makes: read only once sending starts.
  const sms = recordingSms(() => ctx.clock.now);
  const ctx = setup({
    ...byTestAddress,
    // The worst case for the server: every request passes the session stage and reaches the limits.
    authenticate: (request) => request.headers.get('x-session'),
    lookupUser: (user) => directory.get(user) ?? null,
    notify: sms.notifier,
    logger: silentLogger,
  });
  return {ctx, directory, sends: sms.sends};
}

/** What a person does: ask for a code, read it off the phone, type it in. */
async function signIn(
  ctx: Ctx,
  sends: {requestId: string; code: string}[],
  who: typeof REAL,
): Promise<string | undefined> {
  const headers = {'x-test-address': who.address, 'x-session': who.user};
  const issued = await issue(ctx, who.user, {}, headers);
  if (issued.status !== 201) return `issue ${issued.status} ${String(issued.json.code)}`;
  await ctx.handler.idle();
  const message = sends.find((s) => s.requestId === issued.json.requestId);
  if (!message) return 'no message';
  const delivery = await deliveryOf(ctx, String(issued.json.requestId), headers);
  const confirmed = await confirm(ctx, issued.json.requestId, message.code, headers);
  if (confirmed.status !== 200) return `confirm ${confirmed.status}`;
  return delivery === 'sent' ? undefined : `confirmed, but the status said ${delivery}`;
}

/** The status's `delivery` (GET …/codes/{requestId}). */
async function deliveryOf(ctx: Ctx, requestId: string, headers: Record<string, string>) {
  const answer = await send(ctx.handler, `/otp/codes/${requestId}`, {headers});
  const body = (await answer.json()) as {delivery?: string};
  return answer.status === 200 ? String(body.delivery) : `status ${answer.status}`;
}

const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((t, v) => ({...t, [v]: (t[v] ?? 0) + 1}), {});

describe(`abuse at scale (${STORE_KIND} store)`, () => {
  it('keeps a trusted and a new user signing in through 30 minutes of 6,000 requests a minute, within the budgets', async () => {
    const started = Date.now();
    const {ctx, directory, sends} = app();
    const random = seeded(19);
    const trustedRun = {
      real: [] as (string | undefined)[],
      new: [] as (string | undefined)[],
    };

    // A month of history, in short: the real user confirmed a code yesterday.
    ctx.clock.now -= DAY;
    assert.equal(await signIn(ctx, sends, REAL), undefined, 'the real user’s history');
    ctx.clock.now += DAY;
    const attackBegan = ctx.clock.now;

    const answered = {201: 0, 429: 0, other: {} as Record<string, number>};
    /** 429s for made-up names: only the address's (shared) window can refuse those. */
    const sharedRefusals = {count: 0, withRetryAfter: 0};
    /** 429s for own accounts in the first minute, before any address is near its window: the account's. */
    const accountRefusals = {count: 0, withRetryAfter: 0};
    const attackerIssued: {requestId: string; user: string}[] = [];
    const fullAt: number[] = [];
    const cutStatuses: string[] = [];
    let peakKeys = 0;
    let n = 0;

    const attack = async (minute: number) => {
      const i = n++;
      const kind = i % 3;
      const user =
        kind === 0 ? `nobody-${i}` : `${kind === 1 ? 'own' : 'prem'}-${random(ACCOUNTS)}`;
      const address = random(ADDRESSES);
      const answer = await post(
        ctx.handler,
        '/otp/codes',
        // A new client each time: a new challenge, so no cooldown stands in for the limits.
        issueBody(user, {client: `a${i}`}),
        {'x-test-address': `10.66.${address >> 8}.${address & 255}`, 'x-session': user},
      );
      if (i % 97 === 0) assertConforms('/codes', answer);
      if (answer.status === 201) {
        answered[201]++;
        if (kind !== 0)
          attackerIssued.push({requestId: String(answer.json.requestId), user});
      } else if (answer.status === 429) {
        answered[429]++;
        const counted =
          kind === 0 ? sharedRefusals : minute === 0 ? accountRefusals : null;
        if (counted) {
          counted.count++;
          if (answer.headers.has('retry-after')) counted.withRetryAfter++;
        }
      } else {
        const what = `${answer.status} ${String(answer.json.code)}`;
        answered.other[what] = (answered.other[what] ?? 0) + 1;
      }
    };

    for (let minute = 0; minute < MINUTES; minute++) {
      const issuedBefore = attackerIssued.length;
      for (let second = 0; second < 60; second++) {
        const s = minute * 60 + second;
        const chunk = Array.from({length: PER_MINUTE / 60}, () => attack(minute));
        // Every 190 s each: at most 5 codes in any 15 minutes, within sendsPerDestination.
        const real = s % 190 === 5 ? signIn(ctx, sends, REAL) : undefined;
        const fresh = s % 190 === 100 ? signIn(ctx, sends, NEW) : undefined;
        await Promise.all(chunk);
        if (real) trustedRun.real.push(await real);
        if (fresh) trustedRun.new.push(await fresh);
        ctx.clock.now += 1000;
      }
      await ctx.handler.idle();
      if (ctx.store.full) fullAt.push(minute);
      // Counting a Redis prefix reads every key: every 5 minutes there, every minute in memory.
      if (STORE_KIND === 'memory' || minute % 5 === 4)
        peakKeys = Math.max(peakKeys, await ctx.size());
      // A sample of this minute's 201s for the attacker's own accounts that sent nothing: cut by a budget.
      const sentIds = new Set(sends.map((s) => s.requestId));
      const cut = attackerIssued
        .slice(issuedBefore)
        .filter((a) => !sentIds.has(a.requestId))
        .slice(0, 3);
      for (const {requestId, user} of cut)
        cutStatuses.push(
          await deliveryOf(ctx, requestId, {
            'x-test-address': '192.0.2.200',
            'x-session': user,
          }),
        );
    }

    const people = new Set([REAL.user, NEW.user]);
    const attackerSends = sends.filter((s) => !people.has(s.user));
    const byDestination = timesBy(
      attackerSends,
      (s) => s.phone,
      (s) => s.at,
    );
    const byCountry = timesBy(
      attackerSends,
      (s) => countryOf(s.phone),
      (s) => s.at,
    );
    const windowMs = DEFAULT_LIMITS.windowSeconds * 1000;
    const maxPerDestination = Math.max(
      0,
      ...[...byDestination.values()].map((t) => mostInOneWindow(t, windowMs)),
    );
    const perCountryHour = Object.fromEntries(
      [...byCountry].map(([country, t]) => [country, mostInOneWindow(t, 3600_000)]),
    );
    const rate = (runs: (string | undefined)[]) =>
      runs.filter((r) => r === undefined).length / runs.length;
    const failures = (runs: (string | undefined)[]) =>
      [...new Set(runs.filter(Boolean))].join('; ') || 'none';
    const strays = sends.filter((s) => directory.get(s.user)?.phone !== s.phone);

    console.log(
      [
        `# abuse at scale, ${STORE_KIND} store: ${MINUTES} simulated minutes, ${n} attacker requests, ${Math.round((Date.now() - started) / 1000)} s of real time`,
        `#   real user (LV, trusted): ${trustedRun.real.length - trustedRun.real.filter(Boolean).length}/${trustedRun.real.length} signed in (${(100 * rate(trustedRun.real)).toFixed(1)} %); failures: ${failures(trustedRun.real)}`,
        `#   new user (PT):           ${trustedRun.new.length - trustedRun.new.filter(Boolean).length}/${trustedRun.new.length} signed in (${(100 * rate(trustedRun.new)).toFixed(1)} %); failures: ${failures(trustedRun.new)}`,
        `#   attacker messages sent:  ${attackerSends.length} (${[...byCountry].map(([c, t]) => `${c} ${t.length}`).join(', ') || 'none'}); most in one hour per country ${JSON.stringify(perCountryHour)}`,
        `#   most to one destination in one ${DEFAULT_LIMITS.windowSeconds} s window: ${maxPerDestination} (budget ${DEFAULT_LIMITS.sendsPerDestination}); country budget ${DEFAULT_LIMITS.unconfirmedPerCountry}/h`,
        `#   attacker answers: 201 ${answered[201]}, 429 ${answered[429]}, other ${JSON.stringify(answered.other)}`,
        `#   429 for made-up names (address window): ${sharedRefusals.count}, with Retry-After ${sharedRefusals.withRetryAfter}; per-account 429 in minute 0: ${accountRefusals.count}, with Retry-After ${accountRefusals.withRetryAfter}`,
        `#   sampled statuses of 201s that sent nothing: ${cutStatuses.length} ${JSON.stringify(tally(cutStatuses))}`,
        `#   store: peak ${peakKeys} keys${STORE_KIND === 'memory' ? ` (full at half of the default maxKeys); full at minutes ${JSON.stringify(fullAt)}` : ' (counted every 5 minutes)'}`,
      ].join('\n'),
    );

    assert.deepEqual(fullAt, [], 'the memory store never reports full');
    assert.ok(
      rate(trustedRun.real) >= 0.99,
      `the real user signed in ${(100 * rate(trustedRun.real)).toFixed(1)} % of the time: ${failures(trustedRun.real)}`,
    );
    assert.ok(
      rate(trustedRun.new) >= 0.95,
      `the new user signed in ${(100 * rate(trustedRun.new)).toFixed(1)} % of the time: ${failures(trustedRun.new)}`,
    );
    assert.deepEqual(strays, [], 'every message goes to the phone of the user it names');
    assert.ok(
      maxPerDestination <= DEFAULT_LIMITS.sendsPerDestination,
      `${maxPerDestination} messages to one destination in one ${DEFAULT_LIMITS.windowSeconds} s window (budget ${DEFAULT_LIMITS.sendsPerDestination})`,
    );
    for (const [country, most] of Object.entries(perCountryHour))
      assert.ok(
        most <= DEFAULT_LIMITS.unconfirmedPerCountry,
        `${most} unconfirmed messages to ${country} in one hour (budget ${DEFAULT_LIMITS.unconfirmedPerCountry})`,
      );
    assert.ok(
      attackerSends.every((s) => !s.user.startsWith('nobody-')),
      'decoys send nothing',
    );
    // Cut requests are answered as if sent, and their status owns up.
    assert.ok(cutStatuses.length >= 10, `${cutStatuses.length} cut requests sampled`);
    assert.deepEqual(
      [...new Set(cutStatuses)],
      ['failed'],
      `the status of a request cut by a budget: ${cutStatuses.join(', ')}`,
    );
    assert.ok(sharedRefusals.count > 0, 'the attack reached the address windows');
    assert.equal(
      sharedRefusals.withRetryAfter,
      0,
      'a refusal from a shared budget tells no one when it reopens (no Retry-After)',
    );
    assert.ok(accountRefusals.count > 0, 'the attack reached the account windows');
    assert.equal(
      accountRefusals.withRetryAfter,
      accountRefusals.count,
      'a per-account refusal keeps its Retry-After',
    );
    assert.ok(ctx.clock.now - attackBegan >= MINUTES * 60_000);
  });
});
