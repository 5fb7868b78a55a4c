import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {before, describe, it} from 'node:test';
import {Registry} from 'prom-client';
import {createOtpHandler} from '../index.js';
import {SECRET} from './helpers.js';

const PROMTOOL = process.env.PROMTOOL || 'promtool';

/** Runs promtool; a missing one fails with the line that says what to install. */
function promtool(...args: string[]) {
  const run = spawnSync(PROMTOOL, args, {encoding: 'utf8'});
  if (run.error)
    assert.fail(
      `cannot run ${PROMTOOL} (${run.error.message}): install Debian's prometheus package, or set PROMTOOL`,
    );
  return run;
}

/** Words of PromQL that are not metric names. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'offset',
  'bool',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/**
 * The metric names a PromQL expression reads: what is left once strings,
 * label matchers, ranges, grouping clauses and function calls are taken out.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/(?<![\w:.])[A-Za-z_:][\w:]*(?![\w:]*\s*\()/g)]
    .map((match) => match[0])
    .filter((word) => !KEYWORDS.has(word));
  return [...new Set(names)];
}

/** Every `expr` (and templating variable's `definition`) string anywhere in a Grafana dashboard. */
function dashboardExprs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => dashboardExprs(item, found));
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'expr' || key === 'definition') && typeof value === 'string')
        found.push(value.replace(/^label_values\((\w+),.*\)$/, '$1'));
      else dashboardExprs(value, found);
    }
  return found;
}

describe('docs/ops: the alert rules, the dashboard and operations.md', () => {
  /** What the metrics core registers, as a scrape sees it (histograms as their _bucket, _sum and _count). */
  const exposed = new Set<string>();
  before(async () => {
    const registry = new Registry();
    createOtpHandler({secret: SECRET, metrics: registry, logger: console});
    for (const metric of await registry.getMetricsAsJSON()) {
      exposed.add(metric.name);
      if (String(metric.type) === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count'])
          exposed.add(`${metric.name}${suffix}`);
    }
    assert.ok(exposed.has('otp_issued_total'), 'the handler registers no metrics');
  });

  it('has alert rules promtool checks, and whose tests pass (the conversion drop fires, and holds back)', () => {
    const check = promtool('check', 'rules', 'docs/ops/alerts.yml');
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const test = promtool('test', 'rules', 'docs/ops/alerts.test.yml');
    assert.equal(test.status, 0, test.stdout + test.stderr);
    const tests = readFileSync('docs/ops/alerts.test.yml', 'utf8');
    for (const alert of [
      'OtpConversionDrop',
      'OtpDeliveryFailures',
      'OtpStoreDown',
      'OtpRefusalSpike',
    ])
      assert.ok(tests.includes(`alertname: ${alert}`), `${alert} has no test`);
  });

  it('alerts only on metrics the handler exposes', () => {
    const rules = readFileSync('docs/ops/alerts.yml', 'utf8');
    const exprs = [...rules.matchAll(/expr: (?:\|\n((?: {10}.*\n?)+)|(.+))/g)].map(
      (match) => match[1] ?? match[2],
    );
    assert.equal(exprs.length, 4);
    for (const expr of exprs)
      for (const name of metricNamesIn(expr))
        assert.ok(exposed.has(name), `alerts.yml reads ${name}, which no metric is`);
  });

  it('has a Grafana dashboard that parses and reads only metrics the handler exposes', () => {
    const dashboard = JSON.parse(readFileSync('docs/ops/dashboard.json', 'utf8')) as {
      panels: {title: string}[];
    };
    const exprs = dashboardExprs(dashboard);
    assert.ok(exprs.length >= 20, `${exprs.length} expressions`);
    const read = new Set(exprs.flatMap(metricNamesIn));
    for (const name of read)
      assert.ok(exposed.has(name), `dashboard.json reads ${name}, which no metric is`);
    // The panels the on-call person looks for.
    for (const name of [
      'otp_issued_total',
      'otp_delivered_total',
      'otp_confirmed_total',
      'otp_delivery_failed_total',
      'otp_refused_total',
      'otp_issue_duration_seconds_bucket',
      'otp_confirm_duration_seconds_bucket',
      'otp_store_up',
    ])
      assert.ok(read.has(name), `no panel reads ${name}`);
  });

  it('explains every metric the handler exposes in docs/operations.md', () => {
    const docs = readFileSync('docs/operations.md', 'utf8');
    for (const name of exposed)
      if (!/_(bucket|sum|count)$/.test(name))
        assert.ok(
          docs.includes(`\`${name}\``),
          `docs/operations.md does not explain ${name}`,
        );
  });

  it('reads metric names out of PromQL, and nothing else', () => {
    assert.deepEqual(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, channel) (rate(otp_send_duration_seconds_bucket{channel=~"$channel"}[$__rate_interval]))) / on (x) group_left sum(up offset 1h) and bool otp_store_up',
      ),
      ['otp_send_duration_seconds_bucket', 'up', 'otp_store_up'],
    );
  });
});
