/**
 * The world the abuse suite (abuse-at-scale.test.ts) attacks in: phone numbers
 * that libphonenumber-js takes for real ones of their country and type, an SMS
 * provider that keeps what it was asked to send, and the counts the budgets
 * are checked by. No assertion about the server lives here.
 */
import {parsePhoneNumberFromString} from 'libphonenumber-js/max';
import {createNotifier, type OtpChannel} from '../notify/index.js';

/** What the handler and the notifier may log: nothing, at 6,000 requests a minute. */
export const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** `count` distinct numbers `prefix` + a counter, each checked to be a valid number of `country` and `type`. */
export function phoneNumbers(
  count: number,
  prefix: string,
  digits: number,
  country: string,
  type: string,
): string[] {
  return Array.from({length: count}, (_, i) => {
    const phone = `${prefix}${String(i).padStart(digits, '0')}`;
    const parsed = parsePhoneNumberFromString(phone);
    if (!parsed?.isValid() || parsed.country !== country || parsed.getType() !== type)
      throw new Error(
        `${phone} is not a valid ${type} number of ${country} (${parsed?.country} ${parsed?.getType()})`,
      );
    return phone;
  });
}

/** The ISO country a number is of, as the server would read it. */
export const countryOf = (phone: string) =>
  parsePhoneNumberFromString(phone)?.country ?? 'unknown';

/** One message the provider was asked to send. */
export interface Sent {
  user: string;
  phone: string;
  requestId: string;
  code: string;
  at: number;
}

/**
 * An SMS provider that sends at once and keeps every message, behind a real
 * notifier (createNotifier), so that the challenge's `delivery` is tracked as
 * in production. `now` is the test's clock: the notifier's deadlines are the
 * handler's.
 */
export function recordingSms(now: () => number) {
  const sends: Sent[] = [];
  const channel: OtpChannel = {
    channel: 'sms',
    provider: 'test-sms',
    async send(_message, notification) {
      sends.push({
        user: notification.user,
        phone: notification.to.phone ?? '',
        requestId: notification.requestId,
        code: notification.code,
        at: now(),
      });
    },
  };
  return {
    sends,
    notifier: createNotifier({channels: [channel], logger: silentLogger, now}),
  };
}

/**
 * The most events in one window, windows counted as throttle.ts counts them: a
 * window opens at the first event it counts and lasts `spanMs`; the next opens
 * at the first event after it ends.
 */
export function mostInOneWindow(times: number[], spanMs: number): number {
  let most = 0;
  let opened = -Infinity;
  let count = 0;
  for (const at of [...times].sort((a, b) => a - b)) {
    if (at >= opened + spanMs) {
      opened = at;
      count = 0;
    }
    most = Math.max(most, ++count);
  }
  return most;
}

/** Events grouped by a key, each group's times. */
export function timesBy<T>(events: T[], key: (e: T) => string, at: (e: T) => number) {
  const groups = new Map<string, number[]>();
  for (const e of events) {
    const list = groups.get(key(e)) ?? [];
    list.push(at(e));
    groups.set(key(e), list);
  }
  return groups;
}

/** A small seeded generator (mulberry32), so each run attacks the same way. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}
