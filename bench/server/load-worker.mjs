// One process of the load generator: keep-alive connections over net.Socket,
// each with up to `depth` requests in flight (HTTP/1.1 pipelining), sending
// requests prebuilt as raw bytes, so that making a request costs next to
// nothing and the server under test, not the generator, is what runs out of
// CPU. Told what to send by its parent over IPC; answers with the counts, the
// latency of every 2xx answer, and, when asked, the bodies of the answers.
import {connect} from 'node:net';

const CRLF2 = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length: *(\d+)/i;

/**
 * Runs one measurement: `requests(i)` gives the bytes of the i-th request
 * (i counts up across all connections from `first`); stops after `seconds`, or
 * once `amount` requests have been answered.
 */
async function run({port, connections, depth, seconds, amount, collect}, request) {
  const latencies = [];
  const bodies = collect ? [] : undefined;
  let next = 0;
  let answered = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = seconds ? started + seconds * 1000 : Infinity;
  let stopping = false;
  const more = () =>
    !stopping && performance.now() < deadline && (amount === undefined || next < amount);

  // The generator never sleeps while it measures: an idle process would have
  // each answer the server writes wake it, a cost the kernel charges to the
  // server's write (about 15 µs a request on two cores), which a server slower
  // than the generator would pay and the floor would not. An immediate always
  // pending keeps libuv polling without blocking, on the generator's own core.
  let spinning = true;
  const spin = () => spinning && setImmediate(spin);
  spin();
  await new Promise((resolveAll) => {
    let open = connections;
    const done = () => {
      if (--open === 0) {
        spinning = false;
        resolveAll();
      }
    };
    for (let c = 0; c < connections; c++) {
      const socket = connect({port, host: '127.0.0.1', noDelay: true});
      const sentAt = [];
      let buffered = Buffer.alloc(0);
      const send = () => {
        // Refill the pipeline once half of it has been answered, in one write: a
        // write per answer would have both sides wake for every request, and the
        // system calls, not the handler, would be what is measured.
        if (sentAt.length > depth / 2) return;
        const batch = [];
        while (sentAt.length + batch.length < depth && more())
          batch.push(request(next++));
        if (!batch.length) {
          if (!sentAt.length) socket.end();
          return;
        }
        const now = performance.now();
        for (let i = 0; i < batch.length; i++) sentAt.push(now);
        socket.write(batch.length === 1 ? batch[0] : Buffer.concat(batch));
      };
      socket.on('connect', send);
      socket.on('data', (chunk) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        let offset = 0;
        for (;;) {
          const headEnd = buffered.indexOf(CRLF2, offset);
          if (headEnd < 0) break;
          const head = buffered.latin1Slice(offset, headEnd);
          const length = Number(CONTENT_LENGTH.exec(head)?.[1] ?? 0);
          const end = headEnd + 4 + length;
          if (end > buffered.length) break;
          const status = Number(head.slice(9, 12));
          const at = performance.now();
          const was = sentAt.shift();
          answered++;
          if (status >= 200 && status < 300) {
            latencies.push(at - was);
            if (bodies) bodies.push(buffered.toString('utf8', headEnd + 4, end));
          } else failed++;
          offset = end;
        }
        buffered =
          offset === buffered.length ? Buffer.alloc(0) : buffered.subarray(offset);
        if (amount !== undefined && answered >= amount) stopping = true;
        send();
      });
      socket.on('error', () => {
        failed += sentAt.length;
        sentAt.length = 0;
      });
      socket.on('close', done);
    }
  });
  const ms = performance.now() - started;
  return {answered, failed, ms, latencies, bodies};
}

/** The bytes of a POST with a JSON body. */
export function rawPost(path, body) {
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Issue requests for users `bench-<n>`, n from `first`: one request's bytes,
 * prebuilt, with the user's number written into a copy (the number has a
 * fixed width, so the length never changes).
 */
function issueRequests(first, body) {
  const marker = '#'.repeat(12);
  const template = rawPost('/otp/codes', body(marker));
  const at = template.indexOf(marker);
  return (i) => {
    const bytes = Buffer.allocUnsafe(template.length);
    template.copy(bytes);
    bytes.write(String(first + i).padStart(12, '0'), at, 'latin1');
    return bytes;
  };
}

/** The parent sends the job, hears `ready` once its requests are built, then says `go`. */
process.on('message', async (message) => {
  if (message === 'go') return process.send(await run(job, request));
  job = message;
  if (job.kind === 'issue') {
    const {issueBody} = await import('./options.mjs');
    request = issueRequests(job.first, issueBody);
  } else {
    // Confirms: one prebuilt request per pending code, each sent once (or, with
    // `cycle`, over and over: the floor answers any code).
    const prebuilt = job.pool.map(([id, code]) =>
      rawPost(`/otp/codes/${encodeURIComponent(id)}/confirm`, JSON.stringify({code})),
    );
    if (job.cycle) request = (i) => prebuilt[i % prebuilt.length];
    else {
      job.amount = Math.min(job.amount ?? Infinity, prebuilt.length);
      request = (i) => prebuilt[i];
    }
  }
  process.send('ready');
});
let job;
let request;
