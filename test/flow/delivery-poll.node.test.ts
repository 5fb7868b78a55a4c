// The delivery status poll's timing on a clock moved by hand: when it reads,
// how it backs off, and what stops it.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {deliveryPoll, pollDelays, type ReadResult} from '../../src/flow/delivery-poll.js';

function handClock() {
  let now = 0;
  let timers: {at: number; run: () => void}[] = [];
  return {
    after(ms: number, run: () => void) {
      const timer = {at: now + ms, run};
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
    /** Moves the clock on, running what falls due, and lets the reads' promises settle. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      now = end;
    },
    get now() {
      return now;
    },
    get pending() {
      return timers.length;
    },
  };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('deliveryPoll', () => {
  it('backs off 3, 6, 12, 24 s and is capped', () => {
    const d = pollDelays();
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map(d),
      [3000, 6000, 12000, 24000, 48000, 48000, 48000],
    );
  });

  it('reads at 3 s, 9 s and 21 s while queued, then stops once sent', async () => {
    const clock = handClock();
    const answers: ReadResult[] = ['queued', 'queued', 'done'];
    const at: number[] = [];
    const poll = deliveryPoll({
      clock,
      read: async () => {
        at.push(clock.now);
        return answers.shift() ?? 'done';
      },
    });
    await clock.advance(2999);
    assert.deepEqual(at, []);
    await clock.advance(60_000);
    assert.deepEqual(at, [3000, 9000, 21000]);
    assert.equal(poll.stopped, true);
    assert.equal(clock.pending, 0);
  });

  it('a route the server does not have stops it silently', async () => {
    const clock = handClock();
    let reads = 0;
    const poll = deliveryPoll({clock, read: async () => (reads++, 'unsupported')});
    await clock.advance(100_000);
    assert.equal(reads, 1);
    assert.equal(poll.stopped, true);
  });

  it('a read that throws is tried again later, not given up on', async () => {
    const clock = handClock();
    let reads = 0;
    deliveryPoll({
      clock,
      read: async () => {
        reads++;
        if (reads < 3) throw new Error('network');
        return 'done';
      },
    });
    await clock.advance(100_000);
    assert.equal(reads, 3);
  });

  it('poke reads at once and the schedule goes on from there; stop ends it', async () => {
    const clock = handClock();
    const at: number[] = [];
    const poll = deliveryPoll({
      clock,
      read: async () => (at.push(clock.now), 'queued'),
    });
    await clock.advance(1000);
    poll.poke();
    await settle();
    assert.deepEqual(at, [1000]);
    // The first wait (3 s) was used by the schedule from the start: the next is 6 s.
    await clock.advance(5999);
    assert.deepEqual(at, [1000]);
    await clock.advance(1);
    assert.deepEqual(at, [1000, 7000]);
    poll.stop();
    await clock.advance(100_000);
    assert.deepEqual(at, [1000, 7000]);
    assert.equal(clock.pending, 0);
  });

  it('two pokes during one read make one read', async () => {
    const clock = handClock();
    let reads = 0;
    let release!: () => void;
    const poll = deliveryPoll({
      clock,
      read: () => {
        reads++;
        return new Promise<ReadResult>((r) => (release = () => r('done')));
      },
    });
    poll.poke();
    poll.poke();
    await settle();
    assert.equal(reads, 1);
    release();
    await settle();
    assert.equal(poll.stopped, true);
  });
});
