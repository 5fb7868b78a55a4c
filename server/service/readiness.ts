import {HEALTH_KEY} from '../keys.js';
import type {OtpStore} from '../store.js';

/** How often the store is tried in the background: `/readyz` reads the last outcome, never the store. */
export const READY_CHECK_MS = 2000;
/** A store that has not answered the check within this is counted down, as a hung Redis is. */
export const READY_TIMEOUT_MS = 1000;

/** Why the service is not ready, as `/readyz` names it. */
export type NotReadyReason = 'starting' | 'store' | 'channels' | 'draining';

export interface ReadinessState {
  ready: boolean;
  /** Empty while ready. */
  reasons: NotReadyReason[];
  /** Channels that failed their start-up check (`"email smtp"`). */
  failedChannels: string[];
}

/**
 * Whether the service should be sent traffic: the store answered its last
 * background check, no configured channel failed its start-up check, and no
 * shutdown is under way. A probe only reads this state, so a load balancer
 * probing every 100 ms costs the store nothing.
 */
export function readiness(options: {
  store: OtpStore;
  /** The notifier's start-up check: resolves with the channels that failed. */
  channelCheck?: Promise<string[]>;
  intervalMs?: number;
  timeoutMs?: number;
}) {
  const intervalMs = options.intervalMs ?? READY_CHECK_MS;
  const timeoutMs = options.timeoutMs ?? READY_TIMEOUT_MS;
  let storeUp: boolean | undefined;
  let channelsChecked = !options.channelCheck;
  let failedChannels: string[] = [];
  let draining = false;

  void options.channelCheck?.then(
    (failed) => {
      failedChannels = failed;
      channelsChecked = true;
    },
    () => {
      // verify() logs and never rejects; a rejection is still a check that did not pass.
      failedChannels = ['channels'];
      channelsChecked = true;
    },
  );

  let checking: Promise<void> | undefined;
  const check = () => {
    checking ??= (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      });
      try {
        await Promise.race([
          options.store.update(HEALTH_KEY, (value) => [value, true]),
          timedOut,
        ]);
        storeUp = true;
      } catch {
        storeUp = false;
      } finally {
        clearTimeout(timer);
        checking = undefined;
      }
    })();
    return checking;
  };
  void check();
  // Unref'd: the check never keeps a process alive that has nothing else to do.
  const interval = setInterval(check, intervalMs);
  interval.unref();

  return {
    state(): ReadinessState {
      const reasons: NotReadyReason[] = [];
      if (draining) reasons.push('draining');
      if (storeUp === undefined || !channelsChecked) reasons.push('starting');
      if (storeUp === false) reasons.push('store');
      if (failedChannels.length) reasons.push('channels');
      return {ready: reasons.length === 0, reasons, failedChannels};
    },
    /** From now on not ready: a shutdown has begun. */
    drain() {
      draining = true;
    },
    /** Stops the background check (on shutdown, before the store closes). */
    async stop() {
      clearInterval(interval);
      await checking;
    },
  };
}

export type Readiness = ReturnType<typeof readiness>;
