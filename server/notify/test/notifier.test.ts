import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createNotifier} from '../notifier.js';
import {OtpDeliveryError, type OtpChannel, type OtpMessageInput} from '../types.js';

const NOW = Date.UTC(2026, 0, 1);
const notification = (over: Partial<OtpMessageInput> = {}): OtpMessageInput => ({
  user: 'maria',
  client: 'web',
  code: '493817',
  expiresAt: new Date(NOW + 600_000),
  requestId: 'r1',
  channel: 'email',
  to: {email: 'maria@example.com', phone: '+5511987654321'},
  language: 'en',
  destinationHint: 'm•••@example.com',
  ...over,
});

/** A clock that only moves when the notifier sleeps, and a log to read. */
function harness() {
  let now = NOW;
  const waits: number[] = [];
  const lines: string[] = [];
  const logger = {
    info: (m: string) => lines.push(`info ${m}`),
    warn: (m: string) => lines.push(`warn ${m}`),
    error: (m: string) => lines.push(`error ${m}`),
  };
  return {
    lines,
    waits,
    logger,
    now: () => now,
    advance: (ms: number) => (now += ms),
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

/** A provider's stand-in: fails with the given errors in turn, then succeeds. */
function fakeChannel(
  provider: string,
  failures: unknown[],
  channel: 'email' | 'sms' = 'email',
  onSend?: (signal: AbortSignal) => Promise<void>,
) {
  const sent: {text: string; subject?: string}[] = [];
  let calls = 0;
  const fake: OtpChannel & {sent: typeof sent; calls: () => number} = {
    channel,
    provider,
    sent,
    calls: () => calls,
    async send(message, _n, signal) {
      calls++;
      if (onSend) await onSend(signal);
      const failure = failures.shift();
      if (failure) throw failure;
      sent.push(message);
    },
  };
  return fake;
}

const transient = () => new Error('ECONNRESET');
const permanent = () => new OtpDeliveryError('smtp EAUTH 535', {permanent: true});

describe('createNotifier', () => {
  it('lists distinct channel kinds in the order first given', () => {
    const n = createNotifier({
      channels: [
        fakeChannel('a', [], 'sms'),
        fakeChannel('b', []),
        fakeChannel('c', [], 'sms'),
      ],
    });
    assert.equal(n.kind, 'otp-notifier');
    assert.deepEqual(n.channels, ['sms', 'email']);
  });

  it('refuses bad options at creation, naming the option', () => {
    assert.throws(() => createNotifier({channels: []}), /`channels`/);
    assert.throws(() => createNotifier({channels: [{} as OtpChannel]}), /channels\[0\]/);
    assert.throws(
      () =>
        createNotifier({
          channels: [fakeChannel('a', [])],
          templates: {sms: {en: '{nope}'}},
        }),
      /templates\.sms\.en: unknown placeholder \{nope\}/,
    );
    assert.throws(
      () =>
        createNotifier({channels: [fakeChannel('a', [])], webOtpDomain: 'https://x.com'}),
      /webOtpDomain/,
    );
    assert.throws(
      () => createNotifier({channels: [fakeChannel('a', [])], appName: ' '}),
      /appName/,
    );
  });

  it('sends the rendered message through the first provider', async () => {
    const h = harness();
    const a = fakeChannel('a', []);
    const n = createNotifier({channels: [a], appName: 'Shop', ...h});
    assert.deepEqual(
      await n.deliver(notification(), {
        deadline: NOW + 10_000,
        signal: new AbortController().signal,
      }),
      {provider: 'a'},
    );
    assert.equal(a.sent[0].subject, '493817 is your Shop code');
  });

  it('retries transient failures with growing, jittered waits', async () => {
    const h = harness();
    const a = fakeChannel('a', [transient(), transient(), transient()]);
    const n = createNotifier({channels: [a], ...h, random: () => 0.999});
    await n.deliver(notification(), {
      deadline: NOW + 10_000,
      signal: new AbortController().signal,
    });
    assert.equal(a.calls(), 4);
    assert.equal(h.waits.length, 3);
    assert.ok(h.waits[0] >= 250 && h.waits[0] <= 500, String(h.waits));
    assert.ok(h.waits[1] > h.waits[0] && h.waits[2] > h.waits[1], String(h.waits));
  });

  it('caps the back-off', async () => {
    const h = harness();
    const a = fakeChannel('a', Array.from({length: 8}, transient));
    const n = createNotifier({
      channels: [a],
      ...h,
      random: () => 0.999,
      maxBackoffMs: 1000,
    });
    await n.deliver(notification(), {
      deadline: NOW + 60_000,
      signal: new AbortController().signal,
    });
    assert.ok(
      h.waits.every((w) => w <= 1000),
      String(h.waits),
    );
  });

  it('gives up at the deadline and rejects without the code or the address', async () => {
    const h = harness();
    const a = fakeChannel('a', Array.from({length: 100}, transient));
    const n = createNotifier({channels: [a], ...h, logger: h.logger});
    const error = await n
      .deliver(notification(), {
        deadline: NOW + 3_000,
        signal: new AbortController().signal,
      })
      .then(
        () => assert.fail('delivered'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof OtpDeliveryError);
    assert.equal(error.permanent, false);
    assert.ok(h.now() <= NOW + 3_000);
    assert.ok(a.calls() >= 3 && a.calls() < 10, String(a.calls()));
    for (const text of [error.message, ...h.lines]) {
      assert.ok(!text.includes('493817'), text);
      assert.ok(!text.includes('maria@example.com'), text);
    }
    assert.ok(h.lines.some((l) => l.includes('m•••@example.com')));
  });

  it('does not retry a permanent failure and moves on to the next provider of that channel', async () => {
    const h = harness();
    const a = fakeChannel('a', [permanent()]);
    const sms = fakeChannel('s', [], 'sms');
    const b = fakeChannel('b', []);
    const n = createNotifier({channels: [a, sms, b], ...h, logger: h.logger});
    assert.deepEqual(
      await n.deliver(notification(), {
        deadline: NOW + 10_000,
        signal: new AbortController().signal,
      }),
      {provider: 'b'},
    );
    assert.equal(a.calls(), 1);
    assert.equal(sms.calls(), 0, 'another kind of channel is never tried');
    assert.deepEqual(h.waits, []);
  });

  it('tries the next provider of the channel at once when one is down, then retries both', async () => {
    const h = harness();
    const a = fakeChannel('a', Array.from({length: 100}, transient));
    const b = fakeChannel('b', [transient()]);
    const n = createNotifier({channels: [a, b], ...h, logger: h.logger});
    const result = await n.deliver(notification(), {
      deadline: NOW + 10_000,
      signal: new AbortController().signal,
    });
    assert.deepEqual(result, {provider: 'b'});
    assert.deepEqual([a.calls(), b.calls()], [2, 2], 'a, b, wait, a, b');
    assert.equal(h.waits.length, 1);
  });

  it('keeps retrying a transient provider after another refused for good', async () => {
    const h = harness();
    const a = fakeChannel('a', [permanent()]);
    const b = fakeChannel('b', [transient(), transient()]);
    const n = createNotifier({channels: [a, b], ...h, logger: h.logger});
    await n.deliver(notification(), {
      deadline: NOW + 10_000,
      signal: new AbortController().signal,
    });
    assert.deepEqual([a.calls(), b.calls()], [1, 3]);
  });

  it('rejects as permanent when every provider refused for good', async () => {
    const h = harness();
    const n = createNotifier({
      channels: [fakeChannel('a', [permanent()]), fakeChannel('b', [permanent()])],
      ...h,
      logger: h.logger,
    });
    await assert.rejects(
      n.deliver(notification(), {
        deadline: NOW + 10_000,
        signal: new AbortController().signal,
      }),
      (e: unknown) =>
        e instanceof OtpDeliveryError &&
        e.permanent &&
        /a: smtp EAUTH 535; b: smtp EAUTH 535/.test(e.message),
    );
  });

  it('rejects a channel kind that has no provider', async () => {
    const n = createNotifier({channels: [fakeChannel('a', [])]});
    await assert.rejects(
      n.deliver(notification({channel: 'sms'}), {
        deadline: NOW + 1000,
        signal: new AbortController().signal,
      }),
      /no sms channel/,
    );
  });

  it('times out one slow attempt through its signal and retries', async () => {
    let first = true;
    const a = fakeChannel('a', [], 'email', (signal) =>
      first
        ? ((first = false),
          new Promise<void>((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          ))
        : Promise.resolve(),
    );
    const h = harness();
    const n = createNotifier({
      channels: [a],
      attemptTimeoutMs: 50,
      sleep: h.sleep,
      logger: h.logger,
    });
    const started = Date.now();
    await n.deliver(notification(), {
      deadline: Date.now() + 5_000,
      signal: new AbortController().signal,
    });
    assert.equal(a.calls(), 2);
    assert.ok(Date.now() - started < 2_000);
    assert.ok(h.lines.some((l) => l.includes('timed out')));
  });

  it("stops when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const a = fakeChannel('a', [], 'email', (signal) => {
      controller.abort();
      return Promise.reject(signal.reason);
    });
    const n = createNotifier({channels: [a], logger: harness().logger});
    await assert.rejects(
      n.deliver(notification(), {
        deadline: Date.now() + 5_000,
        signal: controller.signal,
      }),
    );
    assert.equal(a.calls(), 1);
  });

  it('verify() logs each check and never throws', async () => {
    const h = harness();
    const ok = {...fakeChannel('good', []), verify: async () => {}};
    const bad = {
      ...fakeChannel('bad', []),
      verify: async () =>
        Promise.reject(new OtpDeliveryError('smtp ESOCKET', {permanent: false})),
    };
    const n = createNotifier({channels: [ok, bad], logger: h.logger});
    assert.deepEqual(await n.verify(), ['email bad']);
    assert.ok(h.lines.some((l) => l.startsWith('info') && l.includes('good')));
    assert.ok(
      h.lines.some(
        (l) => l.startsWith('error') && l.includes('bad') && l.includes('ESOCKET'),
      ),
    );
  });

  it('delivers many notifications in parallel, each once', async () => {
    const a = fakeChannel('a', Array.from({length: 20}, transient));
    const h = harness();
    const n = createNotifier({channels: [a], sleep: async () => {}, logger: h.logger});
    await Promise.all(
      Array.from({length: 50}, (_, i) =>
        n.deliver(notification({code: String(100000 + i)}), {
          deadline: Date.now() + 5_000,
          signal: new AbortController().signal,
        }),
      ),
    );
    assert.equal(a.sent.length, 50);
    assert.equal(new Set(a.sent.map((m) => m.text.slice(0, 80))).size, 50);
  });
});
