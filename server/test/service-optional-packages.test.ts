import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {SECRET} from './helpers.js';

/**
 * The service as `npx otp-step-server` runs it outside a project that has the
 * optional peer dependencies: the compiled package in a directory of its own
 * whose node_modules holds every package of ours except ioredis and prom-client,
 * so Node's own resolution fails as it does for a newcomer.
 */
describe('otp-step-server without its optional packages', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otp-step-npx-'));
    cpSync('dist/node', join(dir, 'dist/node'), {recursive: true});
    cpSync('package.json', join(dir, 'package.json'));
    mkdirSync(join(dir, 'node_modules'));
    for (const name of readdirSync('node_modules'))
      if (!['ioredis', 'prom-client', '.bin', '.cache'].includes(name))
        symlinkSync(resolve('node_modules', name), join(dir, 'node_modules', name));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  const start = async (env: Record<string, string>) => {
    const child = spawn(
      process.execPath,
      [join(dir, 'dist/node/server/service/main.js')],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          OTP_SECRET: SECRET,
          PORT: '0',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((done) => child.once('exit', done));
    return {code, stderr};
  };

  it('says in one line to install ioredis when OTP_REDIS_URL is set, not "Cannot find package"', async () => {
    const {code, stderr} = await start({OTP_REDIS_URL: 'redis://127.0.0.1:6379'});
    assert.equal(code, 1);
    assert.equal(
      stderr,
      'otp-step-server: OTP_REDIS_URL needs the ioredis package, which is not installed: run npm install ioredis beside otp-step, or start with npx --package otp-step --package ioredis otp-step-server\n',
    );
  });

  it('says in one line to install prom-client when OTP_METRICS_PORT is set', async () => {
    const {code, stderr} = await start({OTP_METRICS_PORT: '0'});
    assert.equal(code, 1);
    assert.match(
      stderr,
      /^otp-step-server: OTP_METRICS_PORT needs the prom-client package, which is not installed: run npm install prom-client[^\n]*\n$/,
    );
  });
});
