import {
  createStore,
  entries,
  get,
  getMany,
  promisifyRequest,
  set,
  type UseStore,
} from 'idb-keyval';
import {viewOf, type ChallengeRecord, type ChallengeView} from './challenge.js';

/** A database of our own, so we never share idb-keyval's default store with the page. */
export const DATABASE_NAME = 'otp-step';
export const STORE_NAME = 'challenges';

/**
 * Where pending challenges are kept. `update` is an atomic read-modify-write:
 * in IndexedDB it is one readwrite transaction, which the browser serialises
 * across tabs, so two tabs confirming at once share one budget of attempts.
 */
export interface ChallengeStore {
  /** False when IndexedDB could not be used and records live in memory only. */
  readonly persistent: boolean;
  get(key: string): Promise<ChallengeRecord | undefined>;
  set(key: string, record: ChallengeRecord): Promise<void>;
  /** `change` must be synchronous: it runs inside the transaction. Returning no record deletes it. */
  update<T>(
    key: string,
    change: (record: ChallengeRecord | undefined) => [ChallengeRecord | undefined, T],
  ): Promise<T>;
  /** Deletes every record that expired before `now`. */
  purge(now: number): Promise<void>;
}

export {challengeKey, type ChallengeIdentity} from './challenge-key.js';

/** The challenge still open under `key`; undefined when there is none. */
export async function pendingChallenge(
  store: ChallengeStore,
  key: string,
  now: number,
): Promise<ChallengeView | undefined> {
  const record = await store.get(key);
  const view = record && viewOf(record, now);
  return view?.status === 'pending' ? view : undefined;
}

export function memoryChallengeStore(): ChallengeStore {
  const records = new Map<string, ChallengeRecord>();
  return {
    persistent: false,
    get: async (key) => records.get(key),
    set: async (key, record) => void records.set(key, record),
    async update(key, change) {
      const [next, result] = change(records.get(key));
      if (next) records.set(key, next);
      else records.delete(key);
      return result;
    },
    async purge(now) {
      for (const [key, record] of records)
        if (record.expiresAt < now) records.delete(key);
    },
  };
}

/**
 * Reads asked for in the same task share one transaction (idb-keyval's getMany):
 * a page of steps, each looking for the challenge it left open as it connects,
 * opens one transaction for them all rather than one each.
 */
export function batchedReads(
  idb: UseStore,
): (key: string) => Promise<ChallengeRecord | undefined> {
  let keys: string[] | undefined;
  let read: Promise<(ChallengeRecord | undefined)[]> | undefined;
  return (key) => {
    if (!keys || !read) {
      const batch: string[] = (keys = []);
      read = new Promise((resolve) => setTimeout(resolve)).then(() => {
        // From here on, a read goes into the next batch.
        keys = read = undefined;
        return getMany<ChallengeRecord>(batch, idb);
      });
    }
    const index = keys.push(key) - 1;
    return read.then((records) => records[index]);
  };
}

export function indexedDbChallengeStore(idb: UseStore): ChallengeStore {
  return {
    persistent: true,
    get: batchedReads(idb),
    set: (key, record) => set(key, record, idb),
    update: (key, change) =>
      idb('readwrite', async (store) => {
        const [next, result] = change(
          await promisifyRequest<ChallengeRecord>(store.get(key)),
        );
        if (next) store.put(next, key);
        else store.delete(key);
        await promisifyRequest(store.transaction);
        return result;
      }),
    async purge(now) {
      const expired = (await entries<string, ChallengeRecord>(idb)).filter(
        ([, record]) => !record || record.expiresAt < now,
      );
      if (expired.length === 0) return;
      // Re-read inside the transaction: another tab may have replaced a record since.
      await idb('readwrite', async (store) => {
        for (const [key] of expired) {
          const record = await promisifyRequest<ChallengeRecord>(store.get(key));
          if (!record || record.expiresAt < now) store.delete(key);
        }
        await promisifyRequest(store.transaction);
      });
    },
  };
}

let shared: Promise<ChallengeStore> | undefined;

/**
 * The store all elements on the page share: IndexedDB when it works, memory
 * otherwise (IndexedDB blocked by policy, or missing as in some private modes).
 */
export function openChallengeStore(): Promise<ChallengeStore> {
  shared ??= (async () => {
    try {
      const idb = createStore(DATABASE_NAME, STORE_NAME);
      // Opening lazily hides failures until first use: use it now.
      await get('', idb);
      const store = indexedDbChallengeStore(idb);
      // Once per page, not per element: expired challenges go when the page opens the store.
      await store.purge(Date.now());
      return store;
    } catch {
      return memoryChallengeStore();
    }
  })();
  return shared;
}

/** For tests: forget the shared store so the next open tries IndexedDB again. */
export function resetSharedChallengeStore(): void {
  shared = undefined;
}
