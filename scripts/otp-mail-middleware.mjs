// The reference server sending real e-mail: each handler here delivers through
// `createNotifier` + `smtpChannel` to a loopback SMTP server (loopback-smtp.mjs),
// and /api/mail/inbox shows what arrived. `npm start` uses it for the demo's
// "reference server" mode; the browser tests use it to read codes from the
// e-mail itself, never from an answer (these handlers are not in test mode).
// It needs the compiled server: `npm run build:server` (npm start and npm test do it).
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:net';
import {createOtpHandler, toNodeListener} from '../dist/node/server/index.js';
import {createNotifier, smtpChannel} from '../dist/node/server/notify/index.js';
import {startLoopbackSmtp} from './loopback-smtp.mjs';

/** The address a demo user's codes go to: the name itself when it is one, else name@DEMO_DOMAIN. */
export const DEMO_DOMAIN = 'demo.otp-step.test';
export const addressOf = (user) =>
  user.includes('@')
    ? user.toLowerCase()
    : `${encodeURIComponent(user.toLowerCase())}@${DEMO_DOMAIN}`;

/** Names the demo directory does not know: they get decoys, as an attacker probing would. */
const isUnknown = (user) => user.startsWith('unknown-');

/** The fixed test user of the tests and the demo (issue 18's `testUsers`). */
export const TEST_USER = {name: 'store-reviewer', code: '246810'};

/** A port nothing listens on: bound, then freed, so a connection to it is refused. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Koa middleware for /api/mail/…:
 * - /api/mail/otp/…: sends each code by e-mail (rotate on resend), with the test user;
 * - /api/mail/reuse/otp/…: `resendStrategy: 'reuse'`;
 * - /api/mail/slow/otp/…: an SMTP server that takes 800 ms to accept each message;
 * - /api/mail/down/otp/…: an SMTP server that refuses connections (the code cannot be sent);
 * - GET /api/mail/inbox?to=address: the messages that reached the loopback inboxes, newest last.
 * `slow` and `down` exist only with `faults` (the tests).
 */
export async function otpMailMiddleware({faults = false, logger = console} = {}) {
  const secret = randomBytes(32);
  // Every request comes from this machine; the per-account limits stay as they are.
  const limits = {
    issuesPerAddress: 1e6,
    sendsPerDestination: 1e6,
    unconfirmedPerCountry: 1e6,
  };
  const lookupUser = (user) => (isUnknown(user) ? null : {email: addressOf(user)});
  const smtp = await startLoopbackSmtp();
  const inboxes = [smtp];
  const handler = (smtpUrl, extra = {}) =>
    toNodeListener(
      createOtpHandler({
        secret,
        limits,
        logger,
        lookupUser,
        notify: createNotifier({
          channels: [
            smtpChannel({url: smtpUrl, from: 'otp-step demo <codes@demo.otp-step.test>'}),
          ],
          appName: 'otp-step demo',
          logger,
        }),
        ...extra,
      }),
    );
  const routes = new Map([
    [
      '/api/mail/otp/',
      handler(smtp.url, {testUsers: {[TEST_USER.name]: TEST_USER.code}}),
    ],
    [
      '/api/mail/reuse/otp/',
      handler(smtp.url, {
        resendStrategy: 'reuse',
        limits: {...limits, resendAfterSeconds: 1},
      }),
    ],
  ]);
  if (faults) {
    const slow = await startLoopbackSmtp({delayMs: 800});
    inboxes.push(slow);
    routes.set('/api/mail/slow/otp/', handler(slow.url));
    routes.set(
      '/api/mail/down/otp/',
      handler(`smtp://127.0.0.1:${await closedPort()}`, {deliveryRetrySeconds: 1}),
    );
  }

  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/api/mail/')) return next();
    if (ctx.path === '/api/mail/inbox') {
      const to = String(ctx.query.to ?? '');
      ctx.set('cache-control', 'no-store');
      ctx.body = {
        messages: inboxes.flatMap((inbox) => (to ? inbox.messagesTo(to) : inbox.inbox)),
      };
      return;
    }
    for (const [prefix, listener] of routes)
      if (ctx.path.startsWith(prefix)) {
        ctx.respond = false;
        await listener(ctx.req, ctx.res);
        return;
      }
    return next();
  };
  middleware.close = () => Promise.all(inboxes.map((inbox) => inbox.close()));
  return middleware;
}
