import {expect} from '@open-wc/testing';
import {createStore} from 'idb-keyval';
import {
  indexedDbChallengeStore,
  memoryChallengeStore,
  type ChallengeStore,
} from '../../src/challenge/challenge-store.js';
import {OtpStepError} from '../../src/errors.js';
import {localCodeSource} from '../../src/sources/local-source.js';
import type {StepConfig} from '../../src/step/step-config.js';

const T0 = 1_700_000_000_000;

function setup(store: ChallengeStore = memoryChallengeStore()) {
  const clock = {now: T0};
  const source = localCodeSource(store, () => clock.now);
  return {clock, source, store};
}

const config = (overrides: Partial<StepConfig> = {}): StepConfig => ({
  stepName: 'login',
  sourceStep: '',
  user: `alice-${Math.random()}`,
  client: 'web',
  lifetimeSeconds: 300,
  length: 6,
  alphabet: 'numeric',
  maxAttempts: 3,
  resendAfterSeconds: 30,
  maxResends: 2,
  ...overrides,
});

/** A code of the right shape that is not `code`. */
const wrong = (code: string) => code.replace(/^./, (c) => String((Number(c) + 1) % 10));

async function refusal(promise: Promise<unknown>): Promise<OtpStepError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(OtpStepError);
    return error as OtpStepError;
  }
  throw new Error('expected a refusal');
}

describe('local code source', () => {
  it('issues a code of the configured shape with its challenge', async () => {
    const {source} = setup();
    const {code, challenge} = await source.issue(config({length: 8}));
    expect(code).to.match(/^\d{8}$/);
    expect(challenge).to.include({
      issuedAt: T0,
      expiresAt: T0 + 300_000,
      resendAt: T0 + 30_000,
      attemptsLeft: 3,
      resendsLeft: 2,
      status: 'pending',
    });
  });

  it('stores a digest of the code, never the code', async () => {
    const {source, store} = setup();
    const step = config();
    const {code} = await source.issue(step);
    const stored = JSON.stringify(
      await store.get(JSON.stringify([step.stepName, step.user, step.client])),
      (_, v) => (v instanceof Uint8Array ? [...v] : v),
    );
    expect(stored).to.include('"digest"');
    expect(stored).not.to.include(code!);
  });

  it('confirms the right code once only', async () => {
    const {source} = setup();
    const step = config();
    const {code} = await source.issue(step);
    expect((await source.confirm(step, code!)).outcome).to.deep.equal({
      status: 'confirmed',
    });
    expect((await source.confirm(step, code!)).outcome).to.deep.equal({
      status: 'rejected',
      reason: 'used',
      attemptsLeft: 3,
    });
  });

  it('locks after max-attempts wrong codes, even against the right one', async () => {
    const {source} = setup();
    const step = config();
    const {code} = await source.issue(step);
    const reasons = [];
    for (let i = 0; i < 3; i++)
      reasons.push((await source.confirm(step, wrong(code!))).outcome);
    expect(reasons.map((o) => o.status === 'rejected' && o.reason)).to.deep.equal([
      'invalid',
      'invalid',
      'locked',
    ]);
    expect((await source.confirm(step, code!)).outcome).to.include({reason: 'locked'});
    expect((await refusal(source.issue(step))).code).to.equal('locked');
  });

  it('rejects the right code after its lifetime', async () => {
    const {source, clock} = setup();
    const step = config();
    const {code} = await source.issue(step);
    clock.now = T0 + 300_000;
    expect((await source.confirm(step, code!)).outcome).to.include({reason: 'expired'});
  });

  it('resends only after the cooldown, invalidating the old code and keeping the failures', async () => {
    const {source, clock} = setup();
    const step = config();
    const first = await source.issue(step);
    await source.confirm(step, wrong(first.code!));
    clock.now = T0 + 29_000;
    const early = await refusal(source.issue(step));
    expect(early.code).to.equal('resend-cooldown');
    expect(early.retryAfterSeconds).to.equal(1);

    clock.now = T0 + 30_000;
    const second = await source.issue(step);
    expect(second.challenge.attemptsLeft).to.equal(2);
    expect(second.challenge.resendsLeft).to.equal(1);
    if (second.code !== first.code) {
      expect((await source.confirm(step, first.code!)).outcome).to.include({
        reason: 'invalid',
      });
    }
    expect((await source.confirm(step, second.code!)).outcome).to.deep.equal({
      status: 'confirmed',
    });
  });

  it('stops resending after max-resends', async () => {
    const {source, clock} = setup();
    const step = config({maxResends: 1});
    await source.issue(step);
    clock.now += 30_000;
    await source.issue(step);
    clock.now += 30_000;
    expect((await refusal(source.issue(step))).code).to.equal('resend-limit');
  });

  it('says there is nothing to confirm before a code is issued', async () => {
    const {source} = setup();
    expect((await refusal(source.confirm(config(), '123456'))).code).to.equal(
      'no-pending-code',
    );
  });

  it('gives back the pending challenge, and none once it has expired', async () => {
    const {source, clock} = setup();
    const step = config();
    const {challenge} = await source.issue(step);
    expect(await source.pending(step)).to.deep.equal(challenge);
    clock.now = T0 + 300_000;
    expect(await source.pending(step)).to.be.undefined;
  });

  it('shares one budget of attempts between two tabs', async () => {
    // Two connections to the same database, as two tabs of one site have.
    const tabA = setup(
      indexedDbChallengeStore(createStore('otp-step-source-test', 'challenges')),
    );
    const tabB = localCodeSource(
      indexedDbChallengeStore(createStore('otp-step-source-test', 'challenges')),
      () => tabA.clock.now,
    );
    const step = config({maxAttempts: 5});
    const {code} = await tabA.source.issue(step);
    const guesses = await Promise.all(
      Array.from({length: 20}, (_, i) =>
        (i % 2 ? tabA.source : tabB).confirm(step, wrong(code!)),
      ),
    );
    const reasons = guesses.map(
      ({outcome}) => outcome.status === 'rejected' && outcome.reason,
    );
    expect(reasons.filter((r) => r === 'invalid')).to.have.length(4);
    // The fifth wrong guess locks it; every guess after is refused as locked.
    expect(reasons.filter((r) => r === 'locked')).to.have.length(16);
    expect((await tabB.confirm(step, code!)).outcome).to.include({reason: 'locked'});
  });
});
