import {
  awsSmsChannel,
  createNotifier,
  smtpChannel,
  twilioSmsChannel,
  type OtpTemplates,
} from '../notify/index.js';
import type {OtpChannel} from '../notify/types.js';
import type {DeliveryConfig} from './delivery-config.js';
import {lookupWebhook} from './lookup.js';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {trustedProxyList} from '../client-address.js';
import {logSafe} from '../log-safe.js';
import {toNodeListener, writeAnswer} from '../node-adapter.js';
import {createOtpHandler} from '../otp-handler.js';
import {WARNINGS} from '../handler-context.js';
import type {OtpMetricsTarget} from '../metrics/types.js';
import type {OtpNotification} from '../options.js';
import type {OtpStore} from '../store.js';
import type {ServiceConfig} from './config.js';
import type {JsonLogger} from './json-logger.js';
import {verifyConfirmation} from './verify-route.js';
import {adminRoute} from './admin-routes.js';
import {answerProbe, PROBE_PATHS} from './health-routes.js';
import {readiness as readinessOf} from './readiness.js';
import {CONFIRMED_RETRIES, NOTIFY_RETRIES, webhookSender} from './webhooks.js';
import {hcaptcha, recaptcha, turnstile} from '../human/index.js';
import {auditSink} from './audit-sink.js';
import {eventWebhooks} from './event-webhooks.js';

const HUMAN_CHECKS = {turnstile, hcaptcha, recaptcha};

/** A store the service owns: closed on shutdown (the Redis store quits its client). */
export type ServiceStore = OtpStore & {close?(): void | Promise<void>};

/**
 * Longest the confirming answer waits for the confirmed webhook. Within it the
 * app normally hears of the confirmation before the browser does; a slower
 * delivery goes on (and is retried) in the background and never changes the
 * answer, since the code is spent either way.
 */
export const CONFIRMED_HOLD_MS = 2000;

/** Longest a shutdown waits for requests in flight and webhooks being delivered. */
export const SHUTDOWN_GRACE_MS = 10_000;

const delay = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** What the service is given besides its settings: template overrides, and where the metrics go. */
export interface ServiceExtras {
  templates?: OtpTemplates;
  /** A prom-client Registry (main.ts makes one for OTP_METRICS_PORT), given to the handler as `metrics`. */
  metrics?: OtpMetricsTarget;
}

/**
 * For side-service users the handler's advice (give `authenticate`) names an
 * option they cannot set; theirs is the variable.
 */
export const SERVICE_NO_AUTHENTICATE_WARNING =
  "otp-step: no OTP_USER_HEADER, so any caller can ask for and confirm codes for any user; set OTP_USER_HEADER to the header the app's proxy sets to the signed-in user (with OTP_TRUSTED_PROXIES) to tie codes to the session";

/**
 * The reference server as a process of its own: the protocol at the root
 * (`POST /codes`, `POST /codes/{requestId}/confirm`, and with
 * OTP_AUTHENTICATOR_ISSUER the `/authenticator/…` routes), `GET /healthz` and
 * `GET /readyz` (health-routes.ts), the
 * notification and confirmation sent to the app as signed webhooks, and, with
 * `OTP_API_KEY`, `POST /confirmations/verify` for the app's server to check a
 * confirmation token and the admin routes to cancel a code, revoke a user and
 * remove a user's authenticator app (admin-routes.ts).
 */
export function createService(
  config: ServiceConfig,
  store: ServiceStore,
  logger: JsonLogger,
  {templates, metrics}: ServiceExtras = {},
) {
  const deliveries = new Set<Promise<unknown>>();
  const webhook = (url: string, event: 'notify' | 'confirmed') =>
    webhookSender({
      url,
      secret: config.webhookSecret!,
      event,
      logger,
      retries: event === 'notify' ? NOTIFY_RETRIES : CONFIRMED_RETRIES,
    });
  const sendNotify = config.notifyUrl && webhook(config.notifyUrl, 'notify');
  const notifier =
    config.delivery && notifierFromEnvironment(config.delivery, templates, logger);
  const lookup =
    config.lookupUrl && lookupWebhook(config.lookupUrl, config.webhookSecret!);
  const sendConfirmed = config.confirmedUrl && webhook(config.confirmedUrl, 'confirmed');
  const readiness = readinessOf({store, channelCheck: notifier?.verify()});
  if (!sendNotify && !notifier)
    logger.warn(
      'otp-step: no OTP_NOTIFY_URL, so codes are sent nowhere (development only)',
    );

  // Opened before anything listens: an audit log that cannot be written stops the start.
  const audit = auditSink(config.auditLogPath, logger);
  const onEvent =
    config.eventsUrl &&
    eventWebhooks(config.eventsUrl, config.webhookSecret!, config.events, logger);

  const handler = createOtpHandler({
    secret: config.secret,
    store,
    logger: {
      ...logger,
      warn: (message: string) =>
        logger.warn(
          message === WARNINGS['no-authenticate']
            ? SERVICE_NO_AUTHENTICATE_WARNING
            : message,
        ),
    },
    metrics,
    metricsLabels: config.metricsLabels,
    limits: config.limits,
    trustedProxies: config.trustedProxies,
    testMode: config.testMode,
    authenticate: config.userHeader
      ? (request) => request.headers.get(config.userHeader!)
      : undefined,
    // Always the service's own: the handler's default would print the code.
    notify:
      notifier ||
      (async (n: OtpNotification) => {
        if (!sendNotify) return;
        // A failure throws: the handler marks the code's delivery failed, and it may be resent at once.
        await sendNotify({...n, expiresAt: n.expiresAt.toISOString()});
      }),
    lookupUser: lookup ? (user, client) => lookup(user, client) : undefined,
    testUsers: config.testUsers,
    smsCountries: config.smsCountries,
    verifyHuman:
      config.humanCheck &&
      HUMAN_CHECKS[config.humanCheck.provider]({
        secret: config.humanCheck.secret,
      }),
    onConfirmed: sendConfirmed
      ? async (claims) => {
          const delivery = sendConfirmed({...claims}).catch((error: Error) =>
            logger.log('error', 'confirmed webhook given up', {
              requestId: logSafe(claims.requestId),
              reason: error.message,
            }),
          );
          deliveries.add(delivery);
          void delivery.finally(() => deliveries.delete(delivery));
          await Promise.race([delivery, delay(CONFIRMED_HOLD_MS)]);
        }
      : undefined,
    onEvent: onEvent || undefined,
    auditLog: audit.write,
    // The `/authenticator/…` routes, served at the root beside `/codes`; config.ts made sure there is an `authenticate`.
    authenticator: config.authenticator && {
      ...config.authenticator,
      // What the phone shows under the issuer: the user's address where the app asks for it (no address: the user).
      accountLabel:
        config.accountLabel === 'email' && lookup
          ? async (user) => (await lookup(user, ''))?.email ?? user
          : undefined,
    },
  });
  const otp = toNodeListener(handler);
  const proxies = trustedProxyList(config.trustedProxies);

  let closing = false;
  const timeouts = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Node looks for timed-out requests this often (30 s by default, which would outlast the timeouts).
    connectionsCheckingInterval: Math.max(
      50,
      Math.min(1000, config.headersTimeoutMs / 4),
    ),
  };
  const server = createServer(timeouts, async (req, res) => {
    // Only the app's proxy may say who is signed in; from anywhere else the header is anyone's word.
    if (config.userHeader && !proxies.has(req.socket.remoteAddress ?? ''))
      delete req.headers[config.userHeader];
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    res.once('finish', () => {
      // A keep-alive connection left idle by this answer is closed, so shutdown is not held by it.
      if (closing) setImmediate(() => server.closeIdleConnections());
      if (PROBE_PATHS.has(path)) return;
      logger.log('info', 'request', {
        method: logSafe(req.method, 16),
        path: logSafe(path),
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
    });
    if (answerProbe(req, res, path, readiness)) return;
    if (path === '/confirmations/verify' && config.apiKey)
      return writeAnswer(res, await verifyConfirmation(handler, config.apiKey, req));
    if (path.startsWith('/admin/') && config.apiKey)
      return writeAnswer(
        res,
        await adminRoute(handler, config.apiKey, req, path, {
          authenticator: Boolean(config.authenticator),
        }),
      );
    await otp(req, res);
  });

  // Past the cap a new connection is closed at once, so a flood of idle sockets cannot exhaust file descriptors.
  server.maxConnections = config.maxConnections;

  return {
    server,
    handler,
    readiness,
    listen(port: number, host: string): Promise<AddressInfo> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    /**
     * Says it is not ready at once (`/readyz` 503) and goes on serving for
     * `config.shutdownDelayMs`, so load balancers stop sending before it stops
     * listening; then stops taking connections, lets requests in flight and
     * the codes and webhooks being delivered finish (for at most `graceMs`),
     * and closes the store.
     */
    async close(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
      readiness.drain();
      if (config.shutdownDelayMs) await delay(config.shutdownDelayMs);
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = await Promise.race([
        // Then the codes being sent behind their answers and the events (the handler's close(), which waits as idle() does) and the
        // confirmed webhooks, once no request is left to start one: asked any sooner,
        // they would not include what the requests still in flight go on to send.
        closed
          .then(() => handler.close())
          .then(() => Promise.all([...deliveries]))
          .then(() => true),
        delay(graceMs).then(() => false),
      ]);
      if (!finished) {
        logger.warn(
          `otp-step: shutdown cut off what was still running after ${graceMs} ms`,
        );
        server.closeAllConnections();
      }
      await readiness.stop();
      await audit.close();
      await store.close?.();
    },
  };
}

/** The notifier the environment describes: SMTP for e-mail; Twilio, then AWS, for SMS. */
function notifierFromEnvironment(
  delivery: DeliveryConfig,
  templates: OtpTemplates | undefined,
  logger: JsonLogger,
) {
  const channels: OtpChannel[] = [];
  if (delivery.smtp) channels.push(smtpChannel(delivery.smtp));
  if (delivery.twilio) channels.push(twilioSmsChannel(delivery.twilio));
  if (delivery.aws) channels.push(awsSmsChannel(delivery.aws));
  const rank = (channel: OtpChannel) => delivery.channels.indexOf(channel.channel);
  const notifier = createNotifier({
    // Only the kinds OTP_CHANNELS names, in its order (a stable sort keeps Twilio before AWS).
    channels: channels.filter((c) => rank(c) >= 0).sort((a, b) => rank(a) - rank(b)),
    templates,
    appName: delivery.appName,
    webOtpDomain: delivery.webOtpDomain,
    logger,
  });
  // Its start-up check (notifier.verify()) runs in readiness.ts, which reports a failed one.
  return notifier;
}
