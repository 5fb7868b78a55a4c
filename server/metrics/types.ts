/**
 * What `metrics` may be, by shape rather than by import, so that neither
 * prom-client nor @opentelemetry/api is a dependency of the server: a
 * prom-client `Registry` (it has `registerMetric` and `metrics()`), or an
 * OpenTelemetry `Meter` (it has `createCounter` and `createHistogram`).
 */
export interface PromRegistryLike {
  registerMetric(metric: unknown): void;
  metrics(): Promise<string> | string;
  getSingleMetric(name: string): unknown;
}

export interface OtelMeterLike {
  createCounter(
    name: string,
    options?: object,
  ): {add(value: number, attributes?: object): void};
  createHistogram(
    name: string,
    options?: object,
  ): {record(value: number, attributes?: object): void};
  createObservableGauge(
    name: string,
    options?: object,
  ): {
    addCallback(
      callback: (result: {observe(value: number, attributes?: object): void}) => void,
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
