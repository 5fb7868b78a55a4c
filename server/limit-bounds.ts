import {MAX_LIFETIME_SECONDS} from '../src/step/parse-lifetime.js';
import {
  MAX_ATTEMPTS_LIMIT,
  MAX_LENGTH,
  RECOMMENDED_MIN_LENGTH,
} from '../src/step/step-config.js';
import type {OtpLimits} from './options.js';

/** What one limit may be. */
export interface LimitBound {
  /** The smallest value, or with `aboveMin` the value it must be above. */
  min: number;
  aboveMin?: boolean;
  /** The largest value; none where any count or length of time will do. */
  max?: number;
  /** Whole numbers only: a count, or a value the step's checks take whole. */
  integer: boolean;
}

const count = {min: 1, integer: true};
const seconds = {min: 0, aboveMin: true, integer: false};

/**
 * The bounds of every limit, checked when a handler is created (the options)
 * and when the side service starts (its variables, as whole numbers): a limit
 * out of range would otherwise surface as a refusal of every request, or as no
 * limit at all.
 */
export const LIMIT_BOUNDS: Readonly<Record<keyof OtpLimits, LimitBound>> = {
  // What resolveStepConfig accepts: a code that lives longer is a password.
  maxLifetimeSeconds: {...seconds, max: MAX_LIFETIME_SECONDS},
  // SP 800-63B-4 §3.1.3: six digits at least; no code is longer than the step allows.
  minLength: {min: RECOMMENDED_MIN_LENGTH, max: MAX_LENGTH, integer: true},
  // SP 800-63B-4 §3.2.2: at most 100 failed attempts.
  maxAttempts: {min: 1, max: MAX_ATTEMPTS_LIMIT, integer: true},
  // resolveStepConfig's bounds, so no request is refused for the server's own setting.
  resendAfterSeconds: {min: 0, max: 86_400, integer: true},
  // 0 turns resends off: a resend is refused 429 resend-limit.
  maxResends: {min: 0, max: 100, integer: true},
  issuesPerWindow: count,
  windowSeconds: seconds,
  issuesPerAddress: count,
  sendsPerDestination: count,
  unconfirmedPerCountry: count,
  // 0: no destination is exempt from its country's budget.
  trustedDestinationDays: {min: 0, max: 365, integer: true},
  maxFailuresPerAccount: {min: 1, max: MAX_ATTEMPTS_LIMIT, integer: true},
  failureMemorySeconds: seconds,
  backoffBaseSeconds: seconds,
  backoffMaxSeconds: seconds,
  // Room for the largest issue request (five fields of 256 characters); at most what is sensible to hold in memory per request.
  maxBodyBytes: {min: 1024, max: 1024 * 1024, integer: true},
  // The side service cuts a request's headers at 10 s and the whole request at 30 s.
  bodyTimeoutSeconds: {...seconds, max: 20},
  // A proof meant to be checked within moments of the confirmation.
  confirmationLifetimeSeconds: {...seconds, max: 3600},
};

/** The smallest whole number within `bound`. */
const leastWhole = (bound: LimitBound) =>
  bound.aboveMin ? Math.floor(bound.min) + 1 : Math.ceil(bound.min);

/**
 * The range in words, both ends where there are two: "a whole number from 1
 * to 100", "a whole number of at least 1", "a number above 0 and at most 20".
 * `whole` reads the bound as whole numbers (the service's variables).
 */
export function rangeText(bound: LimitBound, whole = bound.integer): string {
  if (whole) {
    const least = leastWhole(bound);
    return bound.max === undefined
      ? `a whole number of at least ${least}`
      : `a whole number from ${least} to ${bound.max}`;
  }
  const low = bound.aboveMin ? `above ${bound.min}` : `of at least ${bound.min}`;
  return bound.max === undefined
    ? `a number ${low}`
    : `a number ${low} and at most ${bound.max}`;
}

/** Whether `value` is within `bound` (as a whole number, with `whole`). */
export function withinBound(
  bound: LimitBound,
  value: unknown,
  whole = bound.integer,
): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (whole && !Number.isInteger(value)) return false;
  if (bound.aboveMin ? value <= bound.min : value < bound.min) return false;
  return bound.max === undefined || value <= bound.max;
}

/** Throws, naming the first limit out of its range and the range, at `createOtpHandler`. */
export function checkLimits(limits: OtpLimits): void {
  for (const [name, bound] of Object.entries(LIMIT_BOUNDS) as [
    keyof OtpLimits,
    LimitBound,
  ][]) {
    const value: unknown = limits[name];
    if (!withinBound(bound, value))
      throw new Error(
        `otp-step: limits.${name} must be ${rangeText(bound)}, not ${typeof value === 'number' ? value : (JSON.stringify(value) ?? String(value))}`,
      );
  }
}
