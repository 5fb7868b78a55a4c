// A loopback TCP proxy in front of redis-server that adds a fixed delay to each
// direction (what a Redis one network hop away costs) and counts round trips:
// bursts from the client that the server answered. A command sent alone is one
// round trip; commands sent together (a pipeline, or a burst in flight at once)
// are one between them; commands sent one after another's answer are one each.
import {createConnection, createServer} from 'node:net';

/**
 * Starts the proxy on a free loopback port, forwarding to `targetPort`. Each
 * chunk is held `delayMs` (0: none) and chunks keep their order: Node runs
 * timers of one duration in the order they were set.
 */
export function startDelayProxy(targetPort, {delayMs = 0} = {}) {
  let delay = delayMs;
  let trips = 0;
  /** Which way the last chunk went, over every connection: a burst from the client after an answer starts a trip. */
  let last = 'answer';
  const sockets = new Set();

  const forward = (from, to, onChunk) =>
    from.on('data', (chunk) => {
      onChunk();
      if (delay) setTimeout(() => to.writable && to.write(chunk), delay);
      else to.write(chunk);
    });

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
