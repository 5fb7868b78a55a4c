/**
 * What `metrics` may be, by shape rather than by import, so that neither
 * prom-client nor @opentelemetry/api is a dependency of the server: a
 * prom-client `Registry` (it has `registerMetric`, `getSingleMetric` and
 * `metrics()`), or an OpenTelemetry `Meter` (it has `createCounter`,
 * `createHistogram` and `createObservableGauge`).
 */
export interface PromRegistryLike {
  registerMetric(metric: unknown): void;
  metrics(): Promise<string> | string;
  getSingleMetric(name: string): unknown;
}

/** The attributes an OpenTelemetry instrument is given: label name → value. */
export type OtelAttributes = Record<string, string>;

export interface OtelMeterLike {
  createCounter(
    name: string,
    options?: {description?: string; unit?: string},
  ): {add(value: number, attributes?: OtelAttributes): void};
  createHistogram(
    name: string,
    options?: {
      description?: string;
      unit?: string;
      advice?: {explicitBucketBoundaries?: number[]};
    },
  ): {record(value: number, attributes?: OtelAttributes): void};
  createObservableGauge(
    name: string,
    options?: {description?: string; unit?: string},
  ): {
    addCallback(
      callback: (result: {
        observe(value: number, attributes?: OtelAttributes): void;
      }) => void,
    ): void;
  };
}

export type OtpMetricsTarget = PromRegistryLike | OtelMeterLike;

/**
 * The label values an integrator lists: only these become values of the
 * `client` and `step` labels, every other one is `other`, so a caller that
 * names a new client on each request cannot grow the series without bound.
 */
export interface OtpMetricsLabels {
  clients?: string[];
  steps?: string[];
}

/** Adds one to a counter's series (one label set, bound once). */
export type Increment = () => void;
/** Records a value into a histogram's series (one label set, bound once). */
export type Observe = (value: number) => void;

/**
 * What the observer needs of a metrics backend, whichever it is
 * (prometheus.ts, opentelemetry.ts): instruments whose series are bound to a
 * label set once and then cost one call each.
 */
export interface MetricsBackend {
  /** A counter; the function binds one series, label values in `spec.labels` order. */
  counter(spec: MetricSpec): (values: readonly string[]) => Increment;
  histogram(spec: HistogramSpec): (values: readonly string[]) => Observe;
  /** A gauge read only when collected: `read` runs at scrape time, never on a request. */
  gauge(spec: MetricSpec, read: () => number, combine: 'sum' | 'min'): void;
}

export interface MetricSpec {
  name: string;
  help: string;
  labels: readonly string[];
}

export interface HistogramSpec extends MetricSpec {
  /** Upper bounds, in seconds. */
  buckets: readonly number[];
}
