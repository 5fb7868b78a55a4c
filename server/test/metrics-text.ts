/**
 * Reading metrics as a scraper would: the Prometheus text a Registry answers
 * parsed into series, and an OpenTelemetry reader's collection flattened the
 * same way, so the tests assert on what an operator would see.
 */
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

export interface Series {
  /** The sample's name as exposed (`otp_issued_total`, `…_bucket`, `…_count`). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (version 0.0.4), failing on a line it cannot read. */
export function parsePrometheus(text: string): Series[] {
  const series: Series[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const inside = match[2] ?? '';
    const pairs = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    let read = 0;
    for (let pair; (pair = pairs.exec(inside)); read = pairs.lastIndex)
      labels[pair[1]] = JSON.parse(`"${pair[2]}"`) as string;
    if (read !== inside.length) throw new Error(`labels not read to the end: ${line}`);
    series.push({name: match[1], labels, value: Number(match[3])});
  }
  return series;
}

/** The samples named `name` whose labels include `where`. */
export const samples = (
  all: Series[],
  name: string,
  where: Record<string, string> = {},
) =>
  all.filter(
    (s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v),
  );

/** The sum of the samples named `name` whose labels include `where` (0 when none). */
export const total = (all: Series[], name: string, where: Record<string, string> = {}) =>
  samples(all, name, where).reduce((sum, s) => sum + s.value, 0);

/** A reader the test collects from when it wants, as a Prometheus exporter would. */
class CollectingReader extends MetricReader {
  constructor() {
    super({aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE});
  }
  protected override async onShutdown() {}
  protected override async onForceFlush() {}
}

/** A Meter of a real MeterProvider, and what its reader collects, flattened as Prometheus would name it. */
export function otelMeter() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({readers: [reader]});
  return {
    meter: provider.getMeter('otp-step-test'),
    async collect(): Promise<Series[]> {
      const {resourceMetrics, errors} = await reader.collect();
      if (errors.length) throw errors[0];
      const series: Series[] = [];
      for (const scope of resourceMetrics.scopeMetrics)
        for (const metric of scope.metrics)
          for (const point of metric.dataPoints) {
            const labels = point.attributes as Record<string, string>;
            const name = metric.descriptor.name;
            if (metric.dataPointType === DataPointType.HISTOGRAM) {
              const value = point.value as {count: number; sum?: number};
              series.push({name: `${name}_count`, labels, value: value.count});
              series.push({name: `${name}_sum`, labels, value: value.sum ?? 0});
            } else series.push({name, labels, value: point.value as number});
          }
      return series;
    },
    shutdown: () => provider.shutdown(),
  };
}
