// Memory per pending challenge, in a process of its own run with --expose-gc:
// `node --expose-gc pending-memory.mjs memory|redis count [redisUrl]`. Issues
// `count` codes through the handler directly (web Requests, no HTTP), each for a
// user of its own, and sends the parent the growth per code: the heap after a GC
// for the memory store, Redis's `used_memory` for the Redis store.
import {Redis} from 'ioredis';
import {benchHandler, benchStore, issueBody} from './options.mjs';

const [kind, countText, redisUrl] = process.argv.slice(2);
const count = Number(countText);
const store = benchStore(kind, redisUrl);
// No socket here: the address the per-address limit would see through toNodeListener.
const handler = benchHandler(store, {clientAddress: () => '127.0.0.1'});
const redis = kind === 'redis' ? new Redis(redisUrl) : undefined;

let issued = 0;
async function issueMany(n) {
  const batch = 100;
  for (let done = 0; done < n; done += batch) {
    await Promise.all(
      Array.from({length: Math.min(batch, n - done)}, async () => {
        const response = await handler(
          new Request('http://localhost/otp/codes', {
            method: 'POST',
            headers: {'content-type': 'application/json'},
            body: issueBody(issued++),
          }),
        );
        if (response.status !== 201)
          throw new Error(`issue answered ${response.status}: ${await response.text()}`);
        await response.text();
      }),
    );
  }
}

const settledHeap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
const redisUsed = async () =>
  Number(/used_memory:(\d+)/.exec(await redis.call('INFO', 'memory'))[1]);

if (redis) await redis.call('FLUSHALL');
// A first batch, not counted, so what the code paths allocate once is not charged to each code.
await issueMany(1000);
const before = redis ? await redisUsed() : settledHeap();
await issueMany(count);
const after = redis ? await redisUsed() : settledHeap();
process.send({bytesPerPending: (after - before) / count});
redis?.disconnect();
await store.close();
