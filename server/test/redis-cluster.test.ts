/**
 * The Redis store on a real Redis Cluster (three primaries, each with a
 * replica, on loopback): the handler's whole flow on it, keys spread over the
 * primaries, one success among parallel confirmations, and a primary failed
 * over mid-flow (CLUSTER FAILOVER on its replica): answers may be 503 while it
 * happens, but every pending code then confirms exactly once, none twice.
 * `npm test` runs it once, on the cluster it starts (OTP_TEST_REDIS_CLUSTER);
 * alone, it starts one of its own (redis-cluster-server.ts).
 */
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {Cluster} from 'ioredis';
import {createOtpHandler, OtpStoreUnavailableError} from '../index.js';
import {redisOtpStore, type RedisOtpStore} from '../redis-store.js';
import {assertConforms, issueBody, post, recordingLogger, SECRET} from './helpers.js';
import {
  clusterNodes,
  clusterUnavailable,
  nodeClient,
  primaryOf,
  testCluster,
  untilPrimary,
  type TestCluster,
} from './redis-cluster-server.js';

const skip = await clusterUnavailable();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Bounded, so that a cluster that stops answering fails the file instead of holding it.
describe('redisOtpStore on a Redis Cluster', {skip, timeout: 120_000}, () => {
  let cluster: TestCluster;
  /** A client of the test's own, to look at where keys are and what they hold. */
  let inspect: Cluster;
  let ports: number[];
  const stores: RedisOtpStore[] = [];
  let prefixes = 0;

  before(async () => {
    cluster = await testCluster();
    ports = cluster.nodes.map((node) => Number(new URL(node).port));
    inspect = new Cluster(
      ports.map((port) => ({host: '127.0.0.1', port})),
      {redisOptions: {commandTimeout: 10_000}},
    );
    // Its failures show in the assertions that use it.
    inspect.on('error', () => undefined);
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    inspect?.disconnect();
    await cluster?.stop();
  });

  /** A store on the cluster with a prefix of its own, so tests never see each other's keys. */
  const open = (timeoutMs = 1000) => {
    const prefix = `cluster-test:${process.pid}:${prefixes++}:`;
    const store = redisOtpStore({cluster: cluster.nodes, prefix, timeoutMs});
    stores.push(store);
    return {store, prefix};
  };

  /** The reference handler in test mode (codes in the answers) on a cluster store. */
  const handlerOn = (store: RedisOtpStore) =>
    createOtpHandler({
      secret: SECRET,
      store,
      testMode: true,
      notify: () => undefined,
      logger: recordingLogger().logger,
      // Every test user asks from the one default address.
      limits: {issuesPerAddress: 10_000},
    });
  type Handler = ReturnType<typeof handlerOn>;

  const issue = async (handler: Handler, user: string) => {
    const answer = await post(handler, '/otp/codes', issueBody(user));
    assertConforms('/codes', answer);
    return answer;
  };
  const confirm = async (handler: Handler, requestId: unknown, code: unknown) => {
    const answer = await post(handler, `/otp/codes/${requestId}/confirm`, {
      code: String(code),
    });
    assertConforms('/codes/{requestId}/confirm', answer);
    return answer;
  };

  it('refuses url and cluster together, an empty or malformed list, with the setting named', () => {
    const refused = (options: Parameters<typeof redisOtpStore>[0], message: RegExp) =>
      assert.throws(() => redisOtpStore(options), message);
    refused(
      {url: 'redis://127.0.0.1:6379', cluster: cluster.nodes},
      /one of url, cluster and client, not several/,
    );
    refused({cluster: cluster.nodes, client: inspect}, /not several/);
    refused({}, /needs a url, a cluster or a client/);
    refused({url: ''}, /needs a url, a cluster or a client/);
    refused({cluster: []}, /cluster must list at least one seed node/);
    refused(
      {cluster: 'redis://127.0.0.1:7000' as unknown as string[]},
      /cluster must list/,
    );
    for (const seed of [
      '127.0.0.1:7000',
      'http://127.0.0.1:7000',
      'redis://',
      'redis://h:7000/2',
    ])
      refused({cluster: [seed]}, /seed node .* is not redis:\/\/host:port/);
    refused({cluster: [42 as unknown as string]}, /seed node 42 is not/);
    refused(
      {cluster: ['redis://:a@127.0.0.1:7000', 'redis://:b@127.0.0.1:7001']},
      /share one scheme and credentials \(127\.0\.0\.1:7001 differs\)/,
    );
  });

  it('issues and confirms through createOtpHandler, its keys on more than one primary', async () => {
    const {store, prefix} = open();
    const handler = handlerOn(store);
    const issued = [];
    for (let i = 0; i < 12; i++) issued.push(await issue(handler, `spread-${i}`));
    for (const {status} of issued) assert.equal(status, 201);
    const ok = await confirm(handler, issued[0].json.requestId, issued[0].json.code);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.status, 'confirmed');
    assert.match(String(ok.json.confirmation), /^v1\./);
    const again = await confirm(handler, issued[0].json.requestId, issued[0].json.code);
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'used');

    // entries() scans every primary: it finds each challenge, whichever node holds it.
    const keys = (await store.entries()).map(([key]) => key);
    for (let i = 0; i < 12; i++)
      assert.ok(
        keys.some((key) => key.startsWith('challenge:') && key.includes(`"spread-${i}"`)),
        `challenge of spread-${i} in entries()`,
      );
    const slots = new Set<number>();
    const primaries = new Set<number>();
    for (const key of keys) {
      slots.add(Number(await inspect.call('CLUSTER', 'KEYSLOT', prefix + key)));
      primaries.add(await primaryOf(inspect, prefix + key));
    }
    assert.ok(slots.size > 10, `${keys.length} keys on ${slots.size} slots`);
    assert.equal(primaries.size, 3, `keys on primaries ${[...primaries].join(', ')}`);
  });

  it('lists in entries() only keys under its prefix, spelled as it is (no glob)', async () => {
    const glob = redisOtpStore({cluster: cluster.nodes, prefix: `glob:${process.pid}:*`});
    const plain = redisOtpStore({
      cluster: cluster.nodes,
      prefix: `glob:${process.pid}:a`,
    });
    stores.push(glob, plain);
    for (let i = 0; i < 20; i++)
      await plain.update(`key-${i}`, () => [i, undefined, 60_000]);
    await glob.update('own', () => ['mine', undefined, 60_000]);
    assert.deepEqual(await glob.entries(), [['own', 'mine']]);
    assert.equal((await plain.entries()).length, 20);
  });

  it('gives exactly one success among 200 parallel confirmations of one code', async () => {
    const handler = handlerOn(open().store);
    const {json} = await issue(handler, 'parallel');
    const answers = await Promise.all(
      Array.from({length: 200}, () => confirm(handler, json.requestId, json.code)),
    );
    assert.equal(answers.filter((a) => a.status === 200).length, 1);
    assert.equal(
      answers.filter((a) => a.json.code === 'used' || a.json.code === 'rate-limited')
        .length,
      199,
    );
  });

  /**
   * Issues 50 codes, confirms them five at a time, and fails over the primary that
   * holds most of them once ten are answered: `graceful` is CLUSTER FAILOVER on its
   * replica; `stalled` first holds every client of the primary (CLIENT PAUSE ALL, as
   * a primary that hangs) and forces the replica to take over (CLUSTER FAILOVER
   * FORCE), so that requests time out into 503s while it happens.
   */
  async function confirmAcrossFailover(how: 'graceful' | 'stalled', name: string) {
    const {store, prefix} = open();
    const handler = handlerOn(store);
    const codes: {requestId: string; code: string; primary: number}[] = [];
    for (let i = 0; i < 50; i++) {
      const {status, json} = await issue(handler, `${name}-${i}`);
      assert.equal(status, 201);
      const requestId = String(json.requestId);
      const key = (await store.entries())
        .map(([key]) => key)
        .find((key) => key.startsWith('challenge:') && key.includes(`"${name}-${i}"`))!;
      codes.push({
        requestId,
        code: String(json.code),
        primary: await primaryOf(inspect, prefix + key),
      });
    }
    // The primary that holds the most of these challenges is failed over to its replica.
    const held = (port: number) => codes.filter((c) => c.primary === port).length;
    const primaryPort = codes
      .map((c) => c.primary)
      .reduce((most, port) => (held(port) > held(most) ? port : most));
    const nodes = await clusterNodes(primaryPort);
    const primaryId = nodes.find((n) => n.port === primaryPort)!.id;
    const replica = nodes.find((n) => n.primaryId === primaryId)!;

    const successes = new Map<string, number>(codes.map((c) => [c.requestId, 0]));
    const outcomes: string[] = [];
    /** From CLUSTER FAILOVER sent to every node agreeing on the new primary. */
    const failover = {from: Infinity, to: Infinity};
    /** Confirmations of the failing primary's codes that ran while it failed over. */
    let duringFailover = 0;
    const attempt = async ({requestId, code, primary}: (typeof codes)[number]) => {
      const startedAt = Date.now();
      const answer = await confirm(handler, requestId, code);
      if (
        primary === primaryPort &&
        startedAt <= failover.to &&
        Date.now() >= failover.from
      )
        duringFailover++;
      outcomes.push(
        answer.status === 200 ? '200' : `${answer.status} ${answer.json.code}`,
      );
      if (answer.status === 200) successes.set(requestId, successes.get(requestId)! + 1);
      return answer;
    };

    // Confirmations run five at a time, a little apart, so some are in flight while
    // the failover runs; it starts once the first ten are answered.
    const queue = [...codes];
    const failedOver = (async () => {
      while (outcomes.length < 10) await sleep(5);
      const onReplica = nodeClient(replica.port);
      const onPrimary = nodeClient(primaryPort);
      try {
        failover.from = Date.now();
        if (how === 'stalled') await onPrimary.call('CLIENT', 'PAUSE', '2500', 'ALL');
        assert.equal(
          await onReplica.call(
            'CLUSTER',
            'FAILOVER',
            ...(how === 'stalled' ? ['FORCE'] : []),
          ),
          'OK',
        );
      } finally {
        onReplica.disconnect();
        onPrimary.disconnect();
      }
      await untilPrimary(replica.port, ports);
      failover.to = Date.now();
    })();
    await Promise.all(
      Array.from({length: 5}, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          await attempt(next);
          await sleep(20);
        }
      }),
    );
    await failedOver;

    // Those answered 503 (or held behind a reserved attempt) go again until confirmed.
    const deadline = Date.now() + 20_000;
    for (const c of codes) {
      while (successes.get(c.requestId) === 0) {
        assert.ok(Date.now() < deadline, `${c.requestId} confirmed after the failover`);
        const {status, json} = await attempt(c);
        if (status !== 200)
          assert.ok(
            status === 503 || json.code === 'rate-limited',
            `retry of ${c.requestId}: ${status} ${json.code}`,
          );
        if (status !== 200) await sleep(100);
      }
    }
    const unexpected = outcomes.filter(
      (o) => o !== '200' && o !== '503 store-unavailable' && o !== '429 rate-limited',
    );
    assert.deepEqual(
      unexpected,
      [],
      'only 200, 503 store-unavailable or 429 while it ran',
    );
    for (const [requestId, count] of successes)
      assert.equal(count, 1, `${requestId} confirmed ${count} times`);
    // A confirmed code stays used, on the new primary as on the others.
    for (const c of codes) {
      const again = await confirm(handler, c.requestId, c.code);
      assert.equal(again.status, 409);
      assert.equal(again.json.code, 'used');
    }
    // The failover did meet confirmations of the codes it moved.
    assert.ok(duringFailover > 0, 'confirmations ran while the primary failed over');
    const after = await clusterNodes(replica.port);
    assert.ok(after.find((n) => n.port === replica.port)!.primary);
    assert.ok(!after.find((n) => n.port === primaryPort)!.primary);
    console.log(
      `# ${how} failover of :${primaryPort} (${held(primaryPort)} of 50 challenges) to :${replica.port}: ` +
        `${failover.to - failover.from} ms, ${duringFailover} confirmations of its codes meanwhile; ` +
        `${outcomes.length} answers, ${outcomes.filter((o) => o.startsWith('503')).length} of them 503`,
    );
    return outcomes;
  }

  it('confirms every pending code exactly once across a primary failed over mid-flow', async () => {
    await confirmAcrossFailover('graceful', 'failover');
  });

  // A stalled primary answers nothing until its replica takes over: the confirmations
  // held there time out (503) and go again. Confirm arms the token with the judgement and
  // settles its bookkeeping behind the answer, so no 503 is answered for a code it spent.
  it('confirms every pending code exactly once when a stalled primary is taken over, past 503s', async () => {
    const outcomes = await confirmAcrossFailover('stalled', 'stalled');
    // The stall did reach requests: some were answered 503 and went again.
    assert.ok(
      outcomes.some((o) => o === '503 store-unavailable'),
      outcomes.join(', '),
    );
  });

  it('never applies a write it answered 503 for, when the failover lets it through later', async () => {
    // A compare-and-set held at a primary (CLIENT PAUSE WRITE: reads pass, writes wait)
    // times out; its replica takes over meanwhile; when the old primary lets the write
    // go, it answers MOVED. Sent on to the new primary, it would apply a write the
    // caller was told failed: a confirmation answered 503 would spend the code.
    const {store, prefix} = open(300);
    const key = 'held-write';
    await store.update(key, () => ['before', undefined, 60_000]);
    const primaryPort = await primaryOf(inspect, prefix + key);
    const nodes = await clusterNodes(primaryPort);
    const primaryId = nodes.find((n) => n.port === primaryPort)!.id;
    const replica = nodes.find((n) => n.primaryId === primaryId)!;
    const onPrimary = nodeClient(primaryPort);
    const onReplica = nodeClient(replica.port);
    try {
      // The replica must hold what is there now, or the write would fail its compare
      // on the new primary whether or not it was sent again.
      await onReplica.call('READONLY');
      const held = await onPrimary.get(prefix + key);
      for (let i = 0; (await onReplica.get(prefix + key)) !== held; i++) {
        assert.ok(i < 100, 'the replica caught up');
        await sleep(20);
      }
      await onPrimary.call('CLIENT', 'PAUSE', '2000', 'WRITE');
      const started = Date.now();
      await assert.rejects(
        store.update(key, () => ['after the 503', undefined, 60_000]),
        (error) => error instanceof OtpStoreUnavailableError,
      );
      assert.ok(Date.now() - started < 1_500, `${Date.now() - started} ms`);
      assert.equal(await onReplica.call('CLUSTER', 'FAILOVER', 'TAKEOVER'), 'OK');
      await untilPrimary(replica.port, ports);
      // The pause ends, the held write is answered MOVED: give a re-send time to land.
      await sleep(Math.max(0, started + 2_000 - Date.now()) + 1_000);
      const raw = await inspect.get(prefix + key);
      assert.equal(raw && JSON.parse(raw).v, 'before');
      // And the store goes on, on the new primary.
      assert.equal(await store.update(key, (v) => [v, v]), 'before');
    } finally {
      onPrimary.disconnect();
      onReplica.disconnect();
    }
  });
});
