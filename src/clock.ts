import {onTick} from './ticker.js';

/**
 * Time as the step's flow reads it: the time now, a timer and the countdown's
 * beat. The page's clock by default; tests give a clock of their own and move it.
 */
export interface Clock {
  now(): number;
  /** Runs `run` once, `ms` from now; returns how to cancel it. */
  after(ms: number, run: () => void): () => void;
  /** Runs `run` every second until the returned function is called. */
  everySecond(run: () => void): () => void;
}

export const pageClock: Clock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
  // One interval for every element on the page (ticker.ts).
  everySecond: onTick,
};
