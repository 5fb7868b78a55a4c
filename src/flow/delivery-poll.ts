/**
 * When to read a queued code's delivery status: once the provider's first try
 * is due, then backing off, and again when the page is seen again. Pure
 * timing over an injected clock; what a read does is the caller's.
 */
import type {Clock} from '../clock.js';

/** What one status read found: keep polling while queued; stop otherwise. */
export type ReadResult = 'queued' | 'done' | 'unsupported' | 'failed-read';

export interface DeliveryPollOptions {
  clock: Pick<Clock, 'after'>;
  /** Reads the status once; a rejection counts as a failed read (tried again later). */
  read(): Promise<ReadResult>;
  /** First wait, ms: when the provider's first try is due. */
  firstMs?: number;
  /** The longest wait between two reads, ms. */
  maxMs?: number;
}

export interface DeliveryPoll {
  /** Reads now, outside the schedule (the page became visible); the backoff goes on from here. */
  poke(): void;
  stop(): void;
  readonly stopped: boolean;
}

/** 3, 6, 12, 24, … s after the issue, capped at `maxMs`. */
export function pollDelays(firstMs = 3000, maxMs = 48_000): (n: number) => number {
  return (n) => Math.min(maxMs, firstMs * 2 ** n);
}

export function deliveryPoll({
  clock,
  read,
  firstMs = 3000,
  maxMs = 48_000,
}: DeliveryPollOptions): DeliveryPoll {
  const delays = pollDelays(firstMs, maxMs);
  let round = 0;
  let cancel: (() => void) | undefined;
  let reading = false;
  let stopped = false;

  const stop = () => {
    stopped = true;
    cancel?.();
    cancel = undefined;
  };
  const schedule = () => {
    if (stopped) return;
    cancel?.();
    cancel = clock.after(delays(round++), () => void once());
  };
  async function once() {
    // One read at a time: a visibility change during a read waits for its answer.
    if (stopped || reading) return;
    reading = true;
    cancel?.();
    cancel = undefined;
    let result: ReadResult;
    try {
      result = await read();
    } catch {
      result = 'failed-read';
    }
    reading = false;
    if (result === 'done' || result === 'unsupported') stop();
    else schedule();
  }
  schedule();
  return {
    poke: () => void once(),
    stop,
    get stopped() {
      return stopped;
    },
  };
}

/** What the poll needs of `document`, so the module also runs (and is tested) in Node. */
export interface VisibilitySource {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * The poll, read again whenever the page becomes visible: a phone's browser
 * coming back from the mail app should say at once if the code never went.
 * Returns how to stop both.
 */
export function watchDelivery(
  options: DeliveryPollOptions,
  doc: VisibilitySource | undefined = (globalThis as {document?: VisibilitySource})
    .document,
): () => void {
  const poll = deliveryPoll(options);
  const onVisible = () => {
    if (doc?.visibilityState === 'visible') poll.poke();
  };
  doc?.addEventListener('visibilitychange', onVisible);
  return () => {
    poll.stop();
    doc?.removeEventListener('visibilitychange', onVisible);
  };
}
