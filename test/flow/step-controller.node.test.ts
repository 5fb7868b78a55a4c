// The step's controller and its flow in Node: the local demo generator on a
// memory store, a clock moved by hand, a host that draws nothing but counts its
// redraws, and the events the step fires, recorded. No DOM, no browser.
import assert from 'node:assert/strict';
import {describe, it, mock} from 'node:test';
import type {ReactiveController} from 'lit';
import {memoryChallengeStore} from '../../src/challenge/challenge-store.js';
import type {Clock} from '../../src/clock.js';
import {OtpStepError} from '../../src/errors.js';
import type {OtpStepEventMap} from '../../src/events.js';
import {StepController} from '../../src/flow/step-controller.js';
import {en} from '../../src/messages/en.js';
import type {CodeSource} from '../../src/sources/code-source.js';
import {localCodeSource} from '../../src/sources/local-source.js';
import type {StepOptions} from '../../src/step/step-config.js';

type Fired = {
  [K in keyof OtpStepEventMap]: {type: K; detail: OtpStepEventMap[K]['detail']};
}[keyof OtpStepEventMap];

const EVENTS: (keyof OtpStepEventMap)[] = [
  'otp-request',
  'otp-issued',
  'otp-confirmed',
  'otp-rejected',
  'otp-expired',
  'otp-error',
  'step-complete',
];

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

/**
 * What Lit does for a controller, and no more: a requested update runs once, a
 * microtask later, and then tells the controllers it is done.
 */
class Host extends EventTarget {
  isConnected = true;
  redraws = 0;
  private readonly controllers: ReactiveController[] = [];
  private pending?: Promise<boolean>;

  addController(controller: ReactiveController) {
    this.controllers.push(controller);
  }
  removeController() {}
  requestUpdate() {
    this.redraws++;
    this.pending ??= Promise.resolve().then(() => {
      this.pending = undefined;
      for (const controller of this.controllers) controller.hostUpdated?.();
      return true;
    });
  }
  get updateComplete(): Promise<boolean> {
    return this.pending ?? Promise.resolve(true);
  }
  /** The element leaves the page. */
  leave() {
    this.isConnected = false;
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
}

/** A clock moved by hand: timers run when it passes them, the beat when asked. */
function handClock(start: number) {
  let now = start;
  const timers = new Set<{at: number; run: () => void}>();
  const beats = new Set<() => void>();
  const clock: Clock = {
    now: () => now,
    after(ms, run) {
      const timer = {at: now + ms, run};
      timers.add(timer);
      return () => timers.delete(timer);
    },
    everySecond(run) {
      beats.add(run);
      return () => beats.delete(run);
    },
  };
  return {
    clock,
    advance(ms: number) {
      now += ms;
      for (const timer of [...timers])
        if (timer.at <= now) {
          timers.delete(timer);
          timer.run();
        }
    },
    /** One beat of the countdown, as the page's shared interval gives it. */
    beat: () => [...beats].forEach((run) => run()),
    ticking: () => beats.size > 0,
  };
}

/** A step on the local generator with a hand-moved clock, its events and redraws counted. */
function harness({
  source: wrap = (s: CodeSource) => s,
  veto = [] as string[],
  withSource = true,
}: {
  source?: (local: CodeSource) => CodeSource;
  veto?: string[];
  withSource?: boolean;
} = {}) {
  const time = handClock(Date.UTC(2026, 10, 26, 9, 0, 0));
  const source = wrap(localCodeSource(memoryChallengeStore(), time.clock.now));
  const events: Fired[] = [];
  const make = (host: Host) => {
    for (const type of EVENTS)
      host.addEventListener(type, (event) => {
        events.push({type, detail: (event as CustomEvent).detail} as Fired);
        if (veto.includes(type)) event.preventDefault();
      });
    return new StepController(host, {
      sources: {
        source: withSource ? source : undefined,
        endpoint: '',
        demo: false,
        timeout: 10,
        credentials: 'same-origin',
        headers: {},
      },
      messages: () => en,
      clock: time.clock,
    });
  };
  const host = new Host();
  const step = make(host);
  return {
    step,
    host,
    events,
    /** A second element on the same source: what a reloaded page makes. */
    reloaded: () => make(new Host()),
    types: () => events.map((e) => e.type),
    redraws: () => host.redraws,
    ...time,
    options: (options: Partial<StepOptions> = {}): StepOptions => ({
      ...OPTIONS,
      ...options,
    }),
  };
}

/** A digit string of the code's length that is not the code. */
const wrong = (code: string) => code.replace(/^./, (c) => String((Number(c) + 1) % 10));

/** The step's console lines are for developers; the tests keep them and read them. */
const quiet = () => ({
  errors: mock.method(console, 'error', () => {}).mock,
  warnings: mock.method(console, 'warn', () => {}).mock,
});

describe('StepController', () => {
  describe('issue', () => {
    it('issues a code, opens on it and fires otp-request then otp-issued', async () => {
      const {step, events, options} = harness();
      assert.equal(await step.issue(options()), true);
      const {state} = step;
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
      const {step, types, options} = harness();
      const [a, b] = await Promise.all([step.issue(options()), step.issue(options())]);
      assert.deepEqual([a, b], [true, true]);
      assert.deepEqual(types(), ['otp-request', 'otp-issued']);
    });

    it('issues nothing when the page cancels otp-request', async () => {
      const {step, types, options} = harness({veto: ['otp-request']});
      assert.equal(await step.issue(options()), false);
      assert.deepEqual(types(), ['otp-request']);
      assert.equal(step.state.challenge, undefined);
      assert.equal(step.state.busy, false);
    });

    it('reports a bad parameter with its stable code and the developer detail, beside the trigger', async () => {
      const {errors} = quiet();
      const {step, events, options} = harness();
      assert.equal(await step.issue(options({length: 3})), false);
      assert.equal(events.length, 1);
      const [{type, detail}] = events;
      assert.equal(type, 'otp-error');
      assert.equal((detail as {code: string}).code, 'invalid-length');
      assert.match(
        (detail as {message: string}).message,
        /length must be a whole number/,
      );
      assert.equal(step.state.problem, 'invalid-length');
      assert.equal(step.state.open, false);
      assert.match(String(errors.calls[0].arguments[0]), /length must be a whole number/);
    });

    it('reports no-source when the page named no code source', async () => {
      quiet();
      const {step, events, options} = harness({withSource: false});
      assert.equal(await step.issue(options()), false);
      assert.equal((events[0].detail as {code: string}).code, 'no-source');
    });

    it('sends a code in place of the pending one after the cooldown, saying so', async () => {
      const {step, events, options, advance} = harness();
      await step.issue(options());
      const first = step.state.forTestCode;
      advance(30_000);
      assert.equal(await step.issue(options()), true);
      assert.deepEqual(events[2].detail, {
        stepName: 'Get code',
        user: 'maria.silva',
        client: 'web',
        resend: true,
      });
      assert.deepEqual(step.state.notice, {key: 'issued'});
      assert.equal(step.state.challenge?.resendsLeft, 1);
      assert.notEqual(await step.confirm(first).then((o) => o?.status), 'confirmed');
    });

    it('refuses a resend in the cooldown and offers Retry once the wait is over', async () => {
      quiet();
      const {step, events, options, advance} = harness();
      await step.issue(options());
      advance(10_000);
      assert.equal(await step.issue(options()), false);
      const error = events.at(-1)!;
      assert.equal(error.type, 'otp-error');
      assert.equal((error.detail as {code: string}).code, 'resend-cooldown');
      const retryAfter = (error.detail as {retryAfterSeconds: number}).retryAfterSeconds;
      assert.equal(retryAfter, 20);
      assert.deepEqual(step.state.retry, {
        at: Date.UTC(2026, 10, 26, 9, 0, 30),
        inDialog: true,
      });
      assert.deepEqual(step.state.notice, {key: 'error', code: 'resend-cooldown'});
      advance(20_000);
      await step.retry();
      assert.equal(step.state.retry, undefined);
      assert.equal(step.state.challenge?.resendsLeft, 1);
    });
  });

  describe('confirm', () => {
    it('confirms the right code: the value, otp-confirmed, closed, then step-complete', async () => {
      const {step, types, options, events} = harness();
      await step.issue(options());
      const code = step.state.forTestCode;
      const outcome = await step.confirm(` ${code.slice(0, 3)}-${code.slice(3)} `);
      assert.deepEqual(outcome, {status: 'confirmed'});
      assert.equal(step.state.value, code);
      assert.equal(step.state.open, false);
      assert.equal(step.state.challenge?.status, 'confirmed');
      assert.deepEqual(types().slice(2), ['otp-confirmed', 'step-complete']);
      // A sent code's confirmation says so; step-complete carries no method.
      assert.deepEqual(events[2].detail, {
        stepName: 'Get code',
        user: 'maria.silva',
        client: 'web',
        requestId: step.state.challenge?.requestId,
        method: 'code',
      });
    });

    it('turns a wrong code down, clears the entry and counts the attempt', async () => {
      const {step, events, options} = harness();
      await step.issue(options());
      step.type(wrong(step.state.forTestCode));
      const outcome = await step.confirm(step.state.entry);
      assert.deepEqual(outcome, {status: 'rejected', reason: 'invalid', attemptsLeft: 2});
      assert.equal(step.state.entry, '');
      assert.equal(step.state.invalid, true);
      assert.deepEqual(step.state.notice, {key: 'invalid', attemptsLeft: 2});
      assert.equal(events.at(-1)!.type, 'otp-rejected');
      assert.equal(step.state.open, true);
    });

    it('locks after max-attempts wrong codes, and then turns the right one down too', async () => {
      const {step, options} = harness();
      await step.issue(options());
      const code = step.state.forTestCode;
      for (let i = 0; i < 3; i++) await step.confirm(wrong(code));
      assert.equal(step.state.challenge?.status, 'locked');
      const outcome = await step.confirm(code);
      assert.equal(outcome?.status, 'rejected');
      assert.equal(step.state.value, '');
    });

    it('checks nothing malformed, and spends no attempt on it', async () => {
      quiet();
      const {step, events, options} = harness();
      await step.issue(options());
      assert.equal(await step.confirm('12345'), undefined);
      assert.equal((events.at(-1)!.detail as {code: string}).code, 'malformed-code');
      assert.equal(step.state.challenge?.attemptsLeft, 3);
    });

    it('says there is nothing to confirm before a code is issued', async () => {
      quiet();
      const {step, events} = harness();
      assert.equal(await step.confirm('123456'), undefined);
      assert.equal((events[0].detail as {code: string}).code, 'no-pending-code');
      assert.equal(step.state.problem, 'no-pending-code');
    });

    it('judges one confirmation at a time', async () => {
      const {step, options} = harness();
      await step.issue(options());
      const code = step.state.forTestCode;
      const both = await Promise.all([step.confirm(wrong(code)), step.confirm(code)]);
      assert.equal(both[0]?.status, 'rejected');
      assert.equal(both[1], undefined);
      assert.equal(step.state.challenge?.attemptsLeft, 2);
    });

    it('keeps the challenge after a failure, and Retry sends the same code again', async () => {
      quiet();
      let failNext = true;
      const {step, events, options} = harness({
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
      await step.issue(options());
      const code = step.state.forTestCode;
      assert.equal(await step.confirm(code), undefined);
      assert.equal((events.at(-1)!.detail as {code: string}).code, 'network-error');
      assert.equal(step.state.challenge?.status, 'pending');
      assert.ok(step.state.retry);
      await step.retry();
      assert.equal(step.state.value, code);
    });

    it('offers no Retry for a failure that trying again cannot mend', async () => {
      quiet();
      const {step, options} = harness({
        source: (local) => ({
          ...local,
          issue: async () => {
            throw new OtpStepError('unknown-user');
          },
        }),
      });
      assert.equal(await step.issue(options()), false);
      assert.equal(step.state.problem, 'unknown-user');
      assert.equal(step.state.retry, undefined);
    });

    it('says nothing of a request aborted by the element leaving', async () => {
      let release!: () => void;
      const {step, host, events, options} = harness({
        source: (local) => ({
          ...local,
          issue: (_config, signal) =>
            new Promise((_, reject) => {
              release = () => reject(new Error('gone'));
              signal?.addEventListener('abort', () => release());
            }),
        }),
      });
      const issued = step.issue(options());
      await new Promise((resolve) => setImmediate(resolve));
      host.leave();
      assert.equal(await issued, false);
      assert.deepEqual(
        events.map((e) => e.type),
        ['otp-request'],
      );
      assert.equal(step.state.busy, false);
    });
  });

  describe('countdown', () => {
    it('ticks only while a code is pending or a Retry waits', async () => {
      const {step, host, options, ticking} = harness();
      assert.equal(ticking(), false);
      await step.issue(options());
      assert.equal(ticking(), true);
      await step.confirm(step.state.forTestCode);
      await host.updateComplete;
      assert.equal(ticking(), false);
    });

    it('ticks while a Retry waits out the wait asked for, and stops once it may be pressed', async () => {
      quiet();
      const {step, host, options, ticking, advance, beat} = harness({
        source: (local) => ({
          ...local,
          issue: async () => {
            throw new OtpStepError('rate-limited', 'slow down', 2);
          },
        }),
      });
      assert.equal(await step.issue(options()), false);
      await host.updateComplete;
      assert.equal(ticking(), true);
      advance(2000);
      beat();
      await host.updateComplete;
      assert.equal(ticking(), false);
    });

    it('stops ticking when the element leaves the page', async () => {
      const {step, host, options, ticking} = harness();
      await step.issue(options());
      host.leave();
      assert.equal(ticking(), false);
    });

    it('speaks at 60, 30 and 10 seconds left, never every second', async () => {
      const {step, options, advance, beat} = harness();
      await step.issue(options());
      const spoken: number[] = [];
      for (let s = 0; s < 119; s++) {
        advance(1000);
        const before = step.state.announcement;
        beat();
        if (step.state.announcement !== before) spoken.push(step.state.announcement!);
      }
      assert.deepEqual(spoken, [60, 30, 10]);
    });

    it('expires the code at the end of its lifetime, once', async () => {
      const {step, types, options, advance, beat} = harness();
      await step.issue(options());
      const code = step.state.forTestCode;
      advance(120_000);
      beat();
      beat();
      assert.equal(step.state.challenge?.status, 'expired');
      assert.deepEqual(step.state.notice, {key: 'expired'});
      assert.deepEqual(types().slice(2), ['otp-expired']);
      const outcome = await step.confirm(code);
      assert.deepEqual(outcome, {status: 'rejected', reason: 'expired', attemptsLeft: 3});
      // Already said: no second otp-expired for the confirmation that found it so.
      assert.deepEqual(types().slice(2), ['otp-expired', 'otp-rejected']);
    });
  });

  describe('the rest of its life', () => {
    it('picks up the challenge left open before a reload, and shows it', async () => {
      const first = harness();
      await first.step.issue(first.options());
      // A second step on the same source: what a reloaded page makes.
      const reloaded = first.reloaded();
      await reloaded.restore(first.options());
      assert.equal(reloaded.state.open, true);
      assert.equal(
        reloaded.state.challenge?.requestId,
        first.step.state.challenge?.requestId,
      );
      assert.equal(reloaded.state.forTestCode, '');
    });

    it('shows nothing when nothing was left open', async () => {
      const {step, options} = harness();
      assert.equal(await step.restore(options()), undefined);
      assert.equal(step.state.open, false);
      assert.equal(step.state.challenge, undefined);
    });

    it('redraws on a keystroke only when it takes the error look off', async () => {
      const {step, options, redraws} = harness();
      await step.issue(options());
      await step.confirm(wrong(step.state.forTestCode));
      const before = redraws();
      step.type('1');
      assert.equal(step.state.invalid, false);
      step.type('12');
      assert.equal(redraws(), before + 1);
      assert.equal(step.state.entry, '12');
    });

    it('empties on a form reset and takes back a value the browser restores', async () => {
      const {step, options} = harness();
      await step.issue(options());
      await step.confirm(step.state.forTestCode);
      step.reset();
      assert.equal(step.state.value, '');
      assert.equal(step.state.notice, undefined);
      step.restoreValue('v1.token');
      assert.equal(step.state.value, 'v1.token');
    });

    it('shows a failure in the dialog while it is open, beside the trigger once closed', () => {
      const {step} = harness();
      step.open();
      step.fail(new OtpStepError('copy-failed'));
      assert.deepEqual(step.state.notice, {key: 'error', code: 'copy-failed'});
      assert.equal(step.state.problem, undefined);
      step.close();
      step.fail(new OtpStepError('storage-unavailable'));
      assert.equal(step.state.problem, 'storage-unavailable');
    });
  });
});

describe('StepController across a reload and at the ends of a code', () => {
  it('shows the code still pending for the same parameters rather than asking for another', async () => {
    const first = harness();
    await first.step.issue(first.options());
    // A reloaded page: a new step on the same source, knowing nothing yet.
    const reloaded = first.reloaded();
    const before = first.events.length;
    assert.equal(await reloaded.issue(first.options()), true);
    assert.deepEqual(first.events.slice(before), []);
    assert.equal(reloaded.state.open, true);
    assert.equal(
      reloaded.state.challenge?.requestId,
      first.step.state.challenge?.requestId,
    );
    assert.equal(reloaded.state.notice, undefined);
  });

  it('asks for a first code, not a resend, when the user changes', async () => {
    const {step, events, options} = harness();
    await step.issue(options());
    await step.issue(options({user: 'joao.souza'}));
    const request = events.filter((e) => e.type === 'otp-request').at(-1)!;
    assert.deepEqual(request.detail, {
      stepName: 'Get code',
      user: 'joao.souza',
      client: 'web',
      resend: false,
    });
    assert.equal(step.state.config?.user, 'joao.souza');
  });

  it('drops the test code of a code that expired', async () => {
    const {step, options, advance, beat} = harness();
    await step.issue(options());
    advance(120_000);
    beat();
    assert.equal(step.state.forTestCode, '');
  });

  it('says until when a locked code is locked, counts it down, and ends the lock with its lifetime', async () => {
    const {step, host, options, advance, beat, ticking} = harness();
    await step.issue(options());
    const code = step.state.forTestCode;
    for (let i = 0; i < 3; i++) await step.confirm(wrong(code));
    await host.updateComplete;
    const {challenge} = step.state;
    assert.equal(challenge?.status, 'locked');
    assert.deepEqual(step.state.notice, {key: 'locked', until: challenge?.expiresAt});
    assert.equal(step.state.forTestCode, '');
    assert.equal(ticking(), true);
    advance(120_000);
    beat();
    assert.equal(step.state.challenge?.status, 'expired');
    await host.updateComplete;
    assert.equal(ticking(), false);
  });
});
