import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS} from '../index.js';
import {LIMIT_BOUNDS} from '../limit-bounds.js';
import {ConfigError, limitVariable, serviceConfig} from '../service/config.js';

const SECRET = 'a service secret that is long enough to key';
const HOOK_SECRET = 'a webhook secret that is long enough, 32+';
const production = {
  NODE_ENV: 'production',
  OTP_SECRET: SECRET,
  OTP_NOTIFY_URL: 'https://app.internal/otp/notify',
  OTP_WEBHOOK_SECRET: HOOK_SECRET,
};
const noFiles = (path: string): string => {
  throw new Error(`ENOENT: no such file, open '${path}'`);
};
const read = (env: Record<string, string>, readFile = noFiles) =>
  serviceConfig(env, readFile);
const refuses = (env: Record<string, string>, message: RegExp, readFile = noFiles) =>
  assert.throws(
    () => read(env, readFile),
    (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );

describe('the service’s configuration', () => {
  it('has safe defaults: loopback, port 8080, memory store, no test mode', () => {
    const config = read(production);
    assert.deepEqual(
      {...config, secret: undefined, webhookSecret: undefined},
      {
        secret: undefined,
        host: '127.0.0.1',
        port: 8080,
        redisUrl: undefined,
        limits: {},
        trustedProxies: [],
        userHeader: undefined,
        maxConnections: 1000,
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        testMode: false,
        development: false,
        notifyUrl: 'https://app.internal/otp/notify',
        confirmedUrl: undefined,
        webhookSecret: undefined,
        apiKey: undefined,
        delivery: undefined,
        smsCountries: undefined,
        humanCheck: undefined,
        lookupUrl: undefined,
        testUsers: undefined,
        eventsUrl: undefined,
        events: [],
        auditLogPath: undefined,
        authenticator: undefined,
        accountLabel: 'user',
        metricsPort: undefined,
        metricsHost: '127.0.0.1',
        metricsLabels: undefined,
        shutdownDelayMs: 0,
      },
    );
    assert.equal(config.secret, SECRET);
    assert.equal(config.webhookSecret, HOOK_SECRET);
  });

  it('reads every setting', () => {
    const config = read({
      ...production,
      HOST: '0.0.0.0',
      PORT: '9000',
      OTP_REDIS_URL: 'redis://cache:6379/2',
      OTP_MAX_ATTEMPTS: '3',
      OTP_ISSUES_PER_WINDOW: '20',
      OTP_BODY_TIMEOUT_SECONDS: '3',
      OTP_MAX_CONNECTIONS: '50',
      OTP_TRUSTED_PROXIES: ' 10.0.0.1, 10.0.0.2 ,',
      OTP_USER_HEADER: 'X-Authenticated-User',
      OTP_CONFIRMED_URL: 'http://app.internal/otp/confirmed',
      OTP_API_KEY: 'the app server key for verifying confirmations',
    });
    assert.equal(config.apiKey, 'the app server key for verifying confirmations');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 9000);
    assert.equal(config.redisUrl, 'redis://cache:6379/2');
    assert.deepEqual(config.limits, {
      maxAttempts: 3,
      issuesPerWindow: 20,
      bodyTimeoutSeconds: 3,
    });
    assert.equal(config.maxConnections, 50);
    assert.deepEqual(config.trustedProxies, ['10.0.0.1', '10.0.0.2']);
    assert.equal(config.userHeader, 'x-authenticated-user');
    assert.equal(config.confirmedUrl, 'http://app.internal/otp/confirmed');
  });

  it('has one variable for each limit, named after it', () => {
    assert.equal(limitVariable('maxAttempts'), 'OTP_MAX_ATTEMPTS');
    assert.equal(limitVariable('issuesPerWindow'), 'OTP_ISSUES_PER_WINDOW');
    assert.deepEqual(
      Object.keys(LIMIT_BOUNDS).sort(),
      Object.keys(DEFAULT_LIMITS).sort(),
    );
    for (const [name, bound] of Object.entries(LIMIT_BOUNDS)) {
      // Both ends of each range, as whole numbers.
      const ends = [bound.aboveMin ? Math.floor(bound.min) + 1 : bound.min];
      if (bound.max !== undefined) ends.push(bound.max);
      for (const end of ends) {
        const config = read({...production, [limitVariable(name)]: String(end)});
        assert.deepEqual(config.limits, {[name]: end});
      }
    }
  });

  it('reads secrets from files, trimmed', () => {
    const files: Record<string, string> = {
      '/run/secrets/otp': `${SECRET}\n`,
      '/run/secrets/hook': ` ${HOOK_SECRET}\r\n`,
    };
    const config = read(
      {
        NODE_ENV: 'production',
        OTP_SECRET_FILE: '/run/secrets/otp',
        OTP_NOTIFY_URL: 'https://app.internal/n',
        OTP_WEBHOOK_SECRET_FILE: '/run/secrets/hook',
      },
      (path) => files[path] ?? noFiles(path),
    );
    assert.equal(config.secret, SECRET);
    assert.equal(config.webhookSecret, HOOK_SECRET);
    refuses(
      {...production, OTP_SECRET: '', OTP_SECRET_FILE: '/run/secrets/missing'},
      /^OTP_SECRET_FILE cannot be read: ENOENT/,
    );
    refuses(
      {...production, OTP_SECRET_FILE: '/run/secrets/otp'},
      /not both/,
      (p) => files[p],
    );
  });

  it('refuses bad values in one line', () => {
    refuses(
      {...production, OTP_SECRET: ''},
      /^OTP_SECRET \(or OTP_SECRET_FILE\) is required/,
    );
    refuses(
      {...production, OTP_SECRET: 'short'},
      /^OTP_SECRET: the secret must be 32 bytes/,
    );
    refuses(
      {...production, OTP_MAX_ATTEMPTS: '0'},
      /^OTP_MAX_ATTEMPTS must be a whole number from 1 to 100, not "0"$/,
    );
    refuses(
      {...production, OTP_MAX_ATTEMPTS: 'five'},
      /^OTP_MAX_ATTEMPTS must be a whole number from 1 to 100 in decimal digits, not "five"$/,
    );
    refuses({...production, OTP_WINDOW_SECONDS: '-60'}, /^OTP_WINDOW_SECONDS must be/);
    refuses({...production, OTP_MIN_LENGTH: 'Infinity'}, /^OTP_MIN_LENGTH must be/);
    refuses({...production, PORT: '80a'}, /^PORT must be a port number/);
    refuses({...production, PORT: '70000'}, /^PORT must be a port number/);
    refuses({...production, OTP_TEST_MODE: 'yes'}, /^OTP_TEST_MODE must be 1 or 0/);
    refuses(
      {...production, OTP_USER_HEADER: 'X User'},
      /^OTP_USER_HEADER is not a header/,
    );
    refuses(
      {...production, OTP_REDIS_URL: 'http://cache'},
      /^OTP_REDIS_URL must be a redis/,
    );
    refuses({...production, OTP_NOTIFY_URL: 'not a url'}, /^OTP_NOTIFY_URL is not a URL/);
    refuses({...production, OTP_CONFIRMED_URL: 'ftp://x/'}, /^OTP_CONFIRMED_URL must be/);
  });

  it('takes numbers as decimal whole numbers within their range, naming the variable and both ends', () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        {OTP_MAX_ATTEMPTS: '101'},
        /^OTP_MAX_ATTEMPTS must be a whole number from 1 to 100, not "101"$/,
      ],
      [
        {OTP_MAX_ATTEMPTS: '2.5'},
        /^OTP_MAX_ATTEMPTS must be a whole number from 1 to 100 in decimal digits, not "2.5"$/,
      ],
      [
        {OTP_MIN_LENGTH: '11'},
        /^OTP_MIN_LENGTH must be a whole number from 6 to 10, not "11"$/,
      ],
      [{OTP_MIN_LENGTH: '5'}, /^OTP_MIN_LENGTH must be a whole number from 6 to 10/],
      [
        {OTP_MAX_LIFETIME_SECONDS: '0.5'},
        /^OTP_MAX_LIFETIME_SECONDS must be a whole number from 1 to 86400 in decimal digits, not "0.5"$/,
      ],
      [
        {OTP_MAX_LIFETIME_SECONDS: '0x10'},
        /^OTP_MAX_LIFETIME_SECONDS must be .* in decimal digits, not "0x10"$/,
      ],
      [
        {OTP_ISSUES_PER_WINDOW: '1e3'},
        /^OTP_ISSUES_PER_WINDOW must be a whole number of at least 1 in decimal digits, not "1e3"$/,
      ],
      [
        {OTP_WINDOW_SECONDS: ' 12abc'},
        /^OTP_WINDOW_SECONDS must be a whole number of at least 1 in decimal digits, not "12abc"$/,
      ],
      [
        {OTP_TRUSTED_DESTINATION_DAYS: '366'},
        /^OTP_TRUSTED_DESTINATION_DAYS must be a whole number from 0 to 365/,
      ],
      [
        {OTP_SENDS_PER_DESTINATION: '0'},
        /^OTP_SENDS_PER_DESTINATION must be a whole number of at least 1, not "0"$/,
      ],
      [
        {OTP_MAX_BODY_BYTES: '99999999999999999999'},
        /^OTP_MAX_BODY_BYTES must be a whole number from 1024 to 1048576, not/,
      ],
      [
        {OTP_MAX_CONNECTIONS: '0'},
        /^OTP_MAX_CONNECTIONS must be a whole number from 1 to 100000, not "0"$/,
      ],
      [
        {PORT: '0x50'},
        /^PORT must be a port number, a whole number from 0 to 65535 in decimal digits/,
      ],
    ];
    for (const [env, message] of cases) refuses({...production, ...env}, message);
  });

  it('takes OTP_MAX_RESENDS=0, which turns resends off, and 0 days of trusted destinations', () => {
    const config = read({
      ...production,
      OTP_MAX_RESENDS: '0',
      OTP_TRUSTED_DESTINATION_DAYS: '0',
    });
    assert.deepEqual(config.limits, {maxResends: 0, trustedDestinationDays: 0});
  });

  it('refuses a trusted proxy that is neither an address nor a range, and a user header believed from anyone', () => {
    refuses(
      {...production, OTP_TRUSTED_PROXIES: '10.0.0.0/8, nginx'},
      /^OTP_TRUSTED_PROXIES entry "nginx" is neither an IP address nor a CIDR range/,
    );
    refuses({...production, OTP_TRUSTED_PROXIES: '10.0.0.0/40'}, /"10\.0\.0\.0\/40"/);
    refuses(
      {...production, OTP_USER_HEADER: 'X-Otp-User'},
      /^OTP_USER_HEADER is believed only from OTP_TRUSTED_PROXIES/,
    );
    const config = read({
      ...production,
      OTP_USER_HEADER: 'X-Otp-User',
      OTP_TRUSTED_PROXIES: '127.0.0.1, ::1, 10.0.0.0/8, 2001:db8::/32',
    });
    assert.deepEqual(config.trustedProxies, [
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
      '2001:db8::/32',
    ]);
  });

  it('needs a notify URL outside development and tests, and a webhook secret with any URL', () => {
    const bare = {NODE_ENV: 'production', OTP_SECRET: SECRET};
    refuses(bare, /^OTP_NOTIFY_URL is required/);
    refuses({...bare, NODE_ENV: ''}, /^OTP_NOTIFY_URL is required/);
    const development = read({...bare, NODE_ENV: 'development'});
    assert.equal(development.notifyUrl, undefined);
    assert.equal(development.development, true);
    refuses(
      {...production, OTP_WEBHOOK_SECRET: ''},
      /^OTP_WEBHOOK_SECRET .* is required/,
    );
    refuses(
      {...bare, NODE_ENV: 'test', OTP_CONFIRMED_URL: 'http://app/c'},
      /^OTP_WEBHOOK_SECRET .* is required/,
    );
    refuses(
      {...production, OTP_WEBHOOK_SECRET: 'too short'},
      /^OTP_WEBHOOK_SECRET: .*32 bytes/,
    );
  });

  it('reads OTP_SMS_COUNTRIES and the bot check, refusing what cannot work in one line', () => {
    const config = read({
      ...production,
      OTP_SMS_COUNTRIES: 'pt, BR',
      OTP_HUMAN_CHECK: 'turnstile',
      OTP_HUMAN_CHECK_SECRET: 'the turnstile secret key',
    });
    assert.deepEqual(config.smsCountries, ['PT', 'BR']);
    assert.deepEqual(config.humanCheck, {
      provider: 'turnstile',
      secret: 'the turnstile secret key',
    });
    refuses(
      {...production, OTP_SMS_COUNTRIES: 'PT,Portugal'},
      /OTP_SMS_COUNTRIES holds "PORTUGAL"/,
    );
    refuses(
      {...production, OTP_HUMAN_CHECK: 'captcha', OTP_HUMAN_CHECK_SECRET: 'x'},
      /turnstile, hcaptcha or recaptcha/,
    );
    refuses({...production, OTP_HUMAN_CHECK: 'hcaptcha'}, /together/);
  });

  it('reads the metrics port, its host and labels, and the shutdown delay', () => {
    const config = read({
      ...production,
      HOST: '0.0.0.0',
      OTP_METRICS_PORT: '9464',
      OTP_METRICS_HOST: '10.0.0.5',
      OTP_METRICS_CLIENTS: 'web, ios,android',
      OTP_METRICS_STEPS: 'login',
      OTP_SHUTDOWN_DELAY_SECONDS: '5',
    });
    assert.equal(config.metricsPort, 9464);
    assert.equal(config.metricsHost, '10.0.0.5');
    assert.deepEqual(config.metricsLabels, {
      clients: ['web', 'ios', 'android'],
      steps: ['login'],
    });
    assert.equal(config.shutdownDelayMs, 5000);
    assert.equal(
      read({...production, HOST: '::', OTP_METRICS_PORT: '0'}).metricsHost,
      '::',
    );
  });

  it('refuses metrics settings that cannot work, in one line naming the variable', () => {
    refuses(
      {...production, OTP_METRICS_PORT: '70000'},
      /^OTP_METRICS_PORT must be a port number, a whole number from 0 to 65535, not "70000"$/,
    );
    refuses(
      {...production, OTP_METRICS_PORT: 'metrics'},
      /^OTP_METRICS_PORT must be .* in decimal digits/,
    );
    // One port for both would serve the metrics publicly, which is what the port of their own prevents.
    refuses(
      {...production, PORT: '9000', OTP_METRICS_PORT: '9000'},
      /^OTP_METRICS_PORT is PORT \(9000\)/,
    );
    refuses(
      {...production, OTP_METRICS_CLIENTS: 'web'},
      /^OTP_METRICS_CLIENTS labels the metrics: set OTP_METRICS_PORT too$/,
    );
    refuses(
      {...production, OTP_METRICS_PORT: '9464', OTP_METRICS_CLIENTS: 'web,other'},
      /^OTP_METRICS_CLIENTS holds "other"/,
    );
    refuses(
      {...production, OTP_METRICS_PORT: '9464', OTP_METRICS_STEPS: 'log in'},
      /^OTP_METRICS_STEPS holds "log in": list names of 1 to 64 letters/,
    );
    refuses(
      {...production, OTP_SHUTDOWN_DELAY_SECONDS: '61'},
      /^OTP_SHUTDOWN_DELAY_SECONDS must be a number of seconds, a whole number from 0 to 60, not "61"$/,
    );
  });
});
