import {aTimeout, expect} from '@open-wc/testing';
import {
  challengeKey,
  memoryChallengeStore,
  type ChallengeStore,
} from '../../src/challenge/challenge-store.js';
import {RETRYABLE} from '../../src/errors.js';
import {httpCodeSource, refusal} from '../../src/sources/http-source.js';
import type {StepConfig} from '../../src/step/step-config.js';

const config = (): StepConfig => ({
  stepName: 'login',
  sourceStep: '',
  user: `tabs-${Math.random().toString(36).slice(2)}`,
  client: 'web',
  lifetimeSeconds: 300,
  length: 6,
  alphabet: 'numeric',
  maxAttempts: 5,
  resendAfterSeconds: 30,
  maxResends: 3,
});

/** A tab's source, talking over real HTTP to the reference server the test runner serves. */
const tab = (store: ChallengeStore, endpoint: string) =>
  httpCodeSource(store, () => ({
    endpoint,
    timeout: 10,
    credentials: 'same-origin',
    headers: {},
  }));

/**
 * The shared store as one tab sees it, with its writes held until `release()`:
 * the tab's answer has come back, but lands after the other tab's.
 */
function heldStore(shared: ChallengeStore) {
  let release!: () => void;
  let reached!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  const store: ChallengeStore = {
    ...shared,
    async update(key, change) {
      reached();
      await open;
      return shared.update(key, change);
    },
  };
  return {store, waiting, release};
}

describe('HTTP code source', () => {
  // Two instances of the reference server (/api/otp and /api/no-test-mode) stand
  // for two tabs' requests reaching a server: each issues its own code for the user.
  it('keeps the newer code when an older answer lands after it, from another tab', async () => {
    const shared = memoryChallengeStore();
    const step = config();
    const held = heldStore(shared);
    // Tab A's answer arrives first from the server but is written last.
    const older = tab(held.store, '/api/otp').issue(step);
    await held.waiting;
    // Server clocks count milliseconds: make sure the second code is issued later.
    await aTimeout(5);
    const newer = await tab(shared, '/api/no-test-mode').issue(step);
    held.release();
    const late = await older;

    const kept = await shared.get(challengeKey(step));
    expect(kept!.requestId).to.equal(newer.challenge.requestId);
    // The late tab shows the code that is kept, and gives out no code it dropped.
    expect(late.challenge.requestId).to.equal(newer.challenge.requestId);
    expect(late.code).to.be.undefined;
    expect(late.challenge.status).to.equal('pending');
  });

  it('replaces an older code with a newer answer, and keeps when the server issued it', async () => {
    const shared = memoryChallengeStore();
    const step = config();
    const first = await tab(shared, '/api/no-test-mode').issue(step);
    await aTimeout(5);
    const second = await tab(shared, '/api/otp').issue(step);
    expect(second.challenge.requestId).not.to.equal(first.challenge.requestId);
    expect(second.code).to.match(/^\d{6}$/);
    const kept = await shared.get(challengeKey(step));
    expect(kept!.requestId).to.equal(second.challenge.requestId);
    expect(kept!.serverIssuedAt).to.be.a('number');
    expect(Math.abs(kept!.serverIssuedAt! - Date.now())).to.be.below(60_000);
  });

  it('gives the server’s confirmation token with a confirmed code', async () => {
    const store = memoryChallengeStore();
    const step = config();
    const source = tab(store, '/api/otp');
    const {code, challenge} = await source.issue(step);
    const {outcome} = await source.confirm(step, code!);
    expect(outcome.status).to.equal('confirmed');
    const token = outcome.status === 'confirmed' ? outcome.confirmation : undefined;
    expect(token).to.be.a('string').and.not.equal(code);
    // v1.<claims>.<signature>: the claims name this user and request.
    const claims = JSON.parse(
      atob(token!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')),
    );
    expect(claims).to.include({user: step.user, requestId: challenge.requestId});
  });
});

describe('refusal', () => {
  const problem = (status: number, code: string, retryAfter?: number) =>
    refusal({
      status,
      body: {type: `urn:otp-step:problem:${code}`, title: code, status, code},
      retryAfter,
    });

  it('passes on unauthenticated and forbidden as they are', () => {
    expect(problem(401, 'unauthenticated').code).to.equal('unauthenticated');
    expect(problem(403, 'forbidden').code).to.equal('forbidden');
    // Signing in again or another account mends these, not Retry.
    expect(RETRYABLE.has('unauthenticated')).to.be.false;
    expect(RETRYABLE.has('forbidden')).to.be.false;
  });

  it('takes a busy or failing server as a server error, with Retry', () => {
    const busy = problem(503, 'busy', 30);
    expect(busy.code).to.equal('server-error');
    expect(busy.retryAfterSeconds).to.equal(30);
    expect(problem(502, 'notification-failed').code).to.equal('server-error');
    expect(RETRYABLE.has('server-error')).to.be.true;
  });

  it('takes other refusals as a failed request, with Retry', () => {
    expect(problem(408, 'request-timeout').code).to.equal('request-failed');
    expect(problem(422, 'idempotency-key-reused').code).to.equal('request-failed');
    expect(problem(429, 'something-new', 5)).to.include({
      code: 'rate-limited',
      retryAfterSeconds: 5,
    });
    expect(RETRYABLE.has('request-failed')).to.be.true;
  });
});
