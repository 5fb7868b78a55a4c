/**
 * A histogram for a prom-client Registry kept in buckets of our own: an
 * observation is a walk over a dozen bounds and three additions, where
 * prom-client's own Histogram hashes and checks its labels on each one. The
 * store is timed on every update, ten a request, which made that the largest
 * cost of metrics on (bench/server/metrics-overhead.mjs). The Registry reads
 * it at scrape through the shape prom-client's metrics have (`name`, `help`,
 * `type`, `get()`), so the text, `getMetricsAsJSON` and cluster aggregation
 * see a histogram like any other.
 */
import type {HistogramSpec, Observe} from './types.js';

interface BucketSeries {
  labels: Record<string, string>;
  /** Observations per bucket, not cumulative; the last is above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

export class BucketHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: string[];
  private readonly bounds: readonly number[];
  private series: BucketSeries[] = [];
  /** Each label set's series, so that a second handler binding it adds to the same one. */
  private bound = new Map<string, Observe>();

  constructor(spec: HistogramSpec) {
    this.name = spec.name;
    this.help = spec.help;
    this.labelNames = [...spec.labels];
    this.bounds = spec.buckets;
  }

  /** The series of one label set (values in `labelNames` order); bind once, observe often. */
  bind(values: readonly string[]): Observe {
    const key = JSON.stringify(values);
    const known = this.bound.get(key);
    if (known) return known;
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, i) => (labels[name] = values[i]));
    const series: BucketSeries = {
      labels,
      counts: new Array<number>(this.bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
    };
    this.series.push(series);
    const bounds = this.bounds;
    const observe: Observe = (value) => {
      let i = 0;
      while (i < bounds.length && value > bounds[i]) i++;
      series.counts[i]++;
      series.sum += value;
      series.count++;
    };
    this.bound.set(key, observe);
    return observe;
  }

  /**
   * What prom-client's Registry writes at scrape: cumulative buckets, then
   * `+Inf`, sum and count per series, `le` first and the series' labels after
   * it, as prom-client's own Histogram gives them.
   */
  getForPromString() {
    const values = [];
    const name = `${this.name}_bucket`;
    for (const {labels: sharedLabels, counts, sum, count} of this.series) {
      if (!count) continue;
      let below = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        below += counts[i];
        values.push({
          labels: {le: this.bounds[i]},
          sharedLabels,
          value: below,
          metricName: name,
        });
      }
      values.push(
        {labels: {le: '+Inf'}, sharedLabels, value: count, metricName: name},
        {labels: {}, sharedLabels, value: sum, metricName: `${this.name}_sum`},
        {labels: {}, sharedLabels, value: count, metricName: `${this.name}_count`},
      );
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  /** `getMetricsAsJSON` and cluster aggregation: the same values, each with all its labels. */
  get() {
    const data = this.getForPromString();
    return {
      ...data,
      values: data.values.map(({labels, sharedLabels, value, metricName}) => ({
        labels: {...sharedLabels, ...labels},
        value,
        metricName,
      })),
    };
  }

  /** `registry.resetMetrics()`: every series back to zero, still bound. */
  reset(): void {
    for (const series of this.series) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
