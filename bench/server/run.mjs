// `npm run bench:server`: the reference server's throughput and latency on the
// memory store and on Redis, beside a bare node:http JSON handler (the floor),
// measured side by side in one run on one machine, over loopback; then memory
// per pending challenge on each store. Quote the ratios, not the absolute
// figures: these are shared machines. Exits non-zero when an answer is not 2xx
// or a target is missed (BENCH_SERVER_NO_FAIL=1 keeps the exit code 0 for misses).
import {fork} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {
  CONNECTIONS,
  confirmJob,
  DEPTH,
  issueJob,
  measure,
  PINNED,
  pinToLoadCores,
  pinToServerCore,
  SECONDS,
  WARMUP_SECONDS,
  WORKERS,
} from './load.mjs';
import {startRedis} from './redis.mjs';
import {report} from './report.mjs';
import {measureRoundTrips, reportRoundTrips} from './round-trips.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const PENDING = Number(process.env.BENCH_SERVER_PENDING ?? 20_000);
// At least 10,000, so the pilot (half the pool, at most 5,000 confirms) runs long enough to tell.
const MIN_POOL = Math.max(10_000, Number(process.env.BENCH_SERVER_POOL ?? 20_000));
/** Where each server's CPU profile of each measurement goes, when set. */
const PROFILE_DIR = process.env.BENCH_SERVER_CPU_PROF;
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, {recursive: true});

if (!existsSync(here('../../dist/node/server/index.js'))) {
  console.error('Build the server first: npm run build:server');
  process.exit(1);
}
// `-- --metrics`: metrics on beside metrics off, on its own (metrics-overhead.mjs).
if (process.argv.includes('--metrics')) {
  const {benchMetricsOverhead} = await import('./metrics-overhead.mjs');
  process.exit(await benchMetricsOverhead(process.env.BENCH_SERVER_TARGETS?.split(',')));
}

/** Runs `file` in a child process with NODE_ENV=test and resolves to its first message. */
function child(file, args, execArgv = []) {
  const process_ = fork(here(file), args, {
    env: {...process.env, NODE_ENV: 'test'},
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const message = new Promise((resolve, reject) => {
    process_.once('message', resolve);
    process_.once('exit', (code) =>
      reject(new Error(`${file} ${args[0]} exited (${code})`)),
    );
  });
  const exited = new Promise((resolve) => process_.once('exit', resolve));
  return {
    process: process_,
    message,
    stop: () => (process_.connected && process_.disconnect(), exited),
  };
}

/** CPU time redis-server has used, in µs, and the commands it has run. */
async function redisUsage(redis) {
  const info = await redis.call('INFO', 'all');
  const field = (name) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)[1]);
  return {
    cpuMicros: (field('used_cpu_user') + field('used_cpu_sys')) * 1e6,
    commands: field('total_commands_processed'),
  };
}

async function startTarget(kind, redis) {
  const target = child('./target.mjs', [kind, redis?.url ?? '']);
  const {port} = await target.message;
  pinToServerCore(target.process.pid);
  const ask = async (message) => {
    target.process.send(message);
    const [answer] = await once(target.process, 'message');
    return answer;
  };
  return {
    port,
    stop: target.stop,
    /**
     * One measurement after its warm-up, with the CPU time the server (and
     * redis-server) spent per request, how busy the server's process was
     * (its CPU time over the time measured), and a CPU profile when asked.
     */
    async measure(operation, job, afterWarmUp) {
      const warm = await measure(port, job, {seconds: WARMUP_SECONDS});
      await afterWarmUp?.(warm);
      const file = PROFILE_DIR && join(PROFILE_DIR, `${kind}-${operation}.cpuprofile`);
      if (file) await ask({profile: 'start'});
      const usage = async () => ({
        server: await ask({usage: true}),
        redis: await (redis && redisUsage(redis)),
      });
      let before;
      let after;
      const result = await measure(port, job, {
        started: async () => (before = await usage()),
        finished: async () => (after = await usage()),
      });
      if (file) await ask({profile: 'stop', file});
      const per = (a, b) => (a - b) / result.requests;
      return {
        ...result,
        busy:
          (after.server.cpuMicros - before.server.cpuMicros) /
          1000 /
          (after.server.atMs - before.server.atMs),
        serverMicros: per(after.server.cpuMicros, before.server.cpuMicros),
        redisMicros: redis && per(after.redis.cpuMicros, before.redis.cpuMicros),
        redisCommands: redis && per(after.redis.commands, before.redis.commands),
      };
    },
  };
}

/** Issues `count` codes over HTTP and adds their request ids and codes to `into`. */
async function preIssue(port, count, into = []) {
  const result = await measure(port, issueJob(), {amount: count, collect: true});
  if (result.failed)
    throw new Error(`${result.failed} issues failed while filling the pool`);
  for (const body of result.bodies) {
    const {requestId, code} = JSON.parse(body);
    into.push([requestId, code]);
  }
  return into;
}

const results = [];
const record = (target, operation, result) => {
  results.push({target, operation, ...result});
  const f = (n) => n.toFixed(2);
  console.error(
    `  ${target} ${operation}: ${Math.round(result.rps)} req/s, p50 ${f(result.p50)} ms, p99 ${f(result.p99)} ms, server busy ${Math.round(result.busy * 100)}%, non-2xx ${result.failed}`,
  );
};

async function benchBare() {
  const target = await startTarget('bare');
  try {
    record('bare node:http', 'issue', await target.measure('issue', issueJob()));
    // The floor answers any id: one request, sent over and over.
    const pool = [['r', '000000']];
    record(
      'bare node:http',
      'confirm',
      await target.measure('confirm', confirmJob(pool, true)),
    );
  } finally {
    await target.stop();
  }
}

async function benchServer(name, kind, redis) {
  const target = await startTarget(kind, redis);
  try {
    const issue = await target.measure('issue', issueJob());
    record(name, 'issue', issue);
    // Every confirm needs a pending code of its own: fill a pool, find the confirm
    // rate with a short pilot (it also warms the confirm path), top the pool up to
    // what the warm-up and the run will take, with room to spare, and top it up
    // again after the warm-up if the warm rate says it is short.
    const pool = await preIssue(target.port, MIN_POOL);
    const pilot = await measure(target.port, confirmJob(pool), {
      amount: Math.min(5000, Math.floor(pool.length / 2)),
    });
    if (pilot.failed) throw new Error(`${pilot.failed} confirms failed in the pilot`);
    const topUp = async (rps, seconds) => {
      const needed = Math.ceil(rps * seconds * 1.5) + CONNECTIONS * DEPTH * 4;
      const left = pool.length - pool.next;
      if (needed > left) await preIssue(target.port, needed - left, pool);
    };
    await topUp(pilot.rps, WARMUP_SECONDS + SECONDS);
    const confirm = await target.measure('confirm', confirmJob(pool), (warm) =>
      topUp(warm.rps, SECONDS),
    );
    if (pool.next >= pool.length)
      console.error(
        `  ${name}: the pool of codes ran out; the confirm run was cut short`,
      );
    record(name, 'confirm', confirm);
  } finally {
    await target.stop();
  }
}

async function pendingBytes(kind, redisUrl) {
  const measurer = child(
    './pending-memory.mjs',
    [kind, String(PENDING), redisUrl ?? ''],
    ['--expose-gc'],
  );
  const {bytesPerPending} = await measurer.message;
  await measurer.stop();
  return bytesPerPending;
}

console.error(
  `Server benchmark: ${WORKERS} load process(es), ${CONNECTIONS} keep-alive connections with ${DEPTH} requests in flight on each, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per measurement, loopback${PINNED ? ', the server on core 0 and the load on the others (taskset)' : ''}`,
);
const redis = await startRedis();
pinToLoadCores(redis.pid);
let memory;
/** What an issue and a confirm cost with Redis one network hop away (round-trips.mjs). */
let trips;
try {
  // BENCH_SERVER_TARGETS=memory (say) measures only some, to profile one; the ratios then need all three.
  const only = process.env.BENCH_SERVER_TARGETS?.split(',');
  if (only) {
    if (only.includes('bare')) await benchBare();
    if (only.includes('memory')) await benchServer('server, memory store', 'memory');
    if (only.includes('redis')) await benchServer('server, Redis store', 'redis', redis);
    const tripsMissed = only.includes('trips')
      ? reportRoundTrips(await measureRoundTrips(redis))
      : [];
    await redis.stop();
    process.exit(tripsMissed.length && process.env.BENCH_SERVER_NO_FAIL !== '1' ? 1 : 0);
  }
  await benchBare();
  await benchServer('server, memory store', 'memory');
  await benchServer('server, Redis store', 'redis', redis);
  trips = await measureRoundTrips(redis);
  memory = {
    memory: await pendingBytes('memory'),
    redis: await pendingBytes('redis', redis.url),
  };
} finally {
  await redis.stop();
}

const reported = report(results, memory, PENDING);
const {failed} = reported;
const missed = [...reported.missed, ...reportRoundTrips(trips)];
if (failed.length)
  console.error(`\nAnswers that were not 2xx: the figures above do not hold.`);
if (missed.length)
  console.error(
    `\n${missed.length} target(s) not met${process.env.BENCH_SERVER_NO_FAIL === '1' ? ' (BENCH_SERVER_NO_FAIL=1: exit code 0)' : ''}.`,
  );
process.exitCode =
  failed.length || (missed.length && process.env.BENCH_SERVER_NO_FAIL !== '1') ? 1 : 0;
