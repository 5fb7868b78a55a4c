// What every server under test shares: the reference handler's options, with the
// limits that would refuse a benchmark's traffic raised, and the issue body.
import {createOtpHandler, memoryOtpStore} from '../../dist/node/server/index.js';
import {redisOtpStore} from '../../dist/node/server/redis-store.js';

const PLENTY = 1_000_000_000;

/**
 * The store for `kind`: memory or Redis. The memory store's bound is raised too:
 * at its default (230,000 keys, "busy" from half of that) a 10 s issue run would
 * be refused part-way, and the benchmark would measure the refusals.
 */
export function benchStore(kind, redisUrl) {
  if (kind === 'memory') return memoryOtpStore({maxKeys: 20_000_000});
  if (kind === 'redis') return redisOtpStore({url: redisUrl, prefix: 'bench:'});
  throw new Error(`no store "${kind}"`);
}

/** The reference handler in test mode (issue answers carry the code), quiet, with room for the load. */
export function benchHandler(store, extra = {}) {
  return createOtpHandler({
    secret: 'a benchmark secret that is long enough to key the HMAC',
    store,
    testMode: true,
    notify: () => undefined,
    logger: {info() {}, warn() {}, error() {}},
    limits: {
      issuesPerWindow: PLENTY,
      issuesPerAddress: PLENTY,
      sendsPerDestination: PLENTY,
      unconfirmedPerCountry: PLENTY,
    },
    ...extra,
  });
}

/** An issue request for user number `n`: a user of its own, so no cooldown or per-account limit applies. */
export const issueBody = (n) =>
  JSON.stringify({
    user: `bench-${n}`,
    client: 'web',
    lifetime: 300,
    stepName: 'login',
    sourceStep: 'get-user-info',
    length: 6,
    alphabet: 'numeric',
  });
