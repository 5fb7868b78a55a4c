import {expect} from '@open-wc/testing';
import {
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

describe('HTTP code source', () => {
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
