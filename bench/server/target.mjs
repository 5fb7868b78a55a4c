// One server under test, in a process of its own: `node target.mjs bare|memory|redis [redisUrl]`.
// It listens on a free loopback port and sends the port to its parent.
import {writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {Session} from 'node:inspector/promises';
import {toNodeListener} from '../../dist/node/server/index.js';
import {benchHandler, benchStore} from './options.mjs';

const [kind, redisUrl] = process.argv.slice(2);

/**
 * The floor: node:http reading a small JSON body and answering a small JSON body,
 * with none of the handler's work.
 */
function bareListener(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const answer = JSON.stringify({status: 'ok', fields: Object.keys(body).length});
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(answer),
    });
    res.end(answer);
  });
}

const listener =
  kind === 'bare'
    ? bareListener
    : toNodeListener(benchHandler(benchStore(kind, redisUrl)));
const server = createServer({keepAliveTimeout: 60_000}, listener);
server.listen(0, '127.0.0.1', () => process.send({port: server.address().port}));
// The parent asks for {usage} (the CPU time this process has used, in µs, and the
// time it was asked, so that the parent can tell how busy it was) around
// each measurement; with BENCH_SERVER_CPU_PROF it also sends {profile: 'start'},
// then {profile: 'stop', file}. Every message is answered once done.
let session;
process.on('message', async ({usage, profile, file}) => {
  if (usage) {
    const {user, system} = process.cpuUsage();
    process.send({cpuMicros: user + system, atMs: performance.now()});
  } else if (profile === 'start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    process.send({profiling: true});
  } else if (profile === 'stop') {
    const {profile: written} = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(written));
    session.disconnect();
    process.send({profiled: file});
  }
});
// The parent's disconnect (or its end) ends this process.
process.on('disconnect', () => server.close(() => process.exit(0)));
