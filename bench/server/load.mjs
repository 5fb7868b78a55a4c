// The load generator: `WORKERS` processes (load-worker.mjs), each with its share
// of `CONNECTIONS` keep-alive connections, `DEPTH` requests in flight on each,
// sending prebuilt raw requests, so that the server under test saturates before
// the generator does (autocannon, building each request per call, held even the
// bare node:http floor near 75% busy on two cores). A warm-up that is not
// counted; latencies kept exactly.
import {execFileSync, fork} from 'node:child_process';
import {availableParallelism} from 'node:os';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
export const WORKERS = env('BENCH_SERVER_WORKERS', 1);
export const CONNECTIONS = env('BENCH_SERVER_CONNECTIONS', 32);
export const DEPTH = env('BENCH_SERVER_DEPTH', 8);
export const WARMUP_SECONDS = env('BENCH_SERVER_WARMUP', 2);
export const SECONDS = env('BENCH_SERVER_SECONDS', 8);

/**
 * Where each process runs, when `taskset` can say so: the server under test on
 * the first core, the load generator (and redis-server) on the others. Left to
 * the scheduler, a woken load process often ran on the server's core and
 * preempted it, which measured the scheduler as much as the server.
 * BENCH_SERVER_PIN=0 leaves it to the scheduler.
 */
const CORES = availableParallelism();
const PIN = process.env.BENCH_SERVER_PIN !== '0' && CORES >= 2 && hasTaskset();

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], {stdio: 'ignore'});
    return true;
  } catch {
    return false;
  }
}

function pin(pid, cores) {
  if (PIN)
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], {stdio: 'ignore'});
}

/** Runs the server under test on the first core. */
export const pinToServerCore = (pid) => pin(pid, '0');
/** Runs a load process (or redis-server) on the cores the server does not use. */
export const pinToLoadCores = (pid) => pin(pid, `1-${CORES - 1}`);
export const PINNED = PIN;

const workerFile = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));

/** Users issued to so far, across runs on a server: each request names a new one. */
let users = 0;

/** Issue requests, each for a user of its own. */
export const issueJob = () => ({kind: 'issue'});

/**
 * Confirm requests, each with the right code for the next pending challenge in
 * `pool` (taken from `pool.next` on, each once; with `cycle`, over and over).
 */
export const confirmJob = (pool, cycle = false) => ({kind: 'confirm', pool, cycle});

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `count` shares of `total`, as even as whole numbers go. */
const shares = (total, count) =>
  Array.from({length: count}, (_, i) => Math.floor((total + i) / count));

/**
 * One measurement on `port`: `seconds` of load, or `amount` answers. Resolves
 * to requests/s, p50 and p99 latency (ms, 2xx answers), how many answers were
 * not 2xx, and with `collect` the 2xx answers' bodies. Warm up first with
 * `seconds: WARMUP_SECONDS`, a run of its own, so the caller can start its
 * counters and profiles between the two.
 */
export async function measure(
  port,
  job,
  {seconds = SECONDS, amount, collect, started, finished} = {},
) {
  const workers = Array.from({length: WORKERS}, () =>
    fork(workerFile, {stdio: ['ignore', 'inherit', 'inherit', 'ipc']}),
  );
  for (const worker of workers) pinToLoadCores(worker.pid);
  const connections = shares(CONNECTIONS, WORKERS);
  const amounts = amount === undefined ? [] : shares(amount, WORKERS);
  const pool = job.pool;
  if (pool) pool.next ??= 0;
  const slice = pool && !job.cycle ? Math.floor((pool.length - pool.next) / WORKERS) : 0;
  const jobs = workers.map((_, w) => {
    const part = {
      ...job,
      port,
      connections: connections[w],
      depth: DEPTH,
      seconds: amount === undefined ? seconds : undefined,
      amount: amounts[w],
      collect,
    };
    if (job.kind === 'issue') {
      part.first = users;
      users += 1e9;
    } else if (job.cycle) part.pool = pool;
    else {
      // Each worker a slice of its own of the pool, each code sent once.
      part.pool = pool.slice(pool.next + w * slice, pool.next + (w + 1) * slice);
    }
    return part;
  });
  // Every worker builds its requests first; the load (and what `started` and
  // `finished` measure around it) starts once all are ready.
  await Promise.all(
    workers.map((worker, w) => {
      worker.send(jobs[w]);
      return once(worker, 'message');
    }),
  );
  await started?.();
  const results = await Promise.all(
    workers.map(async (worker) => {
      worker.send('go');
      const [result] = await once(worker, 'message');
      return result;
    }),
  );
  await finished?.();
  for (const worker of workers) worker.kill();
  const answered = results.reduce((n, r) => n + r.answered, 0);
  // With several workers, what one left of its slice is not handed out again.
  if (pool && !job.cycle) pool.next += WORKERS === 1 ? answered : WORKERS * slice;
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const ms = Math.max(...results.map((r) => r.ms));
  return {
    rps: (answered / ms) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: answered,
    failed: results.reduce((n, r) => n + r.failed, 0),
    bodies: collect ? results.flatMap((r) => r.bodies) : undefined,
  };
}
