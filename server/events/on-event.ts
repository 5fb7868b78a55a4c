import type {LifecycleObserver, OtpEvent} from './lifecycle.js';
import {otpEvent, publicType} from './otp-event.js';

/**
 * The app's `onEvent` as an observer. Each call is made on a later turn of
 * the event loop than the fact, so no answer waits for it (a slow `onEvent`
 * that awaits its own work delays nothing); calls keep the facts' order. A
 * throw or a rejection is logged, and `idle()` waits for calls still running.
 */
export function onEventObserver(
  onEvent: (event: OtpEvent) => void | Promise<void>,
  logFailure: (what: string, error: unknown) => void,
): LifecycleObserver {
  const running = new Set<Promise<void>>();
  return {
    fact(fact) {
      const type = publicType(fact);
      if (!type) return;
      // Even the event is made later: a request makes no more work for a known user than for a decoy.
      const call: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => onEvent(otpEvent(fact)!))
        .catch((error: unknown) => logFailure(`onEvent for ${type}`, error))
        .finally(() => running.delete(call));
      running.add(call);
    },
    async idle() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
}
