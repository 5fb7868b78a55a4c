// The step's flow in Node: the local demo generator on a memory store, a clock
// moved by hand, and the events the flow fires, recorded. No DOM, no browser.
import assert from 'node:assert/strict';
import {describe, it, mock} from 'node:test';
import {memoryChallengeStore} from '../../src/challenge/challenge-store.js';
import {OtpStepError} from '../../src/errors.js';
import type {OtpStepEventMap} from '../../src/events.js';
import {StepFlow, type StepFlowHost} from '../../src/flow/step-flow.js';
import {en} from '../../src/messages/en.js';
import type {CodeSource} from '../../src/sources/code-source.js';
import {localCodeSource} from '../../src/sources/local-source.js';
import {resolveStepConfig, type StepOptions} from '../../src/step/step-config.js';

type Fired = {
  [K in keyof OtpStepEventMap]: {type: K; detail: OtpStepEventMap[K]['detail']};
}[keyof OtpStepEventMap];

const OPTIONS: StepOptions = {
  stepName: 'Get code',
  sourceStep: '',
  user: 'maria.silva',
  client: 'web',
  lifetime: 120,
  length: 6,
  alphabet: 'numeric',
  maxAttempts: 3,
  resendAfter: 30,
  maxResends: 2,
};

/** A flow on the local generator with a hand-moved clock, its events and redraws counted. */
function harness({
  source: wrap = (s: CodeSource) => s,
  veto = [] as string[],
}: {source?: (local: CodeSource) => CodeSource; veto?: string[]} = {}) {
  let now = Date.UTC(2026, 10, 26, 9, 0, 0);
  const events: Fired[] = [];
  let redraws = 0;
  const source = wrap(localCodeSource(memoryChallengeStore(), () => now));
  const host: StepFlowHost = {
    source: async () => source,
    hasSource: () => true,
    emit: (type, detail) => {
      events.push({type, detail} as Fired);
      return !veto.includes(type);
    },
    messages: () => en,
    changed: () => void redraws++,
    rendered: async () => undefined,
    now: () => now,
  };
  const flow = new StepFlow(host);
  return {
    flow,
    events,
    types: () => events.map((e) => e.type),
    redraws: () => redraws,
    advance: (ms: number) => void (now += ms),
    checked: (options: Partial<StepOptions> = {}) =>
      resolveStepConfig({...OPTIONS, ...options}),
  };
}

/** A digit string of the code's length that is not the code. */
const wrong = (code: string) => code.replace(/^./, (c) => String((Number(c) + 1) % 10));

/** The flow's console lines are for developers; keep the test output clean. */
const quiet = () => {
  mock.method(console, 'error', () => {});
  mock.method(console, 'warn', () => {});
};

describe('StepFlow', () => {
  describe('issue', () => {
    it('issues a code, opens on it and fires otp-request then otp-issued', async () => {
      const {flow, events, checked} = harness();
      assert.equal(await flow.issue(checked()), true);
      const {state} = flow;
      assert.equal(state.open, true);
      assert.equal(state.busy, false);
      assert.match(state.forTestCode, /^\d{6}$/);
      assert.equal(state.challenge?.status, 'pending');
      assert.equal(state.challenge?.attemptsLeft, 3);
      assert.deepEqual(events[0], {
        type: 'otp-request',
        detail: {stepName: 'Get code', user: 'maria.silva', client: 'web', resend: false},
      });
      assert.equal(events[1].type, 'otp-issued');
      assert.equal(
        (events[1].detail as OtpStepEventMap['otp-issued']['detail']).requestId,
        state.challenge?.requestId,
      );
      assert.equal(events.length, 2);
    });

    it('gives a second ask while a code is on its way the same answer, not a second code', async () => {
      const {flow, types, checked} = harness();
      const [a, b] = await Promise.all([flow.issue(checked()), flow.issue(checked())]);
      assert.deepEqual([a, b], [true, true]);
      assert.deepEqual(types(), ['otp-request', 'otp-issued']);
    });

    it('issues nothing when the page cancels otp-request', async () => {
      const {flow, types, checked} = harness({veto: ['otp-request']});
      assert.equal(await flow.issue(checked()), false);
      assert.deepEqual(types(), ['otp-request']);
      assert.equal(flow.state.challenge, undefined);
      assert.equal(flow.state.busy, false);
    });

    it('reports a bad parameter with its stable code and the developer detail, beside the trigger', async () => {
      quiet();
      const {flow, events, checked} = harness();
      assert.equal(await flow.issue(checked({length: 3})), false);
      assert.equal(events.length, 1);
      const [{type, detail}] = events;
      assert.equal(type, 'otp-error');
      assert.equal((detail as {code: string}).code, 'invalid-length');
      assert.match(
        (detail as {message: string}).message,
        /length must be a whole number/,
      );
      assert.equal(flow.state.problem, 'invalid-length');
      assert.equal(flow.state.open, false);
    });

    it('reports no-source when the page named no code source', async () => {
      quiet();
      const {flow, events, checked} = harness();
      const host = (flow as unknown as {host: StepFlowHost}).host;
      host.hasSource = () => false;
      assert.equal(await flow.issue(checked()), false);
      assert.equal((events[0].detail as {code: string}).code, 'no-source');
    });

    it('sends a code in place of the pending one after the cooldown, saying so', async () => {
      const {flow, events, checked, advance} = harness();
      await flow.issue(checked());
      const first = flow.state.forTestCode;
      advance(30_000);
      assert.equal(await flow.issue(checked()), true);
      assert.deepEqual(events[2].detail, {
        stepName: 'Get code',
        user: 'maria.silva',
        client: 'web',
        resend: true,
      });
      assert.deepEqual(flow.state.notice, {key: 'issued'});
      assert.equal(flow.state.challenge?.resendsLeft, 1);
      assert.notEqual(await flow.confirm(first).then((o) => o?.status), 'confirmed');
    });

    it('refuses a resend in the cooldown and offers Retry once the wait is over', async () => {
      quiet();
      const {flow, events, checked, advance} = harness();
      await flow.issue(checked());
      advance(10_000);
      assert.equal(await flow.issue(checked()), false);
      const error = events.at(-1)!;
      assert.equal(error.type, 'otp-error');
      assert.equal((error.detail as {code: string}).code, 'resend-cooldown');
      const retryAfter = (error.detail as {retryAfterSeconds: number}).retryAfterSeconds;
      assert.equal(retryAfter, 20);
      assert.deepEqual(flow.state.retry, {
        at: Date.UTC(2026, 10, 26, 9, 0, 30),
        inDialog: true,
      });
      assert.deepEqual(flow.state.notice, {key: 'error', code: 'resend-cooldown'});
      advance(20_000);
      await flow.retry();
      assert.equal(flow.state.retry, undefined);
      assert.equal(flow.state.challenge?.resendsLeft, 1);
    });
  });

  describe('confirm', () => {
    it('confirms the right code: the value, otp-confirmed, closed, then step-complete', async () => {
      const {flow, types, checked, events} = harness();
      await flow.issue(checked());
      const code = flow.state.forTestCode;
      const outcome = await flow.confirm(` ${code.slice(0, 3)}-${code.slice(3)} `);
      assert.deepEqual(outcome, {status: 'confirmed'});
      assert.equal(flow.state.value, code);
      assert.equal(flow.state.open, false);
      assert.equal(flow.state.challenge?.status, 'confirmed');
      assert.deepEqual(types().slice(2), ['otp-confirmed', 'step-complete']);
      assert.deepEqual(events[2].detail, {
        stepName: 'Get code',
        user: 'maria.silva',
        client: 'web',
        requestId: flow.state.challenge?.requestId,
      });
    });

    it('turns a wrong code down, clears the entry and counts the attempt', async () => {
      const {flow, events, checked} = harness();
      await flow.issue(checked());
      flow.type(wrong(flow.state.forTestCode));
      const outcome = await flow.confirm(flow.state.entry);
      assert.deepEqual(outcome, {status: 'rejected', reason: 'invalid', attemptsLeft: 2});
      assert.equal(flow.state.entry, '');
      assert.equal(flow.state.invalid, true);
      assert.deepEqual(flow.state.notice, {key: 'invalid', attemptsLeft: 2});
      assert.equal(events.at(-1)!.type, 'otp-rejected');
      assert.equal(flow.state.open, true);
    });

    it('locks after max-attempts wrong codes, and then turns the right one down too', async () => {
      const {flow, checked} = harness();
      await flow.issue(checked());
      const code = flow.state.forTestCode;
      for (let i = 0; i < 3; i++) await flow.confirm(wrong(code));
      assert.equal(flow.state.challenge?.status, 'locked');
      const outcome = await flow.confirm(code);
      assert.equal(outcome?.status, 'rejected');
      assert.equal(flow.state.value, '');
    });

    it('checks nothing malformed, and spends no attempt on it', async () => {
      quiet();
      const {flow, events, checked} = harness();
      await flow.issue(checked());
      assert.equal(await flow.confirm('12345'), undefined);
      assert.equal((events.at(-1)!.detail as {code: string}).code, 'malformed-code');
      assert.equal(flow.state.challenge?.attemptsLeft, 3);
    });

    it('says there is nothing to confirm before a code is issued', async () => {
      quiet();
      const {flow, events} = harness();
      assert.equal(await flow.confirm('123456'), undefined);
      assert.equal((events[0].detail as {code: string}).code, 'no-pending-code');
      assert.equal(flow.state.problem, 'no-pending-code');
    });

    it('judges one confirmation at a time', async () => {
      const {flow, checked} = harness();
      await flow.issue(checked());
      const code = flow.state.forTestCode;
      const both = await Promise.all([flow.confirm(wrong(code)), flow.confirm(code)]);
      assert.equal(both[0]?.status, 'rejected');
      assert.equal(both[1], undefined);
      assert.equal(flow.state.challenge?.attemptsLeft, 2);
    });

    it('keeps the challenge after a failure, and Retry sends the same code again', async () => {
      quiet();
      let failNext = true;
      const {flow, events, checked} = harness({
        source: (local) => ({
          ...local,
          async confirm(config, code, signal) {
            if (failNext) {
              failNext = false;
              throw new OtpStepError('network-error');
            }
            return local.confirm(config, code, signal);
          },
        }),
      });
      await flow.issue(checked());
      const code = flow.state.forTestCode;
      assert.equal(await flow.confirm(code), undefined);
      assert.equal((events.at(-1)!.detail as {code: string}).code, 'network-error');
      assert.equal(flow.state.challenge?.status, 'pending');
      assert.ok(flow.state.retry);
      await flow.retry();
      assert.equal(flow.state.value, code);
    });

    it('offers no Retry for a failure that trying again cannot mend', async () => {
      quiet();
      const {flow, checked} = harness({
        source: (local) => ({
          ...local,
          issue: async () => {
            throw new OtpStepError('unknown-user');
          },
        }),
      });
      assert.equal(await flow.issue(checked()), false);
      assert.equal(flow.state.problem, 'unknown-user');
      assert.equal(flow.state.retry, undefined);
    });

    it('says nothing of a request aborted by the element leaving', async () => {
      let release!: () => void;
      const {flow, events, checked} = harness({
        source: (local) => ({
          ...local,
          issue: (_config, signal) =>
            new Promise((_, reject) => {
              release = () => reject(new Error('gone'));
              signal?.addEventListener('abort', () => release());
            }),
        }),
      });
      const issued = flow.issue(checked());
      await new Promise((resolve) => setImmediate(resolve));
      flow.abort();
      assert.equal(await issued, false);
      assert.deepEqual(
        events.map((e) => e.type),
        ['otp-request'],
      );
      assert.equal(flow.state.busy, false);
    });
  });

  describe('countdown', () => {
    it('ticks only while a code is pending or a Retry waits', async () => {
      const {flow, checked} = harness();
      assert.equal(flow.ticking, false);
      await flow.issue(checked());
      assert.equal(flow.ticking, true);
      await flow.confirm(flow.state.forTestCode);
      assert.equal(flow.ticking, false);
    });

    it('speaks at 60, 30 and 10 seconds left, never every second', async () => {
      const {flow, checked, advance} = harness();
      await flow.issue(checked());
      const spoken: number[] = [];
      for (let s = 0; s < 119; s++) {
        advance(1000);
        const before = flow.state.announcement;
        flow.tick();
        if (flow.state.announcement !== before) spoken.push(flow.state.announcement!);
      }
      assert.deepEqual(spoken, [60, 30, 10]);
    });

    it('expires the code at the end of its lifetime, once', async () => {
      const {flow, types, checked, advance} = harness();
      await flow.issue(checked());
      const code = flow.state.forTestCode;
      advance(120_000);
      flow.tick();
      flow.tick();
      assert.equal(flow.state.challenge?.status, 'expired');
      assert.deepEqual(flow.state.notice, {key: 'expired'});
      assert.deepEqual(types().slice(2), ['otp-expired']);
      const outcome = await flow.confirm(code);
      assert.deepEqual(outcome, {status: 'rejected', reason: 'expired', attemptsLeft: 3});
      // Already said: no second otp-expired for the confirmation that found it so.
      assert.deepEqual(types().slice(2), ['otp-expired', 'otp-rejected']);
    });
  });

  describe('the rest of its life', () => {
    it('picks up the challenge left open before a reload, and shows it', async () => {
      const first = harness();
      await first.flow.issue(first.checked());
      // A second flow on the same source: what a reloaded page makes.
      const host = (first.flow as unknown as {host: StepFlowHost}).host;
      const reloaded = new StepFlow(host);
      const config = first.checked();
      assert.ok(config.ok);
      await reloaded.restore(config.config);
      assert.equal(reloaded.state.open, true);
      assert.equal(
        reloaded.state.challenge?.requestId,
        first.flow.state.challenge?.requestId,
      );
      assert.equal(reloaded.state.forTestCode, '');
    });

    it('shows nothing when nothing was left open', async () => {
      const {flow, checked} = harness();
      const config = checked();
      assert.ok(config.ok);
      await flow.restore(config.config);
      assert.equal(flow.state.open, false);
      assert.equal(flow.state.challenge, undefined);
    });

    it('redraws on a keystroke only when it takes the error look off', async () => {
      const {flow, checked, redraws} = harness();
      await flow.issue(checked());
      await flow.confirm(wrong(flow.state.forTestCode));
      const before = redraws();
      flow.type('1');
      assert.equal(flow.state.invalid, false);
      flow.type('12');
      assert.equal(redraws(), before + 1);
      assert.equal(flow.state.entry, '12');
    });

    it('empties on a form reset and takes back a value the browser restores', async () => {
      const {flow, checked} = harness();
      await flow.issue(checked());
      await flow.confirm(flow.state.forTestCode);
      flow.reset();
      assert.equal(flow.state.value, '');
      assert.equal(flow.state.notice, undefined);
      flow.restoreValue('v1.token');
      assert.equal(flow.state.value, 'v1.token');
    });

    it('shows a failure in the dialog while it is open, beside the trigger once closed', () => {
      const {flow} = harness();
      flow.open();
      flow.report(new OtpStepError('copy-failed'));
      assert.deepEqual(flow.state.notice, {key: 'error', code: 'copy-failed'});
      assert.equal(flow.state.problem, undefined);
      flow.close();
      flow.report(new OtpStepError('storage-unavailable'));
      assert.equal(flow.state.problem, 'storage-unavailable');
    });
  });
});

describe('StepFlow across a reload and at the ends of a code', () => {
  it('shows the code still pending for the same parameters rather than asking for another', async () => {
    const first = harness();
    await first.flow.issue(first.checked());
    // A reloaded page: a new flow on the same source, knowing nothing yet.
    const host = (first.flow as unknown as {host: StepFlowHost}).host;
    const events: string[] = [];
    const reloaded = new StepFlow({...host, emit: (type) => (events.push(type), true)});
    assert.equal(await reloaded.issue(first.checked()), true);
    assert.deepEqual(events, []);
    assert.equal(reloaded.state.open, true);
    assert.equal(
      reloaded.state.challenge?.requestId,
      first.flow.state.challenge?.requestId,
    );
    assert.equal(reloaded.state.notice, undefined);
  });

  it('asks for a first code, not a resend, when the user changes', async () => {
    const {flow, events, checked} = harness();
    await flow.issue(checked());
    await flow.issue(checked({user: 'joao.souza'}));
    const request = events.filter((e) => e.type === 'otp-request').at(-1)!;
    assert.deepEqual(request.detail, {
      stepName: 'Get code',
      user: 'joao.souza',
      client: 'web',
      resend: false,
    });
    assert.equal(flow.state.config?.user, 'joao.souza');
  });

  it('drops the test code of a code that expired', async () => {
    const {flow, checked, advance} = harness();
    await flow.issue(checked());
    advance(120_000);
    flow.tick();
    assert.equal(flow.state.forTestCode, '');
  });

  it('says until when a locked code is locked, counts it down, and ends the lock with its lifetime', async () => {
    const {flow, checked, advance} = harness();
    await flow.issue(checked());
    const code = flow.state.forTestCode;
    for (let i = 0; i < 3; i++) await flow.confirm(wrong(code));
    const {challenge} = flow.state;
    assert.equal(challenge?.status, 'locked');
    assert.deepEqual(flow.state.notice, {key: 'locked', until: challenge?.expiresAt});
    assert.equal(flow.state.forTestCode, '');
    assert.equal(flow.ticking, true);
    advance(120_000);
    flow.tick();
    assert.equal(flow.state.challenge?.status, 'expired');
    assert.equal(flow.ticking, false);
  });
});
