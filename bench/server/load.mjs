// The load generator: autocannon's programmatic API, keep-alive connections, a
// warm-up that is not counted, and latencies kept exactly (autocannon's own
// histogram rounds to whole milliseconds, too coarse for the floor).
import autocannon from 'autocannon';
import {issueBody} from './options.mjs';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
export const CONNECTIONS = env('BENCH_SERVER_CONNECTIONS', 32);
export const WARMUP_SECONDS = env('BENCH_SERVER_WARMUP', 2);
export const SECONDS = env('BENCH_SERVER_SECONDS', 8);

const HEADERS = {'content-type': 'application/json'};

/** Users issued to so far, across runs on a server: each request names a new one. */
let users = 0;

/** Issue requests, each for a user of its own; `onAnswer` gets each answer's body. */
export function issueRequests(onAnswer) {
  return [
    {
      method: 'POST',
      path: '/otp/codes',
      setupRequest: (request) => ({...request, body: issueBody(users++)}),
      onResponse: onAnswer && ((status, body) => status === 201 && onAnswer(body)),
    },
  ];
}

/**
 * Confirm requests, each with the right code for the next pending challenge in
 * `pool` (taken from `pool.next` on); counts in `pool.overrun` the requests made
 * once it ran out (they are sent to a spent code, so they show as non-2xx too).
 */
export function confirmRequests(pool) {
  pool.next ??= 0;
  pool.overrun = 0;
  return [
    {
      method: 'POST',
      setupRequest: (request) => {
        if (pool.next >= pool.length) pool.overrun++;
        const {requestId, code} = pool[Math.min(pool.next++, pool.length - 1)];
        return {
          ...request,
          path: `/otp/codes/${encodeURIComponent(requestId)}/confirm`,
          body: JSON.stringify({code}),
        };
      },
    },
  ];
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * One measurement: `seconds` of load, or `amount` requests. Resolves to
 * requests/s, p50 and p99 latency (ms, 2xx answers) and how many requests did
 * not get a 2xx answer. Warm up first with `seconds: WARMUP_SECONDS`: a run of
 * its own, as autocannon's `warmup` would be, so the caller can start its
 * counters and profiles between the two.
 */
export async function measure(url, requests, {seconds = SECONDS, amount} = {}) {
  const latencies = [];
  const run = autocannon({
    url,
    connections: CONNECTIONS,
    headers: HEADERS,
    requests,
    ...(amount ? {amount} : {duration: seconds}),
  });
  run.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await run;
  latencies.sort((a, b) => a - b);
  return {
    rps: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}
