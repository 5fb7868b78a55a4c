/**
 * The store as the handler uses it when metrics are on: each update timed
 * into otp_store_duration_seconds, and whether the last one reached the store
 * kept for otp_store_up (read when scraped: no probe of its own).
 */
import {OtpStoreUnavailableError, type OtpStore} from '../store.js';
import type {Observe} from './types.js';

export interface StoreHealth {
  /** False from an update that failed with store-unavailable until one succeeds. */
  up: boolean;
}

export function timedStore(
  store: OtpStore,
  observe: Observe,
  health: StoreHealth,
  /** Told when `observe` throws: a broken metrics target never fails an update. */
  failed: (error: unknown) => void,
  /**
   * True for the memory store, which does all of an update within the call
   * (its promise is settled when it returns) and is never unreachable: timing
   * the call times the update, with no callback to wait for.
   */
  inProcess: boolean,
): OtpStore {
  // Everything else the store has (a Redis store's `close`, …) is the store's
  // own, reached through the prototype; `full`, which the handler reads, is
  // read on the store itself, so a class with private fields keeps its `this`.
  const wrapped = Object.create(store) as OtpStore;
  Object.defineProperty(wrapped, 'full', {get: () => store.full});
  // Not timed: it answers within the call, in a microsecond or two, which no
  // one pages on, and timing it was most of what metrics cost a request.
  if (inProcess) return store;
  wrapped.update = (key, change) => {
    const started = performance.now();
    const updating = store.update(key, change);
    // Timed beside the caller's await, not in its way: the caller gets the
    // store's own promise, with no extra step before it settles.
    updating.then(
      () => {
        health.up = true;
        timed(started);
      },
      (error: unknown) => {
        if (error instanceof OtpStoreUnavailableError) health.up = false;
        timed(started);
      },
    );
    return updating;
  };
  function timed(started: number) {
    try {
      observe((performance.now() - started) / 1000);
    } catch (error) {
      failed(error);
    }
  }
  return wrapped;
}
