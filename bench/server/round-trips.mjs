// What one issue and one confirm cost on Redis when Redis is a network hop
// away: the commands each runs (INFO commandstats, commands inside scripts
// included), the round trips between the server and Redis (counted by a proxy,
// delay-proxy.mjs) and the latency at the handler, one request at a time, with
// no delay and with 1 ms each way. What is measured runs in a child process
// (test mode, for the codes in the answers), the proxy in this one, so that
// neither's work delays the other's: `measureRoundTrips(redis)` runs both,
// `reportRoundTrips(rows)` prints the table. Target: issue and confirm p50
// ≤ 8 ms with the delay.
import {fork} from 'node:child_process';
import {once} from 'node:events';
import {Agent, createServer, request} from 'node:http';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {toNodeListener} from '../../dist/node/server/index.js';
import {redisOtpStore} from '../../dist/node/server/redis-store.js';
import {startDelayProxy} from './delay-proxy.mjs';
import {benchHandler, issueBody} from './options.mjs';

const file = fileURLToPath(import.meta.url);
const REQUESTS = Number(process.env.BENCH_SERVER_TRIPS_REQUESTS ?? 200);
const WARMUP = 30;
const DELAYS_MS = [0, 1];
export const P50_TARGET_MS = 8;

/** Measures in a child process; resolves to a row per operation and delay. */
export async function measureRoundTrips(redis) {
  const proxy = await startDelayProxy(Number(new URL(redis.url).port));
  const measurer = fork(file, [redis.url, proxy.url], {
    env: {...process.env, NODE_ENV: 'test'},
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // The child asks for the round trips so far ({trips}) and sets the delay ({delayMs}); then sends its rows.
  let rows;
  measurer.on('message', (message) => {
    if (message.rows) rows = message.rows;
    else if (message.trips) measurer.send({trips: proxy.roundTrips()});
    else {
      proxy.setDelay(message.delayMs);
      measurer.send({delayMs: message.delayMs});
    }
  });
  const [code] = await once(measurer, 'exit');
  await proxy.close();
  if (!rows) throw new Error(`round-trips.mjs exited (${code})`);
  return rows;
}

/** Prints the rows as a table; returns the targets missed. */
export function reportRoundTrips(rows) {
  console.log(
    `\n## Redis round trips (${REQUESTS} requests one at a time, through a proxy delaying each direction)\n`,
  );
  // The PING column is one bare round trip through the proxy at that delay: what the delay really adds.
  const head = [
    'operation',
    'delay each way',
    'PING p50 ms',
    'Redis commands',
    'round trips',
  ];
  const lines = [[...head, 'p50 ms', 'p99 ms', 'non-2xx', `p50 ≤ ${P50_TARGET_MS} ms`]];
  const missed = [];
  for (const r of rows) {
    const judged = r.delayMs === 1;
    const met = r.p50 <= P50_TARGET_MS && !r.failed;
    if (judged && !met) missed.push(`${r.operation} p50 with 1 ms each way`);
    lines.push([
      r.operation,
      `${r.delayMs} ms`,
      r.pingMs.toFixed(2),
      r.commands.toFixed(1),
      r.roundTrips.toFixed(1),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      String(r.failed),
      judged ? (met ? 'met' : 'NOT MET') : '',
    ]);
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const line = (l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    [line(lines[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`]
      .concat(lines.slice(1).map(line))
      .join('\n'),
  );
  return missed;
}

/** Every command Redis has run, by INFO commandstats (script calls included), but the INFOs asking. */
async function commandsRun(redis) {
  const stats = await redis.info('commandstats');
  let calls = 0;
  for (const [, name, count] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    if (name !== 'info') calls += Number(count);
  return calls;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Asks the parent (where the proxy runs) and resolves to its answer. */
async function ask(message) {
  process.send(message);
  const [answer] = await once(process, 'message');
  return answer;
}

/**
 * The child: one handler on Redis through the proxy, timed from the
 * listener's call to the answer's end. Each request waits for the sends
 * behind the one before (out of the time measured), so that round trips are
 * counted per request.
 */
async function measureHere(redisUrl, proxyUrl) {
  const direct = new Redis(redisUrl);
  const throughProxy = new Redis(proxyUrl);
  /** The p50 of bare PINGs through the proxy, one at a time. */
  const pingMs = async () => {
    const times = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await throughProxy.ping();
      times.push(performance.now() - started);
    }
    return percentile(
      times.sort((a, b) => a - b),
      50,
    );
  };
  const roundTripsSoFar = async () => (await ask({trips: true})).trips;
  const store = redisOtpStore({url: proxyUrl, prefix: 'trips:'});
  const handler = benchHandler(store);
  const listener = toNodeListener(handler);
  let timings = [];
  const server = createServer((req, res) => {
    const started = performance.now();
    res.once('finish', () => timings.push(performance.now() - started));
    listener(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const agent = new Agent({keepAlive: true, maxSockets: 1});
  const post = (path, body) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          port: server.address().port,
          host: '127.0.0.1',
          method: 'POST',
          path,
          headers: {'content-type': 'application/json'},
        },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () =>
            resolve({status: res.statusCode, body: Buffer.concat(chunks).toString()}),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  let user = 0;
  const issue = async () => {
    const answer = await post('/otp/codes', issueBody(user++));
    return answer.status === 201 ? JSON.parse(answer.body) : undefined;
  };
  const confirm = async ({requestId, code}) =>
    (
      await post(
        `/otp/codes/${encodeURIComponent(requestId)}/confirm`,
        JSON.stringify({code}),
      )
    ).status === 200;

  /** `count` requests one after the other, with what they cost once the sends behind them are done. */
  async function run(operation, delayMs, count, one) {
    const commandsBefore = await commandsRun(direct);
    const tripsBefore = await roundTripsSoFar();
    timings = [];
    let failed = 0;
    const results = [];
    for (let i = 0; i < count; i++) {
      const result = await one(i);
      if (!result) failed++;
      results.push(result);
      // The delivery marked behind an issue's answer is part of what an issue costs.
      await handler.idle();
    }
    const perRequest = (n) => n / count;
    const sorted = timings.sort((a, b) => a - b);
    return {
      results,
      row: {
        operation,
        delayMs,
        commands: perRequest((await commandsRun(direct)) - commandsBefore),
        roundTrips: perRequest((await roundTripsSoFar()) - tripsBefore),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        failed,
      },
    };
  }

  const rows = [];
  for (const delayMs of DELAYS_MS) {
    await ask({delayMs});
    // Before the runs count round trips, so the PINGs are not counted in them.
    const ping = await pingMs();
    const warm = await run('warm-up', delayMs, WARMUP, issue);
    await run(
      'warm-up',
      delayMs,
      WARMUP,
      (i) => warm.results[i] && confirm(warm.results[i]),
    );
    const issued = await run('issue', delayMs, REQUESTS, issue);
    rows.push({...issued.row, pingMs: ping});
    const codes = issued.results;
    const confirmed = await run(
      'confirm',
      delayMs,
      REQUESTS,
      (i) => codes[i] && confirm(codes[i]),
    );
    rows.push({...confirmed.row, pingMs: ping});
  }
  agent.destroy();
  server.close();
  await store.close();
  direct.disconnect();
  throughProxy.disconnect();
  process.send({rows}, () => process.disconnect());
}

if (process.argv[1] === file) await measureHere(process.argv[2], process.argv[3]);
