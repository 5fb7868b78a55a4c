// `npm run bench:server -- --metrics`: the handler with metrics on (a prom-client
// Registry, the labels listed) beside the same handler with metrics off, in one
// process, called directly with web Requests (no HTTP, so the figure is the
// handler's own cost). What is compared is the CPU time this process spends per
// request, not the time on the wall: on a shared machine the wall also counts
// the time other processes held the CPU. Rounds come in pairs, one of each,
// in turn first, so that whatever else the machine does falls on both alike;
// the ratio is the median of the pairs' ratios, each pair measured moments
// apart. Prints the ratio per operation and exits
// non-zero when metrics on is more than 10% slower on either.
import {Registry} from 'prom-client';
import {benchHandler, benchStore, issueBody} from './options.mjs';
import {startRedis} from './redis.mjs';

// The handlers run in test mode (issue answers carry the code), as the other targets' do.
process.env.NODE_ENV = 'test';

const ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 40);
const PER_ROUND = Number(process.env.BENCH_METRICS_PER_ROUND ?? 500);
/** Requests in flight at once, as a busy server has them. */
const IN_FLIGHT = 32;
const LIMIT = 1.1;

const post = (path, body) =>
  new Request(`http://bench.local/otp${path}`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body,
  });

/** Runs `count` requests made by `make(i)`, IN_FLIGHT at a time; CPU and wall µs taken, and the bodies. */
async function timed(handler, count, make) {
  const bodies = new Array(count);
  let next = 0;
  let failed = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const response = await handler(make(i));
      if (response.status >= 300) failed++;
      bodies[i] = await response.text();
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({length: IN_FLIGHT}, lane));
  const {user, system} = process.cpuUsage(cpu);
  const wallMicros = (performance.now() - started) * 1000;
  if (failed) throw new Error(`${failed} of ${count} answers were not 2xx`);
  return {cpuMicros: user + system, wallMicros, bodies};
}

/** One round for one handler: PER_ROUND issues, then a confirm of each. CPU (and wall) µs per request. */
async function round(handler, first) {
  const issued = await timed(handler, PER_ROUND, (i) =>
    post('/codes', issueBody(first + i)),
  );
  const codes = issued.bodies.map((body) => JSON.parse(body));
  const confirmed = await timed(handler, PER_ROUND, (i) =>
    post(`/codes/${codes[i].requestId}/confirm`, JSON.stringify({code: codes[i].code})),
  );
  const per = (run) => ({
    cpu: run.cpuMicros / PER_ROUND,
    wall: run.wallMicros / PER_ROUND,
  });
  return {issue: per(issued), confirm: per(confirmed)};
}

const median = (values) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function overheadOn(kind, redisUrl) {
  const registry = new Registry();
  const handlers = {
    off: benchHandler(benchStore(kind, redisUrl)),
    on: benchHandler(benchStore(kind, redisUrl), {
      metrics: registry,
      metricsLabels: {clients: ['web', 'ios'], steps: ['login']},
    }),
  };
  const times = {off: [], on: []};
  let user = 0;
  // One warm-up round each, not counted.
  for (const name of ['off', 'on']) {
    await round(handlers[name], user);
    user += PER_ROUND;
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 ? ['on', 'off'] : ['off', 'on']) {
      times[name].push(await round(handlers[name], user));
      user += PER_ROUND;
    }
  }
  const text = await registry.metrics();
  const issued = /^otp_issued_total\{[^}]*\} (\d+)$/m.exec(text);
  if (!issued) throw new Error('metrics on, but nothing was counted');
  const result = {};
  for (const operation of ['issue', 'confirm']) {
    const of = (name) => median(times[name].map((t) => t[operation].cpu));
    const pairs = (what) =>
      median(times.on.map((t, r) => t[operation][what] / times.off[r][operation][what]));
    result[operation] = {
      off: of('off'),
      on: of('on'),
      ratio: pairs('cpu'),
      wall: pairs('wall'),
    };
  }
  return result;
}

/** Measures each target asked for (memory, redis) and returns the exit code. */
export async function benchMetricsOverhead(targets = ['memory', 'redis']) {
  console.error(
    `Metrics overhead: the handler in process, metrics off and on, ${ROUNDS} alternating rounds of ${PER_ROUND} issues then ${PER_ROUND} confirms each, ${IN_FLIGHT} in flight; this process's CPU time per request, median of each and median of the pairs' ratios`,
  );
  let missed = 0;
  const redis = targets.includes('redis') ? await startRedis() : undefined;
  try {
    for (const kind of targets.filter((t) => t === 'memory' || t === 'redis')) {
      const result = await overheadOn(kind, redis?.url);
      for (const [operation, {off, on, ratio, wall}] of Object.entries(result)) {
        const over = ratio > LIMIT;
        if (over) missed++;
        console.error(
          `  ${kind} ${operation}: CPU per request off ${off.toFixed(1)} µs, on ${on.toFixed(1)} µs, on/off ${ratio.toFixed(3)}${over ? ` (more than ${LIMIT}: missed)` : ''} (wall on/off ${wall.toFixed(3)})`,
        );
      }
    }
  } finally {
    await redis?.stop();
  }
  if (missed)
    console.error(`\nMetrics on is more than 10% slower (${missed} of the above).`);
  return missed ? 1 : 0;
}
