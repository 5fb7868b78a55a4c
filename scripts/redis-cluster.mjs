// A real Redis Cluster on loopback for the tests: six redis-server nodes in
// cluster mode (three primaries, each with a replica), made into a cluster by
// `redis-cli --cluster create`, with no persistence and their files in a
// temporary directory. Used by scripts/test.mjs (the cluster pass of `npm test`)
// and by server/test/redis-cluster-server.ts when a cluster test file runs alone.
import {execFile, spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';

const run = promisify(execFile);
const NODES = 6;
/** A node's cluster bus listens here above its port (Redis's fixed offset). */
const BUS_OFFSET = 10_000;

/** Whether redis-server and redis-cli can be started here; if not, why (one line). */
export function clusterToolsMissing({
  redisServer = 'redis-server',
  redisCli = 'redis-cli',
} = {}) {
  for (const tool of [redisServer, redisCli]) {
    const probe = spawnSync(tool, ['--version'], {stdio: 'ignore'});
    if (probe.error)
      return `${tool} is not installed (Debian: apt-get install redis-server)`;
  }
  return undefined;
}

function listens(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function freeNodePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const {port} = server.address();
        server.close(() => resolve(port));
      });
    });
    if (port + BUS_OFFSET < 65_536 && (await listens(port + BUS_OFFSET))) return port;
  }
}

/** Runs redis-cli against one node and returns what it printed. */
export async function redisCli(port, args, redisCliPath = 'redis-cli') {
  const {stdout} = await run(
    redisCliPath,
    ['-h', '127.0.0.1', '-p', String(port), ...args],
    {
      timeout: 10_000,
    },
  );
  return stdout;
}

async function until(what, check, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`redis cluster: ${what} within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the six nodes, creates the cluster and waits until every node says
 * `cluster_state:ok` and knows all six. `firstPort` takes six ports in a row
 * (and their bus ports, 10000 above); without it, free ports are found.
 * Returns the seed nodes as URLs, the ports, and `stop()`.
 */
export async function startRedisCluster({
  firstPort,
  redisServer = 'redis-server',
  redisCli: redisCliPath = 'redis-cli',
} = {}) {
  const ports = [];
  for (let i = 0; i < NODES; i++)
    ports.push(firstPort ? firstPort + i : await freeNodePort());
  const dir = mkdtempSync(join(tmpdir(), 'otp-step-redis-cluster-'));
  const children = ports.map((port) =>
    spawn(
      redisServer,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        // Short enough that a node that stops answering is noticed within a test.
        '--cluster-node-timeout',
        '3000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
      ],
      {stdio: 'ignore'},
    ),
  );
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    const cli = (port, args) => redisCli(port, args, redisCliPath);
    await Promise.all(
      ports.map((port) =>
        until(
          `node ${port} answers PING`,
          async () => (await cli(port, ['PING'])).includes('PONG'),
          10_000,
        ),
      ),
    );
    await run(
      redisCliPath,
      [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '1',
        '--cluster-yes',
      ],
      {timeout: 30_000},
    );
    await Promise.all(
      ports.map((port) =>
        until(
          `node ${port} reports cluster_state:ok and three replicas`,
          async () => {
            const info = await cli(port, ['CLUSTER', 'INFO']);
            // And every node sees three primaries and three replicas: until then a
            // replica may still show as a primary without slots.
            const listing = await cli(port, ['CLUSTER', 'NODES']);
            const flags = listing
              .trim()
              .split('\n')
              .map((line) => line.split(' ')[2].split(','));
            const count = (role) => flags.filter((f) => f.includes(role)).length;
            // A replica has its primary's data only once its link is up.
            const replication = await cli(port, ['INFO', 'replication']);
            return (
              info.includes('cluster_state:ok') &&
              count('master') === NODES / 2 &&
              count('slave') === NODES / 2 &&
              (replication.includes('role:master') ||
                replication.includes('master_link_status:up'))
            );
          },
          30_000,
        ),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {nodes: ports.map((port) => `redis://127.0.0.1:${port}`), ports, stop};
}
