import {expect} from '@open-wc/testing';
import {createStore, del} from 'idb-keyval';
import {newRecord, type ChallengeRecord} from '../../src/challenge/challenge.js';
import {
  challengeKey,
  indexedDbChallengeStore,
  memoryChallengeStore,
  openChallengeStore,
  resetSharedChallengeStore,
  type ChallengeStore,
} from '../../src/challenge/challenge-store.js';

// A database of this file's own, so tests running in other pages at the same time do not meet it.
const TEST_DATABASE = 'otp-step-store-test';
const policy = {
  lifetimeSeconds: 300,
  resendAfterSeconds: 30,
  maxAttempts: 100,
  maxResends: 3,
};

function record(requestId: string, now: number): ChallengeRecord {
  return newRecord(
    {requestId, stepName: 's', user: 'u', client: 'c'},
    policy,
    {failures: 0, resends: 0},
    now,
  );
}

/** Adds one failure, as a wrong guess would. */
const addFailure = (
  r: ChallengeRecord | undefined,
): [ChallengeRecord | undefined, number] =>
  r ? [{...r, failures: r.failures + 1}, r.failures + 1] : [r, -1];

function behavesAsAStore(make: () => ChallengeStore) {
  it('keeps, reads, updates and deletes records', async () => {
    const store = make();
    const key = challengeKey({stepName: 's', user: `u-${Math.random()}`, client: 'c'});
    expect(await store.get(key)).to.be.undefined;
    await store.set(key, record('r1', 1000));
    expect((await store.get(key))?.requestId).to.equal('r1');
    expect(await store.update(key, addFailure)).to.equal(1);
    expect((await store.get(key))?.failures).to.equal(1);
    expect(await store.update(key, (r) => [undefined, r?.requestId])).to.equal('r1');
    expect(await store.get(key)).to.be.undefined;
  });

  it('purges only what has expired', async () => {
    const store = make();
    const old = challengeKey({stepName: 's', user: `old-${Math.random()}`, client: 'c'});
    const live = challengeKey({
      stepName: 's',
      user: `live-${Math.random()}`,
      client: 'c',
    });
    await store.set(old, record('old', 0)); // expires at 300,000
    await store.set(live, record('live', 200_000)); // expires at 500,000
    await store.purge(400_000);
    expect(await store.get(old)).to.be.undefined;
    expect((await store.get(live))?.requestId).to.equal('live');
  });

  it('keeps the salt and digest bytes as they were', async () => {
    const store = make();
    const key = challengeKey({
      stepName: 's',
      user: `bytes-${Math.random()}`,
      client: 'c',
    });
    const salt = new Uint8Array([1, 2, 3]);
    await store.set(key, {...record('r', 0), salt, digest: new Uint8Array([4, 5])});
    const back = await store.get(key);
    expect([...(back?.salt ?? [])]).to.deep.equal([1, 2, 3]);
    expect([...(back?.digest ?? [])]).to.deep.equal([4, 5]);
  });
}

describe('challenge store', () => {
  describe('in memory', () => behavesAsAStore(memoryChallengeStore));

  describe('in IndexedDB', () => {
    behavesAsAStore(() =>
      indexedDbChallengeStore(createStore(TEST_DATABASE, 'challenges')),
    );

    it('loses no update when two tabs change one record at the same time', async () => {
      // Two connections to one database behave as two tabs do.
      const tabA = indexedDbChallengeStore(createStore(TEST_DATABASE, 'challenges'));
      const tabB = indexedDbChallengeStore(createStore(TEST_DATABASE, 'challenges'));
      const key = challengeKey({
        stepName: 's',
        user: `race-${Math.random()}`,
        client: 'c',
      });
      await tabA.set(key, record('r', Date.now()));
      const results = await Promise.all(
        Array.from({length: 40}, (_, i) => (i % 2 ? tabA : tabB).update(key, addFailure)),
      );
      expect((await tabA.get(key))?.failures).to.equal(40);
      // Each update saw the one before it: every count from 1 to 40 came out once.
      expect([...results].sort((a, b) => a - b)).to.deep.equal(
        Array.from({length: 40}, (_, i) => i + 1),
      );
      await del(key, createStore(TEST_DATABASE, 'challenges'));
    });

    it('reads what a page of steps asks for at once in one transaction, each its own record', async () => {
      const store = indexedDbChallengeStore(createStore(TEST_DATABASE, 'challenges'));
      const keys = Array.from({length: 50}, (_, i) =>
        challengeKey({stepName: 's', user: `many-${i}-${Math.random()}`, client: 'c'}),
      );
      await Promise.all(keys.map((key, i) => store.set(key, record(`r${i}`, 0))));
      const transaction = IDBDatabase.prototype.transaction;
      let opened = 0;
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args) {
        opened++;
        return transaction.apply(this, args);
      } as typeof transaction;
      let read: (ChallengeRecord | undefined)[];
      try {
        read = await Promise.all([...keys, 'missing'].map((key) => store.get(key)));
      } finally {
        IDBDatabase.prototype.transaction = transaction;
      }
      expect(opened).to.equal(1);
      expect(read.map((r) => r?.requestId)).to.deep.equal([
        ...keys.map((_, i) => `r${i}`),
        undefined,
      ]);
      // A read after the batch went out starts the next one.
      expect((await store.get(keys[7]))?.requestId).to.equal('r7');
    });
  });

  describe('openChallengeStore', () => {
    const open = IDBFactory.prototype.open;
    afterEach(() => {
      IDBFactory.prototype.open = open;
      resetSharedChallengeStore();
    });

    it('uses IndexedDB where it works', async () => {
      resetSharedChallengeStore();
      expect((await openChallengeStore()).persistent).to.be.true;
    });

    it('falls back to memory where IndexedDB refuses to open', async () => {
      resetSharedChallengeStore();
      // As in a browser whose policy blocks storage for the site.
      IDBFactory.prototype.open = () => {
        throw new DOMException(
          'The user denied permission to access the database.',
          'SecurityError',
        );
      };
      const store = await openChallengeStore();
      expect(store.persistent).to.be.false;
      const key = challengeKey({stepName: 's', user: 'u', client: 'c'});
      await store.set(key, record('r', 0));
      expect((await store.get(key))?.requestId).to.equal('r');
    });
  });
});
