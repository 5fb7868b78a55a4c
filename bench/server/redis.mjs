// A private redis-server for the benchmark: a free loopback port, a temporary
// directory, no persistence (--save '' --appendonly no), so writes cost what an
// in-memory cache costs. The tests' server (server/test/redis-server.ts) appends
// and fsyncs every write, which would measure the disk.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {freePort} from '../../scripts/free-port.mjs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Redis} from 'ioredis';

export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'otp-step-bench-redis-'));
  const child = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...['--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    ],
    {stdio: 'ignore'},
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, {lazyConnect: true, maxRetriesPerRequest: 0});
  client.on('error', () => undefined);
  for (let tries = 0; ; tries++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (tries > 100 || child.exitCode !== null)
        throw new Error(`redis-server did not start: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    pid: child.pid,
    /** A raw Redis command on the benchmark's own connection. */
    call: (...args) => client.call(...args),
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, {recursive: true, force: true});
    },
  };
}
