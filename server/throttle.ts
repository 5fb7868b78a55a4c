/**
 * The server's counters as pure functions of a stored value and the time, to run
 * inside the store's atomic `update`. Each check that lets a request through
 * also takes its share (a reservation), so parallel requests cannot all pass
 * before any is counted; a request refused later hands its shares back, so a
 * refused request uses up nothing.
 */

/** A fixed window: `count` requests until `endsAt` (epoch ms). */
export interface WindowCount {
  count: number;
  endsAt: number;
}

/** A store `change` answer: the new value, the result, and how long to keep the value. */
type Change<T> = [value: unknown, result: T, ttlMs?: number];

/**
 * Takes one from a window of `max` per `windowMs`: `retryAfter` is 0 when taken,
 * else the seconds until the window ends; `count` is the window's count after.
 * A full window is left as it is.
 */
export function takeFromWindow(
  value: unknown,
  max: number,
  windowMs: number,
  now: number,
): Change<{retryAfter: number; endsAt: number; count: number}> {
  const window = value as WindowCount | undefined;
  if (!window || window.endsAt <= now) {
    const endsAt = now + windowMs;
    return [{count: 1, endsAt}, {retryAfter: 0, endsAt, count: 1}, windowMs];
  }
  if (window.count >= max) {
    const retryAfter = Math.max(1, Math.ceil((window.endsAt - now) / 1000));
    return [value, {retryAfter, endsAt: window.endsAt, count: window.count}];
  }
  const count = window.count + 1;
  return [
    {count, endsAt: window.endsAt},
    {retryAfter: 0, endsAt: window.endsAt, count},
    window.endsAt - now,
  ];
}

/** Gives back what `takeFromWindow` took, if that window is still the one stored. */
export function giveBackToWindow(
  value: unknown,
  endsAt: number,
  now: number,
): Change<void> {
  const window = value as WindowCount | undefined;
  if (!window || window.endsAt !== endsAt || window.count <= 0 || endsAt <= now)
    return [value, undefined];
  // An empty window is no key at all: refused requests must leave nothing in the store.
  if (window.count === 1) return [undefined, undefined];
  return [{count: window.count - 1, endsAt}, undefined, endsAt - now];
}

/** Wrong codes judged for one account, across every challenge, client and step. */
export interface AccountFailures {
  failures: number;
  /** When the last wrong code was judged (epoch ms). */
  lastAt: number;
}

export interface FailurePolicy {
  /** Wrong codes judged without a wait (one code's worth of attempts). */
  freeFailures: number;
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Wrong codes an account may have judged before it is refused outright. */
  maxFailures: number;
  /** How long the count lasts after the last failure; also the refusal once `maxFailures` is reached. */
  memoryMs: number;
}

/** How long after its last failure an account with `failures` must wait before the next judgement. */
export function backoffMs(failures: number, policy: FailurePolicy): number {
  if (failures >= policy.maxFailures) return policy.memoryMs;
  if (failures < policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures, 40);
  return Math.min(policy.backoffBaseMs * 2 ** doublings, policy.backoffMaxMs);
}

/** When the account's next wrong-or-right code may be judged (epoch ms; 0 for an account with no failures). */
export function judgeableFrom(value: unknown, policy: FailurePolicy): number {
  const account = value as AccountFailures | undefined;
  return account ? account.lastAt + backoffMs(account.failures, policy) : 0;
}

/**
 * Reserves the judgement of one code for an account, counting it as a failure
 * until `settleFailure` says otherwise. Refused with the seconds to wait while
 * the account's back-off runs. `failures` is the count with this one reserved
 * (the authenticator answers the attempts left before the back-off from it). The count lasts `memoryMs` after the last failure,
 * so no span of that length can hold more than `maxFailures` judged wrong codes.
 */
export function reserveFailure(
  value: unknown,
  policy: FailurePolicy,
  now: number,
): Change<{retryAfter: number; failures: number}> {
  const account = value as AccountFailures | undefined;
  const failures = account?.failures ?? 0;
  const openAt = judgeableFrom(account, policy);
  if (now < openAt)
    return [value, {retryAfter: Math.max(1, Math.ceil((openAt - now) / 1000)), failures}];
  return [
    {failures: failures + 1, lastAt: now},
    {retryAfter: 0, failures: failures + 1},
    policy.memoryMs,
  ];
}

/**
 * Settles a reservation once the code is judged: a wrong code stays counted, a
 * confirmed code clears the account, and an attempt that was not judged at all
 * (expired, used, replaced) is handed back. Only the count is handed back, never
 * the time of the last failure: a wrong code judged in parallel may already
 * stand on it, and moving it back would forget that code early.
 */
export function settleFailure(
  value: unknown,
  outcome: 'failed' | 'confirmed' | 'not-judged',
  policy: FailurePolicy,
  now: number,
): Change<void> {
  if (outcome === 'confirmed') return [undefined, undefined];
  const account = value as AccountFailures | undefined;
  if (outcome === 'failed' || !account) return [value, undefined];
  const failures = Math.max(0, account.failures - 1);
  if (failures === 0) return [undefined, undefined];
  return [
    {failures, lastAt: account.lastAt},
    undefined,
    Math.max(1, account.lastAt + policy.memoryMs - now),
  ];
}
