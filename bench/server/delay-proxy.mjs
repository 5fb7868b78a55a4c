// A loopback TCP proxy in front of redis-server that adds a fixed delay to each
// direction (what a Redis one network hop away costs) and counts round trips:
// bursts from the client that the server answered. A command sent alone is one
// round trip; commands sent together (a pipeline, or a burst in flight at once)
// are one between them; commands sent one after another's answer are one each.
import {createConnection, createServer} from 'node:net';

/**
 * Hands each chunk to `write` once its time (by performance.now()) has come,
 * in the order they came. Precise to a few µs: Node's setTimeout(1) fires
 * after 1.1–1.5 ms, which made "1 ms each way" 2.5 ms a round trip rather
 * than 2. So a timer wakes the queue short of the deadline (timers only for
 * waits over 2 ms: they cannot be shorter than 1 ms) and setImmediate polls
 * until the deadline has passed. The polling costs CPU only while chunks are
 * held, and only in the benchmark's parent process, not in the one measured.
 */
function heldBack(write) {
  const queue = [];
  let waiting = false;
  const pump = () => {
    const at = performance.now();
    while (queue.length && queue[0].due <= at) write(queue.shift().chunk);
    if (!queue.length) return void (waiting = false);
    const left = queue[0].due - at;
    if (left > 2) setTimeout(pump, Math.floor(left - 1));
    else setImmediate(pump);
  };
  return (chunk, due) => {
    queue.push({chunk, due});
    if (waiting) return;
    waiting = true;
    pump();
  };
}

/**
 * Starts the proxy on a free loopback port, forwarding to `targetPort`. Each
 * chunk is held `delayMs` (0: none) and chunks keep their order (one queue
 * per direction of each connection).
 */
export function startDelayProxy(targetPort, {delayMs = 0} = {}) {
  let delay = delayMs;
  let trips = 0;
  /** Which way the last chunk went, over every connection: a burst from the client after an answer starts a trip. */
  let last = 'answer';
  const sockets = new Set();

  const forward = (from, to, onChunk) => {
    const later = heldBack((chunk) => to.writable && to.write(chunk));
    from.on('data', (chunk) => {
      onChunk();
      if (delay) later(chunk, performance.now() + delay);
      else to.write(chunk);
    });
  };

  const server = createServer((client) => {
    client.setNoDelay(true);
    const redis = createConnection({port: targetPort, host: '127.0.0.1'});
    redis.setNoDelay(true);
    for (const socket of [client, redis]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        redis.destroy();
      });
    }
    forward(client, redis, () => {
      if (last === 'answer') trips++;
      last = 'ask';
    });
    forward(redis, client, () => (last = 'answer'));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `redis://127.0.0.1:${server.address().port}`,
        /** Round trips through the proxy so far. */
        roundTrips: () => trips,
        /** Changes the delay for chunks from now on (ms each way). */
        setDelay: (ms) => (delay = ms),
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}
