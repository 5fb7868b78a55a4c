import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {DEFAULT_LIMITS} from '../index.js';
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
        testMode: false,
        development: false,
        notifyUrl: 'https://app.internal/otp/notify',
        confirmedUrl: undefined,
        webhookSecret: undefined,
        apiKey: undefined,
        delivery: undefined,
        lookupUrl: undefined,
        testUsers: undefined,
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
      OTP_BODY_TIMEOUT_SECONDS: '2.5',
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
      bodyTimeoutSeconds: 2.5,
    });
    assert.deepEqual(config.trustedProxies, ['10.0.0.1', '10.0.0.2']);
    assert.equal(config.userHeader, 'x-authenticated-user');
    assert.equal(config.confirmedUrl, 'http://app.internal/otp/confirmed');
  });

  it('has one variable for each limit, named after it', () => {
    assert.equal(limitVariable('maxAttempts'), 'OTP_MAX_ATTEMPTS');
    assert.equal(limitVariable('issuesPerWindow'), 'OTP_ISSUES_PER_WINDOW');
    for (const name of Object.keys(DEFAULT_LIMITS)) {
      const config = read({...production, [limitVariable(name)]: '7'});
      assert.deepEqual(config.limits, {[name]: 7});
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
      /^OTP_MAX_ATTEMPTS must be a positive/,
    );
    refuses(
      {...production, OTP_MAX_ATTEMPTS: 'five'},
      /^OTP_MAX_ATTEMPTS must be a positive/,
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
});
