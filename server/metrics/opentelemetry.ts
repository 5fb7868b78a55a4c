/**
 * The metrics on an OpenTelemetry `Meter`: the same names, help (as the
 * description) and labels (as attributes) as on a prom-client Registry, so a
 * dashboard reads either. The app brings @opentelemetry/api and its SDK; this
 * module imports neither.
 */
import type {MetricsBackend, OtelAttributes, OtelMeterLike} from './types.js';

/** A Meter by shape: counters, histograms and observable gauges. */
export const isOtelMeter = (target: unknown): target is OtelMeterLike =>
  typeof target === 'object' &&
  target !== null &&
  typeof (target as OtelMeterLike).createCounter === 'function' &&
  typeof (target as OtelMeterLike).createHistogram === 'function' &&
  typeof (target as OtelMeterLike).createObservableGauge === 'function';

/** The attributes of one series, built once when the series is first used. */
const attributesOf = (labels: readonly string[], values: readonly string[]) => {
  const attributes: OtelAttributes = {};
  labels.forEach((label, i) => (attributes[label] = values[i]));
  return attributes;
};

export function openTelemetryBackend(meter: OtelMeterLike): MetricsBackend {
  return {
    counter({name, help, labels}) {
      const counter = meter.createCounter(name, {description: help});
      return (values) => {
        const attributes = attributesOf(labels, values);
        return () => counter.add(1, attributes);
      };
    },
    histogram({name, help, labels, buckets}) {
      const histogram = meter.createHistogram(name, {
        description: help,
        unit: 's',
        advice: {explicitBucketBoundaries: [...buckets]},
      });
      return (values) => {
        const attributes = attributesOf(labels, values);
        return (value) => histogram.record(value, attributes);
      };
    },
    gauge({name, help}, read) {
      // Read only when the reader collects, never on a request.
      meter
        .createObservableGauge(name, {description: help})
        .addCallback((result) => result.observe(read()));
    },
  };
}
