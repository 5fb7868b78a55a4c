/**
 * The Redis client the store makes for itself: one server (`url`) or a Redis
 * Cluster / Valkey cluster (`cluster`, its seed nodes), set up so that an
 * operation fails within the store's timeout rather than waits behind an
 * outage or a failover, and so that nothing it gave up on runs later.
 */
import {Cluster, Redis} from 'ioredis';

/** What the store talks to: one server or a cluster (ioredis gives both the same commands). */
export type RedisClient = Redis | Cluster;

export interface RedisConnection {
  /** `redis://…` or `rediss://…` of one server. */
  url?: string;
  /** Seed nodes of a cluster, each `redis://host:port` (or `rediss://`); the rest are discovered. */
  cluster?: readonly string[];
  /** A client of the app's own. */
  client?: RedisClient;
}

/** Exactly one of url, cluster and client, each well-formed; otherwise a start-up error naming the setting. */
export function checkConnection({url, cluster, client}: RedisConnection): void {
  // An empty url (an unset variable read as '') is no url, as before clusters.
  const given = [url || undefined, cluster, client].filter((v) => v != null).length;
  if (given === 0)
    throw new Error('otp-step: redisOtpStore needs a url, a cluster or a client');
  if (given > 1)
    throw new Error(
      'otp-step: redisOtpStore takes one of url, cluster and client, not several: ' +
        'url for one server, cluster for the seed nodes of a Redis Cluster',
    );
  if (cluster === undefined) return;
  if (!Array.isArray(cluster) || cluster.length === 0)
    throw new Error(
      'otp-step: redisOtpStore cluster must list at least one seed node, e.g. ["redis://10.0.0.1:6379"]',
    );
  const seeds = cluster.map(seedNode);
  const differing = seeds.find(
    (seed) =>
      seed.tls !== seeds[0].tls ||
      seed.username !== seeds[0].username ||
      seed.password !== seeds[0].password,
  );
  if (differing)
    throw new Error(
      `otp-step: redisOtpStore cluster seed nodes must share one scheme and credentials (${differing.host}:${differing.port} differs)`,
    );
}

interface SeedNode {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
}

/** One seed node's address and credentials, or an error saying what is wrong with it. */
function seedNode(seed: unknown): SeedNode {
  let parsed: URL | undefined;
  try {
    parsed = typeof seed === 'string' ? new URL(seed) : undefined;
  } catch {
    parsed = undefined;
  }
  const port = Number(parsed?.port || 6379);
  if (
    !parsed ||
    !['redis:', 'rediss:'].includes(parsed.protocol) ||
    !parsed.hostname ||
    !Number.isInteger(port) ||
    (parsed.pathname !== '' && parsed.pathname !== '/')
  )
    throw new Error(
      `otp-step: redisOtpStore cluster seed node ${JSON.stringify(seed)} is not redis://host:port ` +
        '(or rediss://; a cluster has no database number)',
    );
  return {
    // URL keeps IPv6 literals in brackets; a socket wants them bare.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    tls: parsed.protocol === 'rediss:',
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

/** Makes the client for a checked `url` or `cluster`, failing fast while Redis is unreachable. */
export function makeClient(
  {url, cluster}: Pick<RedisConnection, 'url' | 'cluster'>,
  timeoutMs: number,
): RedisClient {
  if (url)
    return new Redis(url, {
      // Fail at once while disconnected rather than queue requests behind an outage.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: timeoutMs,
      connectTimeout: timeoutMs,
      // Commands sent in one tick (updates a request makes at once) go in one write: one round trip.
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(100 * times, 1000),
    });
  const seeds = cluster!.map(seedNode);
  const {tls, username, password} = seeds[0];
  const client = new Cluster(
    seeds.map(({host, port}) => ({host, port})),
    {
      // While the cluster is not ready (start-up, every node lost), fail at once; the
      // store waits for `ready` itself, bounded by its timeout. Each node's own
      // connection still queues (ioredis needs it to reach a node it just learned of),
      // bounded by commandTimeout.
      enableOfflineQueue: false,
      // As on one server: commands of one tick go to each node in one write.
      enableAutoPipelining: true,
      // Never give up reconnecting: the store must carry on by itself after an outage.
      clusterRetryStrategy: (times) => Math.min(100 * times, 1000),
      // A failover answers CLUSTERDOWN or TRYAGAIN, or closes a connection, for a moment:
      // retry after these delays, then MOVED sends the command to the new primary.
      // The command's own timeout still bounds all of it.
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      maxRedirections: 16,
      slotsRefreshTimeout: timeoutMs,
      redisOptions: {
        commandTimeout: timeoutMs,
        connectTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        username,
        password,
        tls: tls ? {} : undefined,
      },
    },
  );
  neverSendWhatTimedOut(client);
  return client;
}

/**
 * ioredis's cluster re-sends a command when a node answers MOVED, or after a
 * CLUSTERDOWN or TRYAGAIN delay, even when the command has timed out meanwhile
 * (ioredis 5 and 6, cluster/index.js sendCommand: the redirect calls
 * tryConnection whatever the command's state). During a failover that would run a
 * write the store has already answered 503 for: a confirmation the user was told
 * failed would spend the code. Each node's connection is made to drop a command
 * that has already been settled instead of sending it again.
 */
function neverSendWhatTimedOut(cluster: Cluster): void {
  cluster.on('+node', (node: Redis) => {
    const send = node.sendCommand.bind(node);
    node.sendCommand = (command, stream) =>
      command.isSettled ? command.promise : send(command, stream);
  });
}

/**
 * Every key that starts with `prefix`, by SCAN (never KEYS, which blocks the
 * server): on a cluster, each primary holds only its slots' keys, so each is
 * scanned in turn.
 */
export async function keysStartingWith(
  client: RedisClient,
  prefix: string,
): Promise<string[]> {
  // SCAN's MATCH is a glob: the prefix is matched as it is spelled.
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  // SCAN may return a key twice (while the keyspace grows); a set keeps each once.
  const found = new Set<string>();
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) found.add(key);
    } while (cursor !== '0');
  }
  return [...found];
}
