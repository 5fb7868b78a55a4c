/**
 * Faults of the store at every step of a confirmation: an update that fails
 * before it runs, or after it wrote with its answer lost (Redis gone between the
 * write and the reply). No sequence of them may grant an extra attempt or
 * confirm a code twice. Runs on the suite's store, wrapped.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {OtpStoreUnavailableError, type OtpStore} from '../index.js';
import {confirm, issue, setup, wrongCode} from './helpers.js';

/** Wraps a store so that the n-th update from now fails, before or after it writes. */
function faulty() {
  let countdown = 0;
  let afterWrite = false;
  return {
    arm(n: number, after: boolean) {
      countdown = n;
      afterWrite = after;
    },
    wrap(inner: OtpStore): OtpStore {
      return {
        async update(key, change) {
          if (countdown <= 0 || --countdown > 0) return inner.update(key, change);
          if (!afterWrite) throw new OtpStoreUnavailableError();
          await inner.update(key, change);
          throw new OtpStoreUnavailableError();
        },
      };
    },
  };
}

/** How many updates one confirmation makes, counted on a run without faults. */
async function updatesPerConfirm(): Promise<number> {
  const plain = setup();
  let updates = 0;
  const counting = setup({
    store: {update: (key, change) => (updates++, plain.store.update(key, change))},
  });
  const {json} = await issue(counting);
  updates = 0;
  await confirm(counting, json.requestId, wrongCode(String(json.code)));
  return updates;
}

describe('store faults during a confirmation', () => {
  it('never lets a fault at any step grant an attempt: the account counts every wrong code judged', async () => {
    const steps = await updatesPerConfirm();
    assert.ok(steps >= 4, `${steps} updates`);
    for (let step = 1; step <= steps; step++) {
      for (const after of [false, true]) {
        const fault = faulty();
        const plain = setup();
        const ctx = setup({store: fault.wrap(plain.store)});
        const {json} = await issue(ctx);
        const wrong = wrongCode(String(json.code));
        fault.arm(step, after);
        const faulted = await confirm(ctx, json.requestId, wrong);
        assert.ok(
          [422, 503].includes(faulted.status),
          `${step}/${after}: ${faulted.status}`,
        );
        // Four more wrong codes without faults: the challenge is then locked, with
        // every judged wrong code counted on the account, faulted one included.
        const statuses = [];
        for (let i = 0; i < 4; i++)
          statuses.push((await confirm(ctx, json.requestId, wrong)).status);
        const record = (await plain.store.update(
          `challenge:${JSON.stringify(['login', 'alice', 'web'])}`,
          (v) => [v, v],
        )) as {failures: number};
        const account = (await plain.store.update('failures:"alice"', (v) => [v, v])) as
          {failures: number} | undefined;
        assert.ok(
          (account?.failures ?? 0) >= record.failures,
          `fault at update ${step} ${after ? 'after' : 'before'} its write: the code counted ${record.failures}, the account ${account?.failures ?? 0} (${statuses})`,
        );
      }
    }
  });

  it('never confirms a code twice, whichever step fails', async () => {
    const steps = await updatesPerConfirm();
    for (let step = 1; step <= steps + 2; step++) {
      for (const after of [false, true]) {
        const fault = faulty();
        const plain = setup();
        const ctx = setup({store: fault.wrap(plain.store)});
        const {json} = await issue(ctx);
        fault.arm(step, after);
        const answers = [await confirm(ctx, json.requestId, String(json.code))];
        for (let i = 0; i < 3; i++)
          answers.push(await confirm(ctx, json.requestId, String(json.code)));
        const statuses = answers.map((a) => a.status);
        assert.ok(
          statuses.filter((s) => s === 200).length <= 1,
          `fault at update ${step} ${after ? 'after' : 'before'}: ${statuses}`,
        );
        // And a fault never turns into a wrong answer: only 200, 409 used or 503.
        assert.ok(
          statuses.every((s) => [200, 409, 503].includes(s)),
          `${statuses}`,
        );
      }
    }
  });
});
