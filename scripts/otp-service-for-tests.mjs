// The side service (`otp-step-server`) as the browser tests meet it: its own
// process in test mode on a free loopback port, its webhooks going to a small
// receiver here that checks their signatures and keeps them. The test server
// forwards /api/service/… to the service (prefix stripped) and answers
// /api/service-webhooks?requestId=… with what the receiver got for that request.
// It needs the compiled server: `npm run build:server` (npm test does it).
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {createServer, request} from 'node:http';
import {verifyWebhook} from '../dist/node/server/index.js';

const listen = (server) =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(server.address().port)),
  );

/** Starts the receiver and the service; resolves once the service listens. */
export async function startOtpService() {
  const webhookSecret = randomBytes(32).toString('hex');
  const deliveries = [];
  const receiver = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const raw = Buffer.concat(chunks);
    const signed = verifyWebhook(
      raw,
      req.headers['otp-step-signature'] ?? null,
      webhookSecret,
    );
    deliveries.push({path: req.url, signed, body: JSON.parse(raw.toString())});
    res.writeHead(204).end();
  });
  const receiverPort = await listen(receiver);

  const child = spawn(process.execPath, ['dist/node/server/service/main.js'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      OTP_TEST_MODE: '1',
      PORT: '0',
      OTP_SECRET: randomBytes(32).toString('hex'),
      OTP_NOTIFY_URL: `http://127.0.0.1:${receiverPort}/notify`,
      OTP_CONFIRMED_URL: `http://127.0.0.1:${receiverPort}/confirmed`,
      OTP_WEBHOOK_SECRET: webhookSecret,
      // Every test request comes from this machine; the per-account limits stay.
      OTP_ISSUES_PER_ADDRESS: '1000000',
      OTP_SENDS_PER_DESTINATION: '1000000',
      OTP_UNCONFIRMED_PER_COUNTRY: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The service must not outlive the runner, however the runner ends.
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    receiver.close();
  };
  process.once('exit', stop);
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const look = (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) {
        child.stdout.off('data', look);
        // Its log is not needed past start-up; drained so the pipe never fills.
        child.stdout.resume();
        resolve(JSON.parse(line).port);
      }
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => reject(new Error(`otp-step-server exited (${code})`)));
  });

  /** Koa middleware for the test server. */
  const middleware = async (ctx, next) => {
    if (ctx.path === '/api/service-webhooks') {
      ctx.body = deliveries.filter((d) => d.body.requestId === ctx.query.requestId);
      return;
    }
    if (!ctx.path.startsWith('/api/service/')) return next();
    ctx.respond = false;
    // Awaited, so the test server sees the service's status (and reports no 404).
    await new Promise((resolve) => {
      const forwarded = request({
        host: '127.0.0.1',
        port,
        method: ctx.method,
        path: ctx.url.slice('/api/service'.length),
        headers: ctx.req.headers,
      });
      forwarded.on('response', (answer) => {
        ctx.status = answer.statusCode;
        ctx.res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(ctx.res);
        answer.once('end', resolve);
      });
      forwarded.on('error', () => {
        ctx.status = 502;
        ctx.res.writeHead(502).end();
        resolve();
      });
      ctx.req.pipe(forwarded);
    });
  };
  return {middleware, stop};
}
