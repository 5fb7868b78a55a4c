// The reference server as the dev server's middleware, for `npm start` (the
// demo's backend) and for the browser tests, which talk to it over real HTTP.
// It needs the compiled server: `npm run build:server` (npm start and npm test do it).
import {randomBytes} from 'node:crypto';
import {createOtpHandler, toNodeListener} from '../dist/node/server/index.js';

const problem = (ctx, status, code, extra = {}, headers = {}) => {
  ctx.status = status;
  ctx.set({'content-type': 'application/problem+json', ...headers});
  ctx.body = JSON.stringify({
    type: `urn:otp-step:problem:${code}`,
    title: code,
    status,
    code,
    ...extra,
  });
};

/**
 * Koa middleware (what @web/dev-server and @web/test-runner run):
 * - /api/otp/…: the reference server in test mode (codes come back for the ForTestCode);
 * - with `faults`, also the routes the tests break things with:
 *   /api/no-test-mode/… (codes only reach the outbox, read at /api/outbox?user=…),
 *   /api/csrf/… (refuses requests without `x-csrf-token: let-me-in`),
 *   /api/session/… (codes bound to a session: the user named in `x-session-user`),
 *   /api/flaky/…  (fails the first request to each path with a 500, then works),
 *   /api/faults/{slow,500,429,503,garbage,shape,tokenless}/… (tokenless: a real
 *   server whose confirmations come back without their token),
 *   /api/delivery/{sent,failed,nostatus}/… (a stand-in for a sending server, for
 *   UI tests only: issue answers with channel, destinationHint, channels and
 *   delivery 'queued'; the status route says sent, failed, or is missing (404);
 *   /api/delivery/log?requestId=… tells what the stand-in saw).
 * - /api/totp/…: the reference server with the authenticator factor (issuer
 *   "otp-step demo"), for `<otp-step method="authenticator" endpoint="/api/totp">`;
 *   the signed-in user is the `x-session-user` header or the `otp-demo-user`
 *   cookie, as the app's own server would read its session. With `faults`, also
 *   POST /api/totp-clock {advanceSeconds} (moves that handler's clock forward and
 *   answers {now}: a test signs in right after enrolling, in a later time step,
 *   without waiting 30 s) and POST /api/totp-verify {confirmation, user}
 *   (the claims verifyConfirmation gives, or null).
 * `logger` goes to each of the reference server's handlers (console by default).
 */
export function otpDevMiddleware({faults = false, logger = console} = {}) {
  const secret = randomBytes(32);
  const quiet = () => {};
  // Every request comes from this machine: the per-address and server-wide caps
  // would otherwise stop a test run or a day of demoing. The per-account limits
  // stay as they are.
  const limits = {
    issuesPerAddress: 1e6,
    sendsPerDestination: 1e6,
    unconfirmedPerCountry: 1e6,
  };
  const testMode = toNodeListener(
    createOtpHandler({
      secret,
      testMode: true,
      notify: faults ? quiet : undefined,
      limits,
      logger,
    }),
  );
  const outbox = new Map();
  const noTestMode = toNodeListener(
    createOtpHandler({
      secret,
      notify: (n) => void outbox.set(n.user, n.code),
      limits,
      logger,
    }),
  );
  // A session, as the app's own server would read it from its cookie: here a header.
  const withSession = toNodeListener(
    createOtpHandler({
      secret,
      testMode: true,
      notify: quiet,
      limits,
      logger,
      authenticate: (request) => request.headers.get('x-session-user'),
    }),
  );
  // The authenticator's handler, on a clock the tests may move forward.
  let clockOffset = 0;
  const sessionUser = (request) =>
    request.headers.get('x-session-user') ??
    /(?:^|;\s*)otp-demo-user=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1] ??
    null;
  const totp = createOtpHandler({
    secret,
    testMode: true,
    notify: quiet,
    limits,
    logger,
    authenticate: (request) => {
      const user = sessionUser(request);
      return user ? decodeURIComponent(user) : null;
    },
    authenticator: {issuer: 'otp-step demo'},
    now: () => Date.now() + clockOffset,
  });
  const withAuthenticator = toNodeListener(totp);
  const seen = new Set();
  /** The stand-in sending server's challenges, by request id. */
  const sending = new Map();
  const hintFor = (user, channel) =>
    channel === 'sms'
      ? '+55 ••• •••• 1234'
      : `${user[0]}•••@${user.includes('long') ? 'a-very-long-subdomain.of-an-example-company.example.com' : 'example.com'}`;
  const readJson = async (req) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return JSON.parse(text || '{}');
  };
  const serve = async (ctx, listener) => {
    ctx.respond = false;
    await listener(ctx.req, ctx.res);
  };

  return async (ctx, next) => {
    const path = ctx.path;
    if (path.startsWith('/api/otp/')) return serve(ctx, testMode);
    if (path.startsWith('/api/totp/')) return serve(ctx, withAuthenticator);
    if (!faults || !path.startsWith('/api/')) return next();

    if (path === '/api/totp-clock' && ctx.method === 'POST') {
      const {advanceSeconds = 0} = await readJson(ctx.req);
      if (Number.isFinite(advanceSeconds) && advanceSeconds > 0)
        clockOffset += advanceSeconds * 1000;
      ctx.body = {now: Date.now() + clockOffset};
      return;
    }
    if (path === '/api/totp-verify' && ctx.method === 'POST') {
      const {confirmation, user} = await readJson(ctx.req);
      ctx.body = {claims: await totp.verifyConfirmation(confirmation, {user})};
      return;
    }

    if (path.startsWith('/api/no-test-mode/')) return serve(ctx, noTestMode);
    if (path === '/api/outbox') {
      ctx.body = {code: outbox.get(ctx.query.user) ?? null};
      return;
    }
    if (path.startsWith('/api/csrf/')) {
      if (ctx.get('x-csrf-token') !== 'let-me-in')
        return problem(ctx, 403, 'request-failed');
      return serve(ctx, testMode);
    }
    if (path.startsWith('/api/session/')) return serve(ctx, withSession);
    if (path.startsWith('/api/faults/tokenless/')) {
      if (!path.endsWith('/confirm')) return serve(ctx, testMode);
      ctx.status = 200;
      ctx.body = {status: 'confirmed', requestId: path.split('/').at(-2)};
      return;
    }
    if (path.startsWith('/api/flaky/')) {
      if (!seen.has(path)) {
        seen.add(path);
        return problem(ctx, 500, 'internal-error');
      }
      return serve(ctx, testMode);
    }
    if (path === '/api/delivery/log') {
      ctx.body = sending.get(ctx.query.requestId) ?? null;
      return;
    }
    const delivery =
      /^\/api\/delivery\/(sent|failed|nostatus)\/otp\/codes(?:\/([^/]+)(\/confirm)?)?$/.exec(
        path,
      );
    if (delivery) {
      const [, mode, id, confirm] = delivery;
      const now = Date.now();
      if (!id && ctx.method === 'POST') {
        const body = await readJson(ctx.req);
        const channel = body.channel ?? 'email';
        const requestId = `d-${randomBytes(6).toString('hex')}`;
        // Users named switch-… have no cooldown, to switch channels at once.
        const cooldown = String(body.user).startsWith('switch') ? 0 : 30;
        sending.set(requestId, {channel, reads: 0, code: '123456', issues: [channel]});
        ctx.status = 201;
        ctx.body = {
          requestId,
          issuedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 300_000).toISOString(),
          expiresIn: 300,
          resendAt: new Date(now + cooldown * 1000).toISOString(),
          resendIn: cooldown,
          attemptsLeft: 5,
          resendsLeft: 3,
          channel,
          destinationHint: hintFor(String(body.user ?? 'x'), channel),
          channels: ['email', 'sms'],
          delivery: 'queued',
          code: '123456',
        };
        return;
      }
      const entry = id && sending.get(id);
      if (!entry) return problem(ctx, 404, 'unknown-request');
      if (confirm) {
        ctx.status = 200;
        ctx.body = {status: 'confirmed', requestId: id, confirmation: 'stand-in'};
        return;
      }
      if (ctx.method !== 'GET') return problem(ctx, 405, 'method-not-allowed');
      entry.reads++;
      if (mode === 'nostatus') return problem(ctx, 404, 'not-found');
      const failed = mode === 'failed';
      ctx.body = {
        requestId: id,
        status: 'pending',
        expiresAt: new Date(now + 290_000).toISOString(),
        expiresIn: 290,
        attemptsLeft: 5,
        resendIn: failed ? 0 : 20,
        resendsLeft: 3,
        channel: entry.channel,
        delivery: failed ? 'failed' : 'sent',
      };
      return;
    }
    const fault = /^\/api\/faults\/([^/]+)\//.exec(path)?.[1];
    switch (fault) {
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, 6000));
        return problem(ctx, 500, 'internal-error');
      case '500':
        return problem(ctx, 500, 'internal-error');
      case '429':
        return problem(ctx, 429, 'rate-limited', {retryAfter: 2}, {'retry-after': '2'});
      case '503': {
        // Down for a second, once per request; then the real server answers.
        const key = ctx.get('idempotency-key') || path;
        if (!seen.has(key)) {
          seen.add(key);
          return problem(ctx, 503, 'internal-error', {}, {'retry-after': '1'});
        }
        return serve(ctx, testMode);
      }
      case 'garbage':
        ctx.status = 200;
        ctx.set('content-type', 'application/json');
        ctx.body = '<html>Gateway says hello</html>';
        return;
      case 'shape':
        ctx.status = 201;
        ctx.body = {id: 42, ok: true};
        return;
      default:
        return next();
    }
  };
}
