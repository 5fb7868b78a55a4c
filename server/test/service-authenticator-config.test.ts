/**
 * OTP_AUTHENTICATOR_ISSUER (authenticator-config.ts), read strictly: a bad
 * issuer, or one without OTP_USER_HEADER, stops the start in one line naming it.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ConfigError, serviceConfig} from '../service/config.js';
import {SECRET} from './helpers.js';
import {exitOf} from './service-process.js';

const base = {NODE_ENV: 'test', OTP_SECRET: SECRET};
const withUser = {OTP_USER_HEADER: 'X-App-User', OTP_TRUSTED_PROXIES: '127.0.0.1,::1'};
const noFiles = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};
const refuses = (env: Record<string, string>, message: RegExp) =>
  assert.throws(
    () => serviceConfig({...base, ...env}, noFiles),
    (error: Error) =>
      error instanceof ConfigError &&
      message.test(error.message) &&
      !error.message.includes('\n'),
  );

describe('OTP_AUTHENTICATOR_ISSUER', () => {
  it('is off when unset or empty, and on with the issuer as given (trimmed)', () => {
    assert.equal(serviceConfig({...base, ...withUser}, noFiles).authenticator, undefined);
    assert.equal(
      serviceConfig({...base, ...withUser, OTP_AUTHENTICATOR_ISSUER: '  '}, noFiles)
        .authenticator,
      undefined,
    );
    assert.deepEqual(
      serviceConfig(
        {...base, ...withUser, OTP_AUTHENTICATOR_ISSUER: ' Acme Bank São Paulo '},
        noFiles,
      ).authenticator,
      {issuer: 'Acme Bank São Paulo'},
    );
  });

  it('stops the start without OTP_USER_HEADER, saying why and what to set', () => {
    refuses(
      {OTP_AUTHENTICATOR_ISSUER: 'Acme'},
      /^OTP_AUTHENTICATOR_ISSUER needs OTP_USER_HEADER: .*anyone could enrol a phone for any account; set OTP_USER_HEADER/,
    );
  });

  it('stops the start for an issuer an app would misread, naming it and the value', () => {
    const rule =
      "must be the name apps show above the account, such as 'Acme': a non-empty string of at most 64 characters, without ':' or control characters";
    for (const issuer of ['Acme:Bank', 'Acme\u0007Bank', 'A'.repeat(65)])
      assert.throws(
        () =>
          serviceConfig(
            {...base, ...withUser, OTP_AUTHENTICATOR_ISSUER: issuer},
            noFiles,
          ),
        new ConfigError(
          `OTP_AUTHENTICATOR_ISSUER ${rule}, not ${JSON.stringify(issuer)}`,
        ),
      );
    // 64 characters are taken; without a user header the header is what is missing.
    assert.ok(
      serviceConfig(
        {...base, ...withUser, OTP_AUTHENTICATOR_ISSUER: 'A'.repeat(64)},
        noFiles,
      ).authenticator,
    );
    refuses(
      {OTP_AUTHENTICATOR_ISSUER: 'Acme:Bank'},
      /^OTP_AUTHENTICATOR_ISSUER needs OTP_USER_HEADER/,
    );
  });
});

describe('OTP_AUTHENTICATOR_LABEL', () => {
  const on = {...withUser, OTP_AUTHENTICATOR_ISSUER: 'Acme'};
  const lookup = {
    OTP_LOOKUP_URL: 'http://127.0.0.1:9/lookup',
    OTP_WEBHOOK_SECRET: SECRET,
  };

  it('labels with the user by default, and with the address from the lookup webhook for email', () => {
    assert.equal(serviceConfig({...base, ...on}, noFiles).accountLabel, 'user');
    assert.equal(
      serviceConfig(
        {...base, ...on, ...lookup, OTP_AUTHENTICATOR_LABEL: 'email'},
        noFiles,
      ).accountLabel,
      'email',
    );
  });

  it('stops the start for a label it cannot make, or with no factor to label', () => {
    refuses(
      {...on, OTP_AUTHENTICATOR_LABEL: 'email'},
      /^OTP_AUTHENTICATOR_LABEL=email needs OTP_LOOKUP_URL/,
    );
    refuses(
      {...on, ...lookup, OTP_AUTHENTICATOR_LABEL: 'phone'},
      /^OTP_AUTHENTICATOR_LABEL must be user or email, not "phone"$/,
    );
    refuses(
      {...withUser, ...lookup, OTP_AUTHENTICATOR_LABEL: 'email'},
      /^OTP_AUTHENTICATOR_LABEL is set but OTP_AUTHENTICATOR_ISSUER is not/,
    );
  });
});

describe('npx otp-step-server with OTP_AUTHENTICATOR_ISSUER', () => {
  const start = (env: Record<string, string>) => exitOf({...base, ...env});

  it('stops with one line and exit code 1: no user header, a bad issuer', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        {OTP_AUTHENTICATOR_ISSUER: 'Acme'},
        /^otp-step-server: OTP_AUTHENTICATOR_ISSUER needs OTP_USER_HEADER: [^\n]*\n$/,
      ],
      [
        {...withUser, OTP_AUTHENTICATOR_ISSUER: 'Acme:Bank'},
        /^otp-step-server: OTP_AUTHENTICATOR_ISSUER must be the name apps show above the account[^\n]*, not "Acme:Bank"\n$/,
      ],
    ];
    for (const [env, message] of cases) {
      const {code, stderr} = await start(env);
      assert.equal(code, 1, stderr);
      assert.match(stderr, message);
    }
  });
});
