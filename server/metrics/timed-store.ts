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
): OtpStore {
  const timed = (started: number) => {
    try {
      observe((performance.now() - started) / 1000);
    } catch (error) {
      failed(error);
    }
  };
  // Everything else the store has (`full`, a Redis store's `close`, …) is the
  // store's own, reached through the prototype: only `update` is wrapped.
  const wrapped = Object.create(store) as OtpStore;
  wrapped.update = async (key, change) => {
    const started = performance.now();
    try {
      const result = await store.update(key, change);
      health.up = true;
      return result;
    } catch (error) {
      if (error instanceof OtpStoreUnavailableError) health.up = false;
      throw error;
    } finally {
      timed(started);
    }
  };
  return wrapped;
}
