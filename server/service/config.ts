import {trustedProxyList} from '../client-address.js';
import {LIMIT_BOUNDS, rangeText, withinBound, type LimitBound} from '../limit-bounds.js';
import {checkedSecret, type OtpLimits} from '../options.js';
import type {OtpMetricsLabels} from '../metrics/types.js';
import {authenticatorConfig, type AuthenticatorConfig} from './authenticator-config.js';
import {ConfigError} from './config-error.js';
import {deliveryConfig, type DeliveryConfig} from './delivery-config.js';
import {eventsConfig, type EventsConfig} from './events-config.js';
import {metricsLabelsOf} from './metrics-config.js';

/** What the side service is told by its environment, checked. */
export interface ServiceConfig extends EventsConfig, AuthenticatorConfig {
  secret: string;
  host: string;
  port: number;
  /** Redis (or Valkey) for several instances; the memory store without it. */
  redisUrl?: string;
  limits: Partial<OtpLimits>;
  /** Believed for X-Forwarded-For, and the only sockets whose `userHeader` is believed. */
  trustedProxies: string[];
  /** The header the app's proxy sets to the signed-in user id, lower case. */
  userHeader?: string;
  /** Connections open at once; past it a new one is closed at once (Node's `server.maxConnections`). */
  maxConnections: number;
  /** Longest a client may take to send its headers, and its whole request (not settable by environment). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  testMode: boolean;
  /** NODE_ENV is development or test: codes may go unsent, test mode may run. */
  development: boolean;
  notifyUrl?: string;
  confirmedUrl?: string;
  webhookSecret?: string;
  /** The app's key for `POST /confirmations/verify`; without it that route is off. */
  apiKey?: string;
  /** Providers and order of delivery; without them the notify webhook sends. */
  delivery?: DeliveryConfig;
  /** The app's "get user info" webhook: where each user's codes go. */
  lookupUrl?: string;
  /** OTP_TEST_USERS_FILE's accounts and their fixed codes. */
  testUsers?: Record<string, string>;
  /** OTP_SMS_COUNTRIES: where SMS codes may go (ISO 3166-1 alpha-2). */
  smsCountries?: string[];
  /** The bot check under suspicion: its provider and secret (OTP_HUMAN_CHECK, OTP_HUMAN_CHECK_SECRET). */
  humanCheck?: {provider: 'turnstile' | 'hcaptcha' | 'recaptcha'; secret: string};
  /** OTP_METRICS_PORT: `GET /metrics` on a listener of its own, never on `port`. */
  metricsPort?: number;
  /** OTP_METRICS_HOST: where that listener binds (HOST by default). */
  metricsHost: string;
  /** OTP_METRICS_CLIENTS and OTP_METRICS_STEPS: the only `client` and `step` label values. */
  metricsLabels?: OtpMetricsLabels;
  /** OTP_SHUTDOWN_DELAY_SECONDS: how long /readyz says 503 before the service stops listening. */
  shutdownDelayMs: number;
}

export {ConfigError};

type Env = Record<string, string | undefined>;

/** `maxAttempts` → `OTP_MAX_ATTEMPTS`: one variable per limit, so a new limit gets one too. */
export const limitVariable = (name: string) =>
  `OTP_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Connections open at once by default: far more than an app's proxy keeps, far fewer than the file descriptors a flood would take. */
export const DEFAULT_MAX_CONNECTIONS = 1000;
const MAX_CONNECTIONS_BOUND: LimitBound = {min: 1, max: 100_000, integer: true};
const PORT_BOUND: LimitBound = {min: 0, max: 65_535, integer: true};
/** Longer than a minute, and an orchestrator's own grace period (30 s in Kubernetes) would kill the process first. */
const SHUTDOWN_DELAY_BOUND: LimitBound = {min: 0, max: 60, integer: true};
/** A client that has not sent its headers in 10 s is a slow-loris, not a slow phone. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Headers, then a body within its own limit (bodyTimeoutSeconds, at most 20 s). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Reads the service's settings from `env`, refusing at start what it cannot run
 * with rather than failing on the first request. Pure but for `readFile`, which
 * reads the `*_FILE` variables (Docker and Kubernetes secrets are files).
 */
export function serviceConfig(
  env: Env,
  readFile: (path: string) => string,
): ServiceConfig {
  // An empty variable is an unset one: `FOO=` in a compose file means "not given".
  const get = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const development = ['development', 'test'].includes(env.NODE_ENV ?? '');

  const fromFile = (name: string): string | undefined => {
    const value = get(name);
    const path = get(`${name}_FILE`);
    if (value && path) throw new ConfigError(`give ${name} or ${name}_FILE, not both`);
    if (!path) return value;
    try {
      return readFile(path).trim();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`${name}_FILE cannot be read: ${reason}`);
    }
  };
  const secretOf = (name: string, required: boolean): string | undefined => {
    const value = fromFile(name);
    if (!value) {
      if (required) throw new ConfigError(`${name} (or ${name}_FILE) is required`);
      return undefined;
    }
    try {
      checkedSecret(value);
    } catch (error) {
      throw new ConfigError(
        `${name}: ${(error as Error).message.replace(/^otp-step: /, '')}`,
      );
    }
    return value;
  };
  const urlOf = (name: string, protocols: string[]): string | undefined => {
    const value = get(name);
    if (!value) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(`${name} is not a URL`);
    }
    if (!protocols.includes(url.protocol))
      throw new ConfigError(`${name} must be a ${protocols.join(' or ')} URL`);
    return value;
  };

  /**
   * A numeric variable as a whole number within `bound`, in decimal digits
   * only: `Number()` would take `0x10`, `1e3` and `2.5`, and a setting read
   * differently from how it was meant is a limit nobody chose.
   */
  const wholeOf = (name: string, bound: LimitBound, what = ''): number | undefined => {
    const value = get(name);
    if (value === undefined) return undefined;
    const number = /^\d{1,15}$/.test(value) ? Number(value) : undefined;
    if (!withinBound(bound, number, true))
      throw new ConfigError(
        `${name} must be ${what}${rangeText(bound, true)}${/^\d+$/.test(value) ? '' : ' in decimal digits'}, not ${JSON.stringify(value)}`,
      );
    return number;
  };

  const limits: Partial<OtpLimits> = {};
  for (const [name, bound] of Object.entries(LIMIT_BOUNDS) as [
    keyof OtpLimits,
    LimitBound,
  ][]) {
    const number = wholeOf(limitVariable(name), bound);
    if (number !== undefined) limits[name] = number;
  }

  const port = wholeOf('PORT', PORT_BOUND, 'a port number, ') ?? 8080;
  const maxConnections =
    wholeOf('OTP_MAX_CONNECTIONS', MAX_CONNECTIONS_BOUND) ?? DEFAULT_MAX_CONNECTIONS;

  const listOf = (name: string) =>
    (get(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const trustedProxies = listOf('OTP_TRUSTED_PROXIES');
  try {
    trustedProxyList(trustedProxies);
  } catch (error) {
    throw new ConfigError(
      (error as Error).message.replace(
        /^otp-step: trustedProxies/,
        'OTP_TRUSTED_PROXIES',
      ),
    );
  }

  const userHeader = get('OTP_USER_HEADER');
  if (userHeader !== undefined && !HEADER_NAME.test(userHeader))
    throw new ConfigError(
      `OTP_USER_HEADER is not a header name: ${JSON.stringify(userHeader)}`,
    );
  // Believed from anyone, the header would let every caller name any user.
  if (userHeader !== undefined && !trustedProxies.length)
    throw new ConfigError(
      "OTP_USER_HEADER is believed only from OTP_TRUSTED_PROXIES: set OTP_TRUSTED_PROXIES to the address of the app's proxy that sets it (such as 127.0.0.1,::1)",
    );

  const smsCountries = get('OTP_SMS_COUNTRIES')
    ?.split(',')
    .map((country) => country.trim().toUpperCase())
    .filter(Boolean);
  const notCountry = smsCountries?.find((country) => !/^[A-Z]{2}$/.test(country));
  if (notCountry !== undefined)
    throw new ConfigError(
      `OTP_SMS_COUNTRIES holds ${JSON.stringify(notCountry)}, which is not an ISO 3166-1 alpha-2 code (two letters, such as PT,BR)`,
    );

  const provider = get('OTP_HUMAN_CHECK');
  if (
    provider !== undefined &&
    !['turnstile', 'hcaptcha', 'recaptcha'].includes(provider)
  )
    throw new ConfigError(
      `OTP_HUMAN_CHECK must be turnstile, hcaptcha or recaptcha, not ${JSON.stringify(provider)}`,
    );
  const humanSecret = fromFile('OTP_HUMAN_CHECK_SECRET');
  if ((provider === undefined) !== (humanSecret === undefined))
    throw new ConfigError(
      'give OTP_HUMAN_CHECK (turnstile, hcaptcha or recaptcha) and OTP_HUMAN_CHECK_SECRET (its secret key) together',
    );

  const host = get('HOST') ?? '127.0.0.1';
  const metricsPort = wholeOf('OTP_METRICS_PORT', PORT_BOUND, 'a port number, ');
  const metricsHost = get('OTP_METRICS_HOST') ?? host;
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port)
    throw new ConfigError(
      `OTP_METRICS_PORT is PORT (${port}): the metrics need a port of their own, so that the public one never serves them`,
    );
  const metricsLabels = metricsLabelsOf(listOf, metricsPort !== undefined);
  const shutdownDelaySeconds =
    wholeOf(
      'OTP_SHUTDOWN_DELAY_SECONDS',
      SHUTDOWN_DELAY_BOUND,
      'a number of seconds, ',
    ) ?? 0;

  const testMode = get('OTP_TEST_MODE') ?? '0';
  if (!['0', '1'].includes(testMode))
    throw new ConfigError(
      `OTP_TEST_MODE must be 1 or 0, not ${JSON.stringify(testMode)}`,
    );

  const delivery = deliveryConfig(get, (name) => fromFile(name));
  const notifyUrl = urlOf('OTP_NOTIFY_URL', ['http:', 'https:']);
  if (notifyUrl && delivery)
    throw new ConfigError(
      'OTP_NOTIFY_URL and delivery channels are both set: the service sends through the channels; unset OTP_NOTIFY_URL',
    );
  if (!notifyUrl && !delivery && !development)
    throw new ConfigError(
      'OTP_NOTIFY_URL is required when no delivery channel is set (OTP_SMTP_URL with OTP_EMAIL_FROM, or an SMS provider): without one no code reaches anyone (allowed only with NODE_ENV=development or test)',
    );
  const confirmedUrl = urlOf('OTP_CONFIRMED_URL', ['http:', 'https:']);
  const lookupUrl = urlOf('OTP_LOOKUP_URL', ['http:', 'https:']);
  const authenticator = authenticatorConfig(get, {userHeader, lookupUrl});
  const testUsersFile = get('OTP_TEST_USERS_FILE');
  let testUsers: Record<string, string> | undefined;
  if (testUsersFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFile(testUsersFile));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`OTP_TEST_USERS_FILE cannot be read as JSON: ${reason}`);
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      !Object.values(parsed).every((code) => typeof code === 'string')
    )
      throw new ConfigError(
        'OTP_TEST_USERS_FILE must hold a JSON object of {"user": "code"}',
      );
    testUsers = parsed as Record<string, string>;
  }

  const events = eventsConfig(get, urlOf);

  return {
    secret: secretOf('OTP_SECRET', true)!,
    host,
    port,
    redisUrl: urlOf('OTP_REDIS_URL', ['redis:', 'rediss:']),
    limits,
    trustedProxies,
    userHeader: userHeader?.toLowerCase(),
    maxConnections,
    headersTimeoutMs: HEADERS_TIMEOUT_MS,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    testMode: testMode === '1',
    development,
    notifyUrl,
    confirmedUrl,
    webhookSecret: secretOf(
      'OTP_WEBHOOK_SECRET',
      Boolean(notifyUrl || confirmedUrl || lookupUrl || events.eventsUrl),
    ),
    apiKey: secretOf('OTP_API_KEY', false),
    delivery,
    smsCountries: smsCountries?.length ? smsCountries : undefined,
    humanCheck:
      provider && humanSecret
        ? {
            provider: provider as 'turnstile' | 'hcaptcha' | 'recaptcha',
            secret: humanSecret,
          }
        : undefined,
    lookupUrl,
    testUsers,
    ...events,
    ...authenticator,
    metricsPort,
    metricsHost,
    metricsLabels,
    shutdownDelayMs: shutdownDelaySeconds * 1000,
  };
}
