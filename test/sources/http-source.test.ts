import {expect} from '@open-wc/testing';
import {RETRYABLE} from '../../src/errors.js';
import {refusal} from '../../src/sources/http-source.js';

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
