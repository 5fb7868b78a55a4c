/**
 * The side service's authenticator factor: OTP_AUTHENTICATOR_ISSUER read
 * strictly (a bad issuer, or one without OTP_USER_HEADER, stops the start in
 * one line naming it).
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {describe, it} from 'node:test';
import {ConfigError, serviceConfig} from '../service/config.js';
import {SECRET} from './helpers.js';

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

  it('stops the start for an issuer an app would misread, naming it', () => {
    refuses(
      {...withUser, OTP_AUTHENTICATOR_ISSUER: 'Acme:Bank'},
      /^OTP_AUTHENTICATOR_ISSUER must not hold a colon .*, not "Acme:Bank": give the name/,
    );
    refuses(
      {...withUser, OTP_AUTHENTICATOR_ISSUER: 'Acme\u0007Bank'},
      /^OTP_AUTHENTICATOR_ISSUER must not hold control characters, not "Acme\\u0007Bank"/,
    );
    refuses(
      {...withUser, OTP_AUTHENTICATOR_ISSUER: 'A'.repeat(65)},
      /^OTP_AUTHENTICATOR_ISSUER must be at most 64 characters/,
    );
    // 64 characters, some of them outside the BMP, are still 64.
    assert.ok(
      serviceConfig(
        {...base, ...withUser, OTP_AUTHENTICATOR_ISSUER: '🔐'.repeat(64)},
        noFiles,
      ).authenticator,
    );
  });
});

describe('npx otp-step-server with OTP_AUTHENTICATOR_ISSUER', () => {
  const main = new URL('../service/main.js', import.meta.url).pathname;
  const start = (env: Record<string, string>) =>
    new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, [main], {
        env: {PATH: process.env.PATH ?? '', ...base, PORT: '0', ...env},
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({code, stderr});
      });
    });

  it('stops with one line and exit code 1: no user header, a bad issuer', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        {OTP_AUTHENTICATOR_ISSUER: 'Acme'},
        /^otp-step-server: OTP_AUTHENTICATOR_ISSUER needs OTP_USER_HEADER: [^\n]*\n$/,
      ],
      [
        {...withUser, OTP_AUTHENTICATOR_ISSUER: 'Acme:Bank'},
        /^otp-step-server: OTP_AUTHENTICATOR_ISSUER must not hold a colon [^\n]*\n$/,
      ],
    ];
    for (const [env, message] of cases) {
      const {code, stderr} = await start(env);
      assert.equal(code, 1, stderr);
      assert.match(stderr, message);
    }
  });
});
