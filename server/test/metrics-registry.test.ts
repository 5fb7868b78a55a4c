/**
 * otp-step's own counters and histograms on a prom-client Registry
 * (bound-counter.ts, bucket-histogram.ts, prometheus.ts) read as prom-client's
 * own would be: the text, OpenMetrics, JSON, reset, and merged registries;
 * and the one-line error when prom-client is not there to load.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {cpSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {Counter, Histogram, Registry, type OpenMetricsContentType} from 'prom-client';
import {prometheusBackend} from '../metrics/prometheus.js';

const spec = {name: 'x_total', help: 'Things.', labels: ['client', 'channel']};
const hspec = {
  name: 'x_seconds',
  help: 'Time.',
  labels: ['channel'],
  buckets: [0.001, 0.01, 0.1],
};

describe('metrics on a prom-client Registry, as prom-client writes them', () => {
  it('writes a counter and a histogram exactly as prom-client’s own Counter and Histogram do', async () => {
    const ours = new Registry();
    const backend = prometheusBackend(ours);
    backend.counter(spec)(['web', 'sms'])();
    backend.counter({...spec, name: 'y_total'})(['web', 'sms']); // bound, never added to: no line
    const observe = backend.histogram(hspec)(['sms']);
    for (const v of [0.0005, 0.001, 0.005, 0.5]) observe(v);

    const theirs = new Registry();
    new Counter({
      name: 'x_total',
      help: 'Things.',
      labelNames: spec.labels,
      registers: [theirs],
    })
      .labels('web', 'sms')
      .inc();
    new Counter({
      name: 'y_total',
      help: 'Things.',
      labelNames: spec.labels,
      registers: [theirs],
    });
    const h = new Histogram({
      name: 'x_seconds',
      help: 'Time.',
      labelNames: ['channel'],
      buckets: hspec.buckets,
      registers: [theirs],
    });
    for (const v of [0.0005, 0.001, 0.005, 0.5]) h.labels('sms').observe(v);
    assert.equal(await ours.metrics(), await theirs.metrics());

    const open = [0, 1].map(() => {
      const registry = new Registry<OpenMetricsContentType>();
      registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      return registry;
    });
    open[0].registerMetric(ours.getSingleMetric('x_total')!);
    open[1].registerMetric(theirs.getSingleMetric('x_total')!);
    assert.equal(await open[0].metrics(), await open[1].metrics());
    // JSON as prom-client's own metrics give it (exemplars aside: otp-step keeps none).
    const json = async (registry: Registry) =>
      (await registry.getMetricsAsJSON()).map((m) =>
        m.values.map((v) => ({
          labels: v.labels,
          value: v.value,
          metricName: (v as {metricName?: string}).metricName,
        })),
      );
    assert.deepEqual(await json(ours), await json(theirs));
  });

  it('adds a second binding of one label set to the same series, and resets to nothing', async () => {
    const registry = new Registry();
    const backend = prometheusBackend(registry);
    backend.counter(spec)(['web', 'sms'])();
    prometheusBackend(registry).counter(spec)(['web', 'sms'])();
    assert.match(await registry.metrics(), /^x_total\{client="web",channel="sms"\} 2$/m);
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /^x_total/m);
    backend.counter(spec)(['web', 'sms'])();
    assert.match(await registry.metrics(), /^x_total\{client="web",channel="sms"\} 1$/m);
  });

  it('stops with one line naming the package when prom-client cannot be loaded', () => {
    // The metrics modules alone, where no node_modules can be found above them.
    const here = fileURLToPath(new URL('../metrics/', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'otp-step-no-prom-'));
    try {
      cpSync(here, dir, {recursive: true});
      const script = `import('${join(dir, 'prometheus.js')}').then(({prometheusBackend}) => prometheusBackend({registerMetric() {}, getSingleMetric() {}, metrics() {}})).catch((error) => console.log(error.message))`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: dir,
        encoding: 'utf8',
      });
      assert.equal(
        out.trim(),
        'otp-step: metrics is a prom-client Registry but prom-client is not installed: npm install prom-client',
      );
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
