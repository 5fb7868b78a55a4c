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
