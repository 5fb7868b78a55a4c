/**
 * The `metrics` option as an operator sees it: the counts a scrape of the
 * Registry (or an OpenTelemetry reader) gives after real flows, on the suite's
 * store (memory or Redis); the series an attacker can create; what never
 * appears in them; and the start-up checks.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {after, describe, it} from 'node:test';
import {Counter, Registry} from 'prom-client';
import {createNotifier, type OtpChannel} from '../notify/index.js';
import {createOtpHandler, type OtpStore} from '../index.js';
import {redisOtpStore} from '../redis-store.js';
import {
  byTestAddress,
  confirm,
  issue,
  post,
  recordingLogger,
  SECRET,
  setup,
  STORE_KIND,
  wrongCode,
} from './helpers.js';
import {otelMeter, parsePrometheus, samples, total, type Series} from './metrics-text.js';
import {startRedis} from './redis-server.js';

const DIRECTORY: Record<string, {email?: string; phone?: string}> = {
  maria: {phone: '+5511987654321'},
  joana: {phone: '+351912345678'},
  bob: {email: 'bob@example.org'},
};

/** Channels that take the message as a provider would, and keep it for the test. */
const standIn = (channel: 'email' | 'sms', sent: string[]): OtpChannel => ({
  channel,
  provider: 'stand-in',
  send: async (message) => void sent.push(message.text),
});

const LABELS = {clients: ['web', 'ios'], steps: ['login']};

/** A handler sending by e-mail and SMS to DIRECTORY's users, its metrics on `metrics`. */
function metered(metrics: unknown, extra: Parameters<typeof setup>[0] = {}) {
  const sent: string[] = [];
  const clock = {now: () => 0};
  const notifier = createNotifier({
    channels: [standIn('sms', sent), standIn('email', sent)],
    logger: recordingLogger().logger,
    // The notifier's deadlines are the handler's: its clock runs from the test's.
    now: () => clock.now(),
  });
  after(() => notifier.close());
  const ctx = setup({
    notify: notifier,
    lookupUser: (user) => DIRECTORY[user] ?? null,
    metrics: metrics as never,
    metricsLabels: LABELS,
    ...extra,
  });
  clock.now = () => ctx.clock.now;
  return {...ctx, messages: sent};
}

const scrape = async (registry: Registry) => parsePrometheus(await registry.metrics());

/** The lifecycle counters that are not 0, as `name{client,step,channel,country[,reason]}` → count. */
function counts(all: Series[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of all)
    if (s.name.startsWith('otp_') && s.name.endsWith('_total') && s.value)
      out[`${s.name}{${Object.values(s.labels).join(',')}}`] = s.value;
  return out;
}

describe(`metrics on a prom-client Registry (${STORE_KIND} store)`, () => {
  it('counts a code issued, delivered and confirmed by client, step, channel and country, and times each part', async () => {
    const registry = new Registry();
    const ctx = metered(registry);
    const issued = await issue(ctx, 'maria');
    assert.equal(issued.status, 201);
    await ctx.handler.idle();
    if (STORE_KIND === 'memory')
      assert.equal(total(await scrape(registry), 'otp_pending_challenges'), 1);
    const confirmed = await confirm(ctx, issued.json.requestId, String(issued.json.code));
    assert.equal(confirmed.status, 200);

    const all = await scrape(registry);
    assert.deepEqual(counts(all), {
      'otp_issued_total{web,login,sms,BR}': 1,
      'otp_delivered_total{web,login,sms,BR}': 1,
      'otp_confirmed_total{web,login,sms,BR}': 1,
    });
    assert.equal(
      total(all, 'otp_issue_duration_seconds_count', {status_class: '2xx'}),
      1,
    );
    assert.equal(
      total(all, 'otp_confirm_duration_seconds_count', {status_class: '2xx'}),
      1,
    );
    assert.equal(total(all, 'otp_send_duration_seconds_count', {channel: 'sms'}), 1);
    assert.ok(total(all, 'otp_send_duration_seconds_sum') > 0);
    // Each update of a store outside the process is timed (a dozen or more for an
    // issue and a confirm); the memory store's, which answer within the call, are not.
    if (STORE_KIND === 'memory')
      assert.equal(total(all, 'otp_store_duration_seconds_count'), 0);
    else assert.ok(total(all, 'otp_store_duration_seconds_count') >= 10);
    assert.equal(total(all, 'otp_store_up'), 1);
    if (STORE_KIND === 'memory') assert.equal(total(all, 'otp_pending_challenges'), 0);
    else assert.equal(samples(all, 'otp_pending_challenges').length, 0);
  });

  it('counts cancels (route and handler.cancel) and revocations, and the pending gauge leaves canceled codes out', async () => {
    const registry = new Registry();
    const ctx = metered(registry);
    const routed = await issue(ctx, 'maria');
    const byApp = await issue(ctx, 'joana');
    const kept = await issue(ctx, 'bob');
    await ctx.handler.idle();
    if (STORE_KIND === 'memory')
      assert.equal(total(await scrape(registry), 'otp_pending_challenges'), 3);
    const canceled = await post(
      ctx.handler,
      `/otp/codes/${routed.json.requestId}/cancel`,
      {},
    );
    assert.equal(canceled.status, 200, canceled.text);
    // A repeated cancel ends nothing: not counted again.
    await post(ctx.handler, `/otp/codes/${routed.json.requestId}/cancel`, {});
    assert.equal(await ctx.handler.cancel(String(byApp.json.requestId)), true);
    assert.equal(await ctx.handler.cancel(String(byApp.json.requestId)), false);
    await ctx.handler.revokeUser('someone-else');
    const all = await scrape(registry);
    const counted = counts(all);
    assert.equal(counted['otp_canceled_total{web,login,sms,BR}'], 1);
    assert.equal(counted['otp_canceled_total{web,login,sms,PT}'], 1);
    assert.equal(total(all, 'otp_canceled_total'), 2);
    // One per call, with no client, step, channel nor country to name.
    assert.deepEqual(
      samples(all, 'otp_revoked_total').map((s) => [s.labels, s.value]),
      [[{client: '', step: '', channel: '', country: ''}, 1]],
    );
    if (STORE_KIND === 'memory') assert.equal(total(all, 'otp_pending_challenges'), 1);
    assert.equal(
      (await confirm(ctx, kept.json.requestId, String(kept.json.code))).status,
      200,
    );
  });

  it('counts wrong codes as rejected until the one that locks, then a late right code as rejected locked', async () => {
    const registry = new Registry();
    const ctx = metered(registry);
    const issued = await issue(ctx, 'joana', {client: 'ios'});
    await ctx.handler.idle();
    const code = String(issued.json.code);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await confirm(ctx, issued.json.requestId, wrongCode(code))).status);
    assert.deepEqual(statuses, [422, 422, 422, 422, 423]);
    assert.equal((await confirm(ctx, issued.json.requestId, code)).status, 423);

    assert.deepEqual(counts(await scrape(registry)), {
      'otp_issued_total{ios,login,sms,PT}': 1,
      'otp_delivered_total{ios,login,sms,PT}': 1,
      'otp_rejected_total{ios,login,sms,PT,invalid}': 4,
      'otp_locked_total{ios,login,sms,PT}': 1,
      'otp_rejected_total{ios,login,sms,PT,locked}': 1,
    });
    const all = await scrape(registry);
    assert.equal(
      total(all, 'otp_confirm_duration_seconds_count', {status_class: '4xx'}),
      6,
    );
    if (STORE_KIND === 'memory') assert.equal(total(all, 'otp_pending_challenges'), 0);
  });

  it('counts a notify that throws as delivery_failed for the provider, never as delivered', async () => {
    const registry = new Registry();
    const ctx = setup({
      metrics: registry,
      metricsLabels: LABELS,
      notify: () => {
        throw new Error('the SMS gateway is down');
      },
    });
    assert.equal((await issue(ctx, 'alice')).status, 201);
    await ctx.handler.idle();
    const all = await scrape(registry);
    assert.deepEqual(counts(all), {
      'otp_issued_total{web,login,,}': 1,
      'otp_delivery_failed_total{web,login,,,provider}': 1,
    });
    assert.equal(total(all, 'otp_send_duration_seconds_count', {channel: ''}), 1);
  });

  it('counts decoys for unknown users only in otp_unknown_user_total, their wrong codes included', async () => {
    const registry = new Registry();
    const ctx = metered(registry);
    const decoy = await issue(ctx, 'mallory');
    assert.equal(decoy.status, 201);
    await ctx.handler.idle();
    for (let i = 0; i < 6; i++) await confirm(ctx, decoy.json.requestId, '123456');
    const all = await scrape(registry);
    // What the confirms refused before judging (the account's backoff) is a refusal, not a conversion.
    const refused = total(all, 'otp_refused_total');
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(counts(all)).filter(([k]) => !k.startsWith('otp_refused_total')),
      ),
      {'otp_unknown_user_total{web,login,sms}': 1},
    );
    assert.equal(refused, total(all, 'otp_refused_total', {operation: 'confirm'}));
    if (STORE_KIND === 'memory') assert.equal(total(all, 'otp_pending_challenges'), 0);
  });

  it('counts refusals by operation and reason, with client and step where the request named them', async () => {
    const registry = new Registry();
    const ctx = metered(registry, {
      authenticate: (request) => request.headers.get('x-user'),
    });
    assert.equal((await issue(ctx, 'maria', {}, {'x-user': 'bob'})).status, 403);
    assert.equal((await issue(ctx, 'maria', {client: 'tv'})).status, 401);
    assert.deepEqual(counts(await scrape(registry)), {
      'otp_refused_total{issue,forbidden,web,login}': 1,
      'otp_refused_total{issue,unauthenticated,other,login}': 1,
    });
  });

  it(
    'keeps the series bounded when 10,000 users are issued codes under random clients and step names',
    {
      // Labels are bounded before any store is asked; on Redis the 10,000 issues take half a minute.
      skip: STORE_KIND === 'redis' && 'the labels do not depend on the store',
    },
    async () => {
      const registry = new Registry();
      const users = 10_000;
      const phones = ['+5511987654321', '+351912345678', '+447700900123'];
      const destination = (user: string) => {
        const n = Number(user.slice(5));
        if (n % 4 === 3) return null; // an unknown user: a decoy
        return n % 4 === 2 ? {email: `${user}@example.net`} : {phone: phones[n % 3]};
      };
      const ctx = metered(registry, {
        lookupUser: destination,
        ...byTestAddress,
        limits: {
          issuesPerWindow: 1e9,
          issuesPerAddress: 1e9,
          sendsPerDestination: 1e9,
          unconfirmedPerCountry: 1e9,
        },
      });
      const names = new Set<string>();
      const randomName = () => randomBytes(6).toString('base64url');
      const asked = [];
      for (let start = 0; start < users; start += 100) {
        const batch = [];
        for (let n = start; n < start + 100; n++) {
          // A listed client or step now and then, so the listed values are counted too.
          const client = n % 10 === 0 ? 'web' : randomName();
          const stepName = n % 7 === 0 ? 'login' : randomName();
          names.add(client).add(stepName);
          const address = `203.0.${(n >> 8) & 255}.${n & 255}`;
          batch.push(
            issue(ctx, `user-${n}`, {client, stepName}, {'x-test-address': address}),
          );
        }
        asked.push(...(await Promise.all(batch)).map((a) => a.status));
      }
      await ctx.handler.idle();
      assert.deepEqual(new Set(asked), new Set([201]));
      const all = await scrape(registry);

      // client ∈ {web, ios, other} × step ∈ {login, other} × (email with no country, or SMS in BR, PT, GB).
      const bound =
        (LABELS.clients.length + 1) * (LABELS.steps.length + 1) * (1 + phones.length);
      for (const name of ['otp_issued_total', 'otp_delivered_total']) {
        const series = samples(all, name);
        assert.ok(series.length <= bound, `${name}: ${series.length} series > ${bound}`);
        // Every listed-or-other combination that was sent for appears; the count is exact.
        assert.equal(series.length, 2 * 2 * 4, `${name}: web/other × login/other × 4`);
      }
      const unknown = samples(all, 'otp_unknown_user_total');
      assert.ok(
        unknown.length <= (2 + 1) * (1 + 1) * 2,
        `${unknown.length} decoy series`,
      );
      assert.equal(total(all, 'otp_issued_total'), users * 0.75);
      assert.equal(total(all, 'otp_delivered_total'), users * 0.75);
      assert.equal(total(all, 'otp_unknown_user_total'), users * 0.25);
      assert.equal(
        total(all, 'otp_issued_total', {client: 'other', step: 'other'}) > 0,
        true,
      );
      // No random name became a label value, anywhere in the output.
      const values = new Set(all.flatMap((s) => Object.values(s.labels)));
      for (const value of values)
        assert.ok(!names.has(value) || value === 'web' || value === 'login', value);
      assert.ok(all.length < 400, `${all.length} sample lines in all`);
    },
  );

  it('never exposes a user name, code, address, destination or hint', async () => {
    const registry = new Registry();
    const ctx = metered(registry, byTestAddress);
    const secrets: string[] = [];
    for (const user of ['maria', 'joana', 'bob', 'mallory']) {
      const address = '192.0.2.77';
      const issued = await issue(ctx, user, {}, {'x-test-address': address});
      await ctx.handler.idle();
      const code = String(issued.json.code);
      await confirm(ctx, issued.json.requestId, wrongCode(code));
      await confirm(ctx, issued.json.requestId, code);
      secrets.push(user, code, address, String(issued.json.requestId));
      if (issued.json.destinationHint) secrets.push(String(issued.json.destinationHint));
    }
    secrets.push('+5511987654321', '5511987654321', '987654321', 'bob@example.org');
    const text = await registry.metrics();
    assert.ok(
      total(parsePrometheus(text), 'otp_confirmed_total') >= 3,
      'the flows were counted',
    );
    for (const secret of secrets)
      assert.ok(!text.includes(secret), `${secret} in the metrics`);
  });

  it('lets a second handler count into the same registry, and refuses a registry whose metric of that name is not ours', async () => {
    const registry = new Registry();
    const first = metered(registry);
    const second = metered(registry);
    await issue(first, 'maria');
    await issue(second, 'maria');
    await first.handler.idle();
    await second.handler.idle();
    const all = await scrape(registry);
    // One series, counted twice: not one line per handler.
    assert.deepEqual(
      samples(all, 'otp_issued_total').map((s) => [s.labels, s.value]),
      [[{client: 'web', step: 'login', channel: 'sms', country: 'BR'}, 2]],
    );
    assert.equal(samples(all, 'otp_issue_duration_seconds_count').length, 1);
    assert.equal(samples(all, 'otp_store_up').length, 1);
    if (STORE_KIND === 'memory') assert.equal(total(all, 'otp_pending_challenges'), 2);

    const theirs = new Registry();
    new Counter({name: 'otp_issued_total', help: 'theirs', registers: [theirs]});
    assert.throws(
      () =>
        createOtpHandler({
          secret: SECRET,
          metrics: theirs,
          logger: recordingLogger().logger,
        }),
      /already holds otp_issued_total, but not as otp-step makes it .*Registry of its own/,
    );
  });
});

describe('metrics on an app’s own store', () => {
  it('times a store written as a class with private fields, its `full` read on the store itself', async () => {
    class AppStore implements OtpStore {
      #entries = new Map<string, unknown>();
      #updates = 0;
      get full() {
        return this.#entries.size > 1000;
      }
      get updates() {
        return this.#updates;
      }
      async update<T>(key: string, change: (value: unknown) => [unknown, T, number?]) {
        this.#updates++;
        const [value, result] = change(this.#entries.get(key));
        if (value === undefined) this.#entries.delete(key);
        else this.#entries.set(key, value);
        return result;
      }
    }
    const store = new AppStore();
    const registry = new Registry();
    const ctx = metered(registry, {store});
    const issued = await issue(ctx, 'maria');
    assert.equal(issued.status, 201);
    await ctx.handler.idle();
    assert.equal(
      (await confirm(ctx, issued.json.requestId, String(issued.json.code))).status,
      200,
    );
    const all = await scrape(registry);
    assert.equal(total(all, 'otp_store_duration_seconds_count'), store.updates);
    assert.equal(total(all, 'otp_confirmed_total'), 1);
    // Not the memory store: no pending gauge, which only it can count.
    assert.equal(samples(all, 'otp_pending_challenges').length, 0);
  });
});

describe('metrics on an OpenTelemetry Meter', () => {
  it('counts the same flows under the same names and labels, bounded the same way', async () => {
    const otel = otelMeter();
    after(() => otel.shutdown());
    const ctx = metered(otel.meter);
    const issued = await issue(ctx, 'maria');
    await ctx.handler.idle();
    await confirm(ctx, issued.json.requestId, String(issued.json.code));
    const locked = await issue(ctx, 'bob', {client: randomBytes(4).toString('hex')});
    await ctx.handler.idle();
    for (let i = 0; i < 5; i++)
      await confirm(ctx, locked.json.requestId, wrongCode(String(locked.json.code)));
    await issue(ctx, 'mallory', {stepName: 'weird-step'});

    const all = await otel.collect();
    assert.deepEqual(counts(all), {
      'otp_issued_total{web,login,sms,BR}': 1,
      'otp_delivered_total{web,login,sms,BR}': 1,
      'otp_confirmed_total{web,login,sms,BR}': 1,
      'otp_issued_total{other,login,email,}': 1,
      'otp_delivered_total{other,login,email,}': 1,
      'otp_rejected_total{other,login,email,,invalid}': 4,
      'otp_locked_total{other,login,email,}': 1,
      'otp_unknown_user_total{web,other,sms}': 1,
    });
    assert.equal(total(all, 'otp_issue_duration_seconds_count'), 3);
    assert.equal(total(all, 'otp_confirm_duration_seconds_count'), 6);
    assert.equal(total(all, 'otp_store_up'), 1);
    if (STORE_KIND === 'memory') assert.equal(total(all, 'otp_pending_challenges'), 0);
    const text = JSON.stringify(all);
    for (const secret of ['maria', 'bob', 'mallory', 'bob@example.org', '+5511987654321'])
      assert.ok(!text.includes(secret), secret);
  });
});

describe('metrics that cannot be recorded', () => {
  it('answer exactly as without metrics when every instrument throws, and log it once', async () => {
    const broken = () => {
      throw new Error('the metrics backend is broken');
    };
    const meter = {
      createCounter: () => ({add: broken}),
      createHistogram: () => ({record: broken}),
      createObservableGauge: () => ({addCallback: () => undefined}),
    };
    const run = async (metrics: unknown) => {
      const ctx = metered(metrics);
      const issued = await issue(ctx, 'maria');
      await ctx.handler.idle();
      const wrong = await confirm(
        ctx,
        issued.json.requestId,
        wrongCode(String(issued.json.code)),
      );
      const right = await confirm(ctx, issued.json.requestId, String(issued.json.code));
      const token = await ctx.handler.verifyConfirmation(right.json.confirmation);
      return {
        statuses: [issued.status, wrong.status, right.status],
        keys: [
          Object.keys(issued.json),
          Object.keys(wrong.json),
          Object.keys(right.json),
        ],
        token: token?.user,
        logged: ctx.logged.filter((l) => l.includes('metrics')),
        messages: ctx.messages.length,
      };
    };
    const without = await run(undefined);
    const withBroken = await run(meter);
    assert.deepEqual(withBroken.statuses, [201, 422, 200]);
    assert.deepEqual({...withBroken, logged: []}, {...without, logged: []});
    assert.equal(withBroken.logged.length, 1, withBroken.logged.join('\n'));
    assert.match(
      withBroken.logged[0],
      /metrics could not be recorded .*backend is broken/,
    );
  });
});

describe('metrics options checked at start-up', () => {
  const start = (options: object) => () =>
    createOtpHandler({secret: SECRET, logger: recordingLogger().logger, ...options});
  for (const [labels, message] of [
    ['web', /metricsLabels must be an object/],
    [{clients: 'web'}, /metricsLabels\.clients must be an array/],
    [
      {steps: ['login', '']},
      /metricsLabels\.steps\[1\] must be a non-empty string \(it is ""\)/,
    ],
    [
      {clients: ['web', 7]},
      /metricsLabels\.clients\[1\] must be a non-empty string \(it is 7\)/,
    ],
    [{client: ['web']}, /metricsLabels takes clients and steps only, not "client"/],
  ] as const)
    it(`refuses metricsLabels ${JSON.stringify(labels)}`, () =>
      assert.throws(start({metrics: new Registry(), metricsLabels: labels}), message));
  it('refuses a metrics target that is neither a Registry nor a Meter', () =>
    assert.throws(
      start({metrics: {inc() {}}}),
      /metrics must be a prom-client Registry \(new Registry\(\)\) or an OpenTelemetry Meter/,
    ));
});

describe('otp_store_up', () => {
  it(
    'drops to 0 when the store cannot be reached and is 1 again once an update succeeds',
    {skip: STORE_KIND === 'redis' && 'it runs a redis-server of its own, once'},
    async () => {
      const redis = await startRedis();
      after(() => redis.stop());
      const registry = new Registry();
      const store = redisOtpStore({
        url: redis.url,
        timeoutMs: 300,
        now: () => 1_700_000_000_000,
      });
      after(() => store.close());
      const ctx = metered(registry, {store});
      assert.equal((await issue(ctx, 'maria')).status, 201);
      await ctx.handler.idle();
      assert.equal(total(await scrape(registry), 'otp_store_up'), 1);
      await redis.kill();
      assert.equal((await issue(ctx, 'joana')).status, 503);
      let all = await scrape(registry);
      assert.equal(total(all, 'otp_store_up'), 0);
      assert.equal(total(all, 'otp_refused_total', {reason: 'store-unavailable'}), 1);
      await redis.start();
      // The client reconnects on its own; the first request after that reaches the store.
      let status = 0;
      for (let i = 0; i < 50 && status !== 201; i++) {
        status = (await issue(ctx, 'bob')).status;
        if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(status, 201);
      all = await scrape(registry);
      assert.equal(total(all, 'otp_store_up'), 1);
    },
  );
});
