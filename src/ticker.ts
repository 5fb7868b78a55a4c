import type {ReactiveController, ReactiveControllerHost} from 'lit';

/**
 * One interval for every countdown on the page, running only while someone
 * listens: a page with many idle elements runs no timer at all.
 */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

export const TICK_MS = 1000;

/** Calls `listener` every second until the returned function is called. */
export function onTick(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** How many listeners are ticking; for tests. */
export function tickListenerCount(): number {
  return listeners.size;
}

/**
 * Ticks for its host while `wanted()` says so and the host is on the page:
 * call `sync()` whenever what `wanted()` reads may have changed.
 */
export class TickController implements ReactiveController {
  private stop?: () => void;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly wanted: () => boolean,
    private readonly onEachTick: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.sync();
  }

  hostDisconnected(): void {
    this.sync();
  }

  sync(): void {
    const ticking = this.host.isConnected && this.wanted();
    if (ticking && !this.stop) {
      this.stop = onTick(this.onEachTick);
    } else if (!ticking && this.stop) {
      this.stop();
      this.stop = undefined;
    }
  }
}
