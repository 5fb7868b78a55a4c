// The reference server asking for a bot check (issue 19), for test/human-check.test.ts:
// a real handler whose `verifyHuman` is otp-step/server/human's `turnstile()`,
// pointed at a loopback stand-in for Cloudflare's siteverify started here. The
// stand-in is a small one: the contract itself is held to in
// server/human/test/ (TypeScript, compiled only for the Node tests; this file
// runs from the dist build, as the other middleware do).
// It needs the compiled server: `npm run build:server` (npm start and npm test do it).
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import {createOtpHandler, toNodeListener} from '../dist/node/server/index.js';
import {turnstile} from '../dist/node/server/human/index.js';

/** Tokens the stand-in vouches for start so; any other is refused. */
export const HUMAN_TOKEN_PREFIX = 'human-';

/**
 * A Turnstile siteverify stand-in on 127.0.0.1: a form-encoded POST with the
 * secret; tokens starting `human-` pass once (Turnstile tokens are single use),
 * others are `invalid-input-response`. `verified` lists the tokens it was asked about.
 */
async function startTurnstileStandIn(secret) {
  const verified = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const answer = (outcome) => {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify(outcome));
    };
    const refuse = (code) => answer({success: false, 'error-codes': [code]});
    if (
      req.method !== 'POST' ||
      !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')
    )
      return refuse('bad-request');
    if (form.get('secret') !== secret) return refuse('invalid-input-secret');
    const token = form.get('response') ?? '';
    verified.push(token);
    if (!token.startsWith(HUMAN_TOKEN_PREFIX)) return refuse('invalid-input-response');
    if (verified.indexOf(token) !== verified.length - 1)
      return refuse('timeout-or-duplicate');
    answer({
      success: true,
      'error-codes': [],
      challenge_ts: new Date().toISOString(),
      hostname: 'localhost',
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  return {endpoint: `http://127.0.0.1:${port}/turnstile/v0/siteverify`, verified};
}

/**
 * Koa middleware for /api/human/{slot}/otp/…: the reference server in test mode
 * with `verifyHuman: turnstile(…)`. Each slot (any name a test picks) stands
 * for a client address of its own, so tests do not share the per-address count,
 * and `issuesPerAddress` is 2: the second issue from a slot is under suspicion.
 * GET /api/human/verified?token=… says how often the stand-in was asked about a token.
 */
export async function otpHumanMiddleware({logger = console} = {}) {
  const turnstileSecret = `0x4AAAAAAA${randomBytes(12).toString('hex')}`;
  const standIn = await startTurnstileStandIn(turnstileSecret);
  const addresses = new Map();
  const addressOf = (slot) => {
    if (!addresses.has(slot)) {
      const n = addresses.size + 1;
      // 198.18.0.0/15 is set aside for tests (RFC 2544): no real visitor has one.
      addresses.set(slot, `198.18.${(n >> 8) & 255}.${n & 255}`);
    }
    return addresses.get(slot);
  };
  const handler = toNodeListener(
    createOtpHandler({
      secret: randomBytes(32),
      testMode: true,
      notify: () => {},
      logger,
      limits: {issuesPerAddress: 2, sendsPerDestination: 1e6, unconfirmedPerCountry: 1e6},
      clientAddress: (request) =>
        addressOf(new URL(request.url).pathname.split('/')[3] ?? ''),
      verifyHuman: turnstile({
        secret: turnstileSecret,
        endpoint: standIn.endpoint,
        logger,
      }),
    }),
  );

  return async (ctx, next) => {
    if (ctx.path === '/api/human/verified') {
      const token = String(ctx.query.token ?? '');
      ctx.body = {count: standIn.verified.filter((t) => t === token).length};
      return;
    }
    if (!/^\/api\/human\/[\w-]+\/otp\//.test(ctx.path)) return next();
    ctx.respond = false;
    await handler(ctx.req, ctx.res);
  };
}
