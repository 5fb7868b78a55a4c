/**
 * The metrics on a prom-client `Registry`. prom-client is an optional peer
 * dependency: it is loaded only when a Registry is given, from where the app's
 * packages resolve (the app's own copy, the one its Registry came from).
 */
import {createRequire} from 'node:module';
import {BoundCounter} from './bound-counter.js';
import {BucketHistogram} from './bucket-histogram.js';
import type {MetricSpec, MetricsBackend, PromRegistryLike} from './types.js';

type PromClient = typeof import('prom-client');

/** A Registry by shape: what `registerMetric`, `getSingleMetric` and `metrics()` make one. */
export const isPromRegistry = (target: unknown): target is PromRegistryLike =>
  typeof target === 'object' &&
  target !== null &&
  typeof (target as PromRegistryLike).registerMetric === 'function' &&
  typeof (target as PromRegistryLike).getSingleMetric === 'function' &&
  typeof (target as PromRegistryLike).metrics === 'function';

function loadPromClient(): PromClient {
  try {
    return createRequire(import.meta.url)('prom-client') as PromClient;
  } catch (error) {
    if ((error as {code?: string}).code === 'MODULE_NOT_FOUND')
      throw new Error(
        'otp-step: metrics is a prom-client Registry but prom-client is not installed: npm install prom-client',
      );
    throw error;
  }
}

/**
 * Each gauge's readers, one per handler on the registry: a second handler on
 * the same registry adds its store to the gauge the first one registered.
 * Keyed by the gauge object, so nothing outlives the registry that holds it.
 */
const gaugeReaders = new WeakMap<object, {read: (() => number)[]}>();

/**
 * A second handler on the same registry counts into the same series (one app
 * with two endpoints, or a module reloaded in development); a metric of the
 * same name that otp-step did not make stops the start-up instead.
 */
export function prometheusBackend(registry: PromRegistryLike): MetricsBackend {
  const prom = loadPromClient();
  const registers = [registry as InstanceType<PromClient['Registry']>];
  function existing<T>(
    name: string,
    type: string,
    labels: readonly string[],
  ): T | undefined {
    const found = registry.getSingleMetric(name) as
      {type?: string; labelNames?: string[]} | undefined;
    if (!found) return undefined;
    if (found.type !== type || String(found.labelNames) !== String(labels))
      throw new Error(
        `otp-step: the metrics registry already holds ${name}, but not as otp-step makes it (a ${type} with labels ${labels.join(', ') || 'none'}): give otp-step a Registry of its own`,
      );
    return found as T;
  }
  /**
   * Counters and histograms are otp-step's own, bound per label set
   * (bound-counter.ts, bucket-histogram.ts): they are on every request.
   */
  function ours<M extends BoundCounter | BucketHistogram>(
    {name, labels}: MetricSpec,
    type: M['type'],
    make: () => M,
  ): M {
    const found = existing<object>(name, type, labels);
    if (!found) {
      const metric = make();
      registry.registerMetric(metric);
      return metric;
    }
    if (found instanceof BoundCounter || found instanceof BucketHistogram)
      return found as M;
    throw new Error(
      `otp-step: the metrics registry already holds ${name}, from another copy of otp-step: give each a Registry of its own`,
    );
  }
  return {
    counter(spec) {
      const counter = ours(spec, 'counter', () => new BoundCounter(spec));
      return (values) => counter.bind(values);
    },
    histogram(spec) {
      const histogram = ours(spec, 'histogram', () => new BucketHistogram(spec));
      return (values) => histogram.bind(values);
    },
    gauge({name, help, labels}, read, combine) {
      const found = existing<object>(name, 'gauge', labels);
      if (found) {
        const readers = gaugeReaders.get(found);
        if (!readers)
          throw new Error(
            `otp-step: the metrics registry already holds ${name}, from another copy of otp-step: give each a Registry of its own`,
          );
        return void readers.read.push(read);
      }
      const mine = {read: [read]};
      const gauge = new prom.Gauge({
        name,
        help,
        registers,
        collect() {
          // A reader that fails leaves the scrape standing: the others still answer.
          const values = mine.read.flatMap((read) => {
            try {
              return [read()];
            } catch {
              return [];
            }
          });
          if (!values.length) return;
          this.set(
            combine === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.min(...values),
          );
        },
      });
      gaugeReaders.set(gauge, mine);
    },
  };
}
