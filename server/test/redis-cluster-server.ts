/**
 * The Redis Cluster a cluster test runs on: the one `npm test` started
 * (OTP_TEST_REDIS_CLUSTER, its seed nodes, comma-separated), or one of its own
 * from scripts/redis-cluster.mjs when the file runs alone (on six ports from
 * OTP_TEST_REDIS_CLUSTER_PORT if set, free ones otherwise).
 */
import {Cluster, Redis} from 'ioredis';

interface ClusterScript {
  clusterToolsMissing(): string | undefined;
  startRedisCluster(options?: {
    firstPort?: number;
  }): Promise<{nodes: string[]; stop(): Promise<void>}>;
}

// From build/node/server/test/ (where this runs) back to the project's scripts/.
const script = new URL('../../../../scripts/redis-cluster.mjs', import.meta.url).href;

export interface TestCluster {
  /** Seed nodes, `redis://127.0.0.1:port`. */
  nodes: string[];
  /** Stops the cluster if this process started it. */
  stop(): Promise<void>;
}

/** Why the cluster tests cannot run here, or undefined when they can. */
export async function clusterUnavailable(): Promise<string | undefined> {
  if (process.env.OTP_TEST_REDIS_CLUSTER) return undefined;
  return ((await import(script)) as ClusterScript).clusterToolsMissing();
}

export async function testCluster(): Promise<TestCluster> {
  const given = process.env.OTP_TEST_REDIS_CLUSTER;
  if (given) return {nodes: given.split(','), stop: async () => undefined};
  const {startRedisCluster} = (await import(script)) as ClusterScript;
  const firstPort = Number(process.env.OTP_TEST_REDIS_CLUSTER_PORT) || undefined;
  return startRedisCluster({firstPort});
}

/**
 * A connection to one node, for the test to command it: no reconnecting and no
 * unheard errors, so a node that stops cannot keep the test process alive.
 */
export function nodeClient(port: number): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    commandTimeout: 10_000,
  });
  client.on('error', () => undefined);
  return client;
}

/** A node as CLUSTER NODES lists it. */
export interface ClusterNodeInfo {
  id: string;
  port: number;
  primary: boolean;
  /** For a replica, the id of its primary. */
  primaryId?: string;
}

/** Who is primary and who replicates whom now, as the node at `port` sees it. */
export async function clusterNodes(port: number): Promise<ClusterNodeInfo[]> {
  const admin = nodeClient(port);
  try {
    const listing = String(await admin.call('CLUSTER', 'NODES'));
    return listing
      .trim()
      .split('\n')
      .map((line) => {
        const [id, address, flags, primaryId] = line.split(' ');
        const primary = flags.split(',').includes('master');
        return {
          id,
          port: Number(address.split('@')[0].split(':').pop()),
          primary,
          primaryId: primary ? undefined : primaryId,
        };
      });
  } finally {
    admin.disconnect();
  }
}

/** The port of the primary that holds `key` now, asked of the cluster itself. */
export async function primaryOf(cluster: Cluster, key: string): Promise<number> {
  const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
  const slots = (await cluster.call('CLUSTER', 'SLOTS')) as [
    number,
    number,
    [string, number],
  ][];
  const range = slots.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no node serves slot ${slot}`);
  return range[2][1];
}

/**
 * Waits until the node at `primaryPort` is a primary and every node agrees on
 * who is primary, each replica's primary being one. A failover is over only
 * then (a node that has not heard yet still sends clients to the old one).
 */
export async function untilPrimary(
  primaryPort: number,
  ports: number[],
  deadlineMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const views = await Promise.all(ports.map((port) => clusterNodes(port)));
    const roles = (view: ClusterNodeInfo[]) =>
      view
        .map((n) => `${n.port}:${n.primary ? 'primary' : `replica of ${n.primaryId}`}`)
        .sort()
        .join(' ');
    const agreed = views.every((view) => roles(view) === roles(views[0]));
    const paired = views[0].every(
      (n) => n.primary || views[0].some((p) => p.primary && p.id === n.primaryId),
    );
    const promoted = views[0].some((n) => n.port === primaryPort && n.primary);
    if (agreed && paired && promoted) return;
    if (Date.now() > deadline)
      throw new Error(`the cluster did not settle: ${views.map(roles).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
