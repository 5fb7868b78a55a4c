// Where a server's time went in one measurement of `npm run bench:server`:
// `node bench/server/profile-summary.mjs <file.cpuprofile> [top]` prints the
// functions with the most self time, and the self time by file. V8 samples by
// the clock, so a system call such as `writev` also carries the time the process
// waited for a CPU after it (the load generator shares the machine).
import {readFileSync} from 'node:fs';
import {relative} from 'node:path';

const [file, topText = '20'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/server/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(1);
}
const {nodes, samples, timeDeltas} = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(nodes.map((node) => [node.id, node]));

// Each sample is charged the time until the next one.
const selfMs = new Map();
for (let i = 0; i < samples.length; i++) {
  const ms = (timeDeltas[i + 1] ?? 0) / 1000;
  selfMs.set(samples[i], (selfMs.get(samples[i]) ?? 0) + ms);
}

const where = ({url, lineNumber}) => {
  if (!url) return '';
  const path = url.startsWith('file://')
    ? relative(process.cwd(), new URL(url).pathname)
    : url;
  return `${path}:${lineNumber + 1}`;
};
const functions = new Map();
const files = new Map();
let total = 0;
for (const [id, ms] of selfMs) {
  const {callFrame} = byId.get(id);
  const name = `${callFrame.functionName || '(anonymous)'} ${where(callFrame)}`.trim();
  functions.set(name, (functions.get(name) ?? 0) + ms);
  const fileName = where(callFrame).replace(/:\d+$/, '') || callFrame.functionName;
  files.set(fileName, (files.get(fileName) ?? 0) + ms);
  total += ms;
}
const busy = total - (functions.get('(idle)') ?? 0);

/** The layer a file belongs to, for the summary by layer. */
// Native frames have only a name: `init` is Hmac's key set-up (its only caller in
// these servers), `set name` undici's class set-up.
const LAYERS = [
  ['the handler (dist/node/server, dist/node/src)', /^dist\/node\//],
  [
    'web Request/Response/streams (undici, webstreams, transferable, AbortSignal)',
    /undici|webstreams|transferable|abort_controller|^JSTransferable$|^set name$/i,
  ],
  [
    'sockets and node:http (writev, http, streams, events, buffers)',
    /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$|_http_|node:net|streams\/|stream_base_commons|node:events|encoding|buffer/,
  ],
  ['crypto (HMAC, hashes, random)', /crypto|^(Hmac|Hash|init|digest|update)$/],
  ['Redis client (ioredis)', /ioredis|redis-parser/],
  ['garbage collector', /^\(garbage collector\)$/],
];
const layers = new Map();
for (const [fileName, ms] of files) {
  if (fileName === '(idle)') continue;
  const [layer] = LAYERS.find(([, pattern]) => pattern.test(fileName)) ?? [
    'everything else',
  ];
  layers.set(layer, (layers.get(layer) ?? 0) + ms);
}

const print = (title, entries) => {
  console.log(`\n${title}\n`);
  console.log('| self ms | % of busy | where |\n| ------- | --------- | ----- |');
  const busyOnly = [...entries].filter(([name]) => name !== '(idle)');
  for (const [name, ms] of busyOnly.sort((a, b) => b[1] - a[1]).slice(0, Number(topText)))
    console.log(`| ${ms.toFixed(0)} | ${((ms / busy) * 100).toFixed(1)} | ${name} |`);
};
console.log(
  `${file}: ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy`,
);
print('Functions by self time', functions);
print('Files by self time', files);
print('Layers by self time', layers);
