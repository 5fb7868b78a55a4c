import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  backoffMs,
  giveBackToWindow,
  judgeableFrom,
  reserveFailure,
  settleFailure,
  takeFromWindow,
  type FailurePolicy,
} from '../throttle.js';

const T = 1_700_000_000_000;
const policy: FailurePolicy = {
  freeFailures: 5,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  maxFailures: 10,
  memoryMs: 86_400_000,
};

describe('throttle: fixed windows', () => {
  it('opens a window on the first take and counts each take until it is full', () => {
    const [first, taken, ttl] = takeFromWindow(undefined, 2, 60_000, T);
    assert.deepEqual(first, {count: 1, endsAt: T + 60_000});
    assert.deepEqual(taken, {retryAfter: 0, endsAt: T + 60_000, count: 1});
    assert.equal(ttl, 60_000);
    const [second, again, left] = takeFromWindow(first, 2, 60_000, T + 10_000);
    assert.deepEqual(second, {count: 2, endsAt: T + 60_000});
    assert.equal(again.retryAfter, 0);
    assert.equal(again.count, 2);
    assert.equal(left, 50_000);
  });

  it('refuses a full window with the whole seconds until it ends, leaving it as it is', () => {
    const full = {count: 2, endsAt: T + 60_000};
    const [value, refused] = takeFromWindow(full, 2, 60_000, T + 59_500);
    assert.equal(value, full);
    assert.equal(refused.retryAfter, 1);
  });

  it('starts afresh once the window has ended', () => {
    const [value] = takeFromWindow({count: 9, endsAt: T}, 2, 60_000, T);
    assert.deepEqual(value, {count: 1, endsAt: T + 60_000});
  });

  it('gives back a place only to the window it was taken from, and leaves no key for an empty one', () => {
    const window = {count: 2, endsAt: T + 60_000};
    assert.deepEqual(giveBackToWindow(window, T + 60_000, T)[0], {
      count: 1,
      endsAt: T + 60_000,
    });
    assert.equal(
      giveBackToWindow({count: 1, endsAt: T + 60_000}, T + 60_000, T)[0],
      undefined,
    );
    // A newer window, or one already over, is left as it is.
    assert.equal(giveBackToWindow(window, T + 30_000, T)[0], window);
    assert.equal(giveBackToWindow(window, T + 60_000, T + 60_000)[0], window);
  });
});

describe('throttle: the account back-off', () => {
  it('waits nothing for the free failures, then doubles from the base up to the most', () => {
    assert.equal(backoffMs(4, policy), 0);
    assert.equal(backoffMs(5, policy), 1000);
    assert.equal(backoffMs(6, policy), 2000);
    assert.equal(backoffMs(9, policy), 16_000);
    assert.equal(backoffMs(10, policy), policy.memoryMs);
    assert.equal(backoffMs(7, {...policy, backoffMaxMs: 3000}), 3000);
  });

  it('judges an account from its last failure plus its back-off', () => {
    assert.equal(judgeableFrom(undefined, policy), 0);
    assert.equal(judgeableFrom({failures: 6, lastAt: T}, policy), T + 2000);
  });

  it('reserves a judgement as a failure, refusing while the back-off runs', () => {
    const [value, result, ttl] = reserveFailure(
      {failures: 5, lastAt: T},
      policy,
      T + 1000,
    );
    assert.deepEqual(value, {failures: 6, lastAt: T + 1000});
    assert.equal(result.retryAfter, 0);
    assert.equal(ttl, policy.memoryMs);
    const early = {failures: 5, lastAt: T};
    const [kept, refused] = reserveFailure(early, policy, T + 200);
    assert.equal(kept, early);
    assert.equal(refused.retryAfter, 1);
  });

  it('settles: a wrong code stays, a confirmed one clears the account, one not judged goes back without moving the time', () => {
    const account = {failures: 3, lastAt: T};
    assert.equal(settleFailure(account, 'failed', policy, T)[0], account);
    assert.equal(settleFailure(account, 'confirmed', policy, T)[0], undefined);
    const [back, , ttl] = settleFailure(account, 'not-judged', policy, T + 1000);
    assert.deepEqual(back, {failures: 2, lastAt: T});
    assert.equal(ttl, policy.memoryMs - 1000);
    assert.equal(
      settleFailure({failures: 1, lastAt: T}, 'not-judged', policy, T)[0],
      undefined,
    );
  });
});
