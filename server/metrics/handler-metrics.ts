/**
 * The `metrics` option, resolved once at start-up: the backend its target
 * calls for (a prom-client Registry or an OpenTelemetry Meter), the observer
 * that counts the lifecycle, the store timed, and the gauges read at scrape.
 */
import type {ServerRecord} from '../handler-context.js';
import type {LifecycleObserver} from '../events/lifecycle.js';
import type {OtpLogger} from '../log-safe.js';
import {logSafe} from '../log-safe.js';
import type {OtpStore} from '../store.js';
import {GAUGES, HISTOGRAMS} from './catalog.js';
import {labelBounds} from './labels.js';
import {metricsObserver} from './observer.js';
import {isOtelMeter, openTelemetryBackend} from './opentelemetry.js';
import {isPromRegistry, prometheusBackend} from './prometheus.js';
import {timedStore} from './timed-store.js';
import type {MetricsBackend, OtpMetricsLabels, OtpMetricsTarget} from './types.js';

export interface HandlerMetrics {
  observer: LifecycleObserver;
  /** The store to use: `store`, with each update timed. */
  store: OtpStore;
}

/** Undefined when there is no `metrics`; a `metrics` or `metricsLabels` of the wrong shape stops the start-up. */
export function handlerMetrics(
  target: OtpMetricsTarget | undefined,
  labels: OtpMetricsLabels | undefined,
  store: OtpStore,
  now: () => number,
  logger: OtpLogger,
): HandlerMetrics | undefined {
  const bounds = labelBounds(labels);
  if (target === undefined) return undefined;
  const backend = backendOf(target);
  // Told once: a broken metrics target would otherwise write a line per request.
  const failed = onceOnly((error: unknown) =>
    logger.error(
      `otp-step: the metrics could not be recorded (later failures are not logged): ${logSafe(error instanceof Error ? error.message : error)}`,
    ),
  );
  const observer = metricsObserver(backend, bounds, failed);
  const health = {up: true};
  // The memory store (memoryOtpStore) is the one store that lists its values.
  const memory = store as Partial<{values(): unknown[]}>;
  const inMemory = typeof memory.values === 'function';
  const timed = timedStore(
    store,
    backend.histogram(HISTOGRAMS.store)([]),
    health,
    failed,
    inMemory,
  );
  backend.gauge(GAUGES.storeUp, () => (health.up ? 1 : 0), 'min');
  if (inMemory)
    backend.gauge(GAUGES.pending, () => pendingIn(memory.values!(), now()), 'sum');
  return {observer, store: timed};
}

function backendOf(target: OtpMetricsTarget): MetricsBackend {
  if (isPromRegistry(target)) return prometheusBackend(target);
  if (isOtelMeter(target)) return openTelemetryBackend(target);
  throw new Error(
    'otp-step: metrics must be a prom-client Registry (new Registry()) or an OpenTelemetry Meter (metrics.getMeter(…))',
  );
}

const onceOnly = (run: (error: unknown) => void) => {
  let told = false;
  return (error: unknown) => {
    if (!told) run(error);
    told = true;
  };
};

/** The challenges among the memory store's values that a user could still confirm. */
function pendingIn(values: unknown[], at: number): number {
  let pending = 0;
  for (const value of values) {
    const record = value as Partial<ServerRecord> | null;
    if (
      typeof record === 'object' &&
      record !== null &&
      typeof record.requestId === 'string' &&
      typeof record.failures === 'number' &&
      record.consumed === false &&
      !record.decoy &&
      record.canceledAt === undefined &&
      record.failures < (record.maxAttempts ?? 0) &&
      (record.expiresAt ?? 0) > at
    )
      pending++;
  }
  return pending;
}
