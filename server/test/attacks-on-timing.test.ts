/**
 * Attacks by the clock on the wall: telling known users from unknown ones by
 * how long the answer takes. An unknown user is answered as a known one (a
 * decoy, sent nothing), so the body says nothing; but a `notify` that is
 * awaited before the answer makes every known user's answer as slow as the
 * SMS provider, and every unknown one's as fast as the server. Real timers
 * here, not the fake clock: what is measured is the wall-clock time a caller
 * sees.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {byTestAddress, issue, setup} from './helpers.js';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

describe('attack: timing the answer to enumerate users', () => {
  it('answers known and unknown users in the same time (medians within 20 ms) when notify takes 200–800 ms', async () => {
    const PER_KIND = 200;
    const known = new Set(Array.from({length: PER_KIND}, (_, i) => `known-${i}`));
    const notified = new Set<string>();
    const ctx = setup({
      ...byTestAddress,
      lookupUser: (user) => known.has(user),
      // A provider's API as it is: a few hundred milliseconds, never the same twice.
      notify: async (n) => {
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600));
        notified.add(n.user);
      },
    });
    // The handler's and the store's clock is the wall clock for this test.
    Object.defineProperty(ctx.clock, 'now', {get: () => Date.now()});

    const times: Record<'known' | 'unknown', number[]> = {known: [], unknown: []};
    const statuses: number[] = [];
    const timed = async (kind: 'known' | 'unknown', i: number) => {
      // An address each, so that no limit of the defaults answers for the server.
      const address = {'x-test-address': `10.9.${i >> 8}.${i & 255}`};
      const started = performance.now();
      const answer = await issue(ctx, `${kind}-${i}`, {}, address);
      times[kind].push(performance.now() - started);
      statuses.push(answer.status);
    };
    // Parallel batches, known and unknown side by side so both see the same load.
    const BATCH = 40;
    for (let start = 0; start < PER_KIND; start += BATCH / 2) {
      const batch = [];
      for (let i = start; i < start + BATCH / 2; i++)
        batch.push(timed('known', i), timed('unknown', PER_KIND + i));
      await Promise.all(batch);
    }
    await ctx.handler.idle();
    // A server that sends behind the answer may still be sending: wait out the slowest notify.
    for (let i = 0; i < 20 && notified.size < PER_KIND; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));

    const knownMedian = median(times.known);
    const unknownMedian = median(times.unknown);
    console.log(
      `# timing: median answer ${knownMedian.toFixed(1)} ms for ${times.known.length} known users, ${unknownMedian.toFixed(1)} ms for ${times.unknown.length} unknown`,
    );
    assert.deepEqual(new Set(statuses), new Set([201]), 'every request was answered 201');
    // The known users were really sent a code: the test compares sending with not sending.
    assert.equal(notified.size, PER_KIND, 'every known user was notified');
    assert.ok(
      Math.abs(knownMedian - unknownMedian) <= 20,
      `known users answered in ${knownMedian.toFixed(1)} ms (median), unknown in ${unknownMedian.toFixed(1)} ms: the time tells them apart`,
    );
  });
});
