/**
 * `otp.expired` without Redis keyspace notifications (managed Redis refuses
 * the CONFIG they need) and through the store's one operation, `update`: each
 * code issued is appended to a due list, one per few-second bucket of expiry
 * times and one of a few shards (so that all issues of a busy second do not
 * fight over one key); once a bucket has ended, the first instance whose timer
 * gets to it claims each shard, taking and deleting it in one update, and
 * tells of each code on it still pending. A claim is atomic, so among
 * instances sharing a store each code is told of by exactly one of them.
 *
 * A store that lives in this process alone (the memory store: `inProcess`)
 * has no other instance to share the lists with: they are kept in a Map here,
 * appended to in the request (a push, no store write) and claimed by the same
 * timer, which keeps the cost of watching under the metrics' 10 % budget.
 *
 * At most once: an instance that dies between claiming a shard and telling of
 * its codes takes those events with it, and a bucket that ends while no
 * instance runs is told of only if one starts within `LOOKBACK_BUCKETS`.
 */
import {challengeStatus} from '../../src/challenge/challenge.js';
import {EXPIRED_GRACE_MS, type ServerRecord} from '../handler-context.js';
import type {OtpStore} from '../store.js';
import {challengeStoreKey, expiringKey} from '../keys.js';
import {revokedAt} from '../revocation.js';
import type {LifecycleFact, LifecycleObserver} from './lifecycle.js';

/**
 * Width of a due bucket. A code is told of once its bucket has ended and the
 * next tick claims it: at most a bucket plus a tick after it expired (well
 * within the 5 s promised, with room for a slow store).
 */
export const DUE_BUCKET_MS = 2000;
/** Due lists per bucket: issues spread over them by request id. */
export const DUE_SHARDS = 8;
/**
 * How often the timer looks. A tick that finds no bucket newly ended does
 * nothing at all (no store call), so ticking often costs only the claims.
 */
const TICK_MS = 250;
/** Buckets looked back at when an instance starts: codes that expired while none ran. */
const LOOKBACK_BUCKETS = 30;

type DueEntry = [challengeKey: string, requestId: string];

const isDueEntry = (entry: unknown): entry is DueEntry =>
  Array.isArray(entry) &&
  entry.length === 2 &&
  typeof entry[0] === 'string' &&
  typeof entry[1] === 'string';

/** What the watcher needs of the handler's context (named here: the context is built with it). */
export interface ExpiryContext {
  store: OtpStore;
  now: () => number;
  peek: <T>(key: string) => Promise<T>;
  normalize: (user: string) => string;
}

export interface ExpiryWatcher extends LifecycleObserver {
  /** Stops the timer; appends still being written finish (see `idle`). */
  close(): void;
}

/**
 * Watches for codes that expire while still pending: not confirmed, locked,
 * canceled, revoked, superseded by a resend, nor a decoy's. Appends on each
 * `issued` fact (one store write behind the answer), and emits an `expired`
 * fact, timed at the code's expiry, through `emit`.
 */
export function expiryWatcher(
  ctx: ExpiryContext,
  emit: (fact: LifecycleFact) => void,
  logFailure: (what: string, error: unknown) => void,
): ExpiryWatcher {
  const {store, now} = ctx;
  const bucketOf = (at: number) => Math.floor(at / DUE_BUCKET_MS);
  /** The first bucket this instance has not claimed yet. */
  let next = bucketOf(now()) - LOOKBACK_BUCKETS;
  let ticking = false;
  let closed = false;
  /** Whether the last claim failed: a store outage is logged once, not four times a second. */
  let failing = false;
  const appending = new Set<Promise<void>>();
  /** The due lists of a store in this process alone, by bucket (no shards: no one to fight over them). */
  const local = store.inProcess ? new Map<number, DueEntry[]>() : undefined;

  const claimShard = async (bucket: number, shard: number) => {
    if (local) {
      if (shard !== 0) return;
      const due = local.get(bucket) ?? [];
      local.delete(bucket);
      await Promise.all(due.map(tellIfPending));
      return;
    }
    const due = await store.update<unknown[]>(expiringKey(bucket, shard), (value) =>
      value === undefined ? [value, []] : [undefined, Array.isArray(value) ? value : []],
    );
    await Promise.all(due.filter(isDueEntry).map(tellIfPending));
  };

  /** Tells of the code if it is the one its challenge holds now, and was still pending when it expired. */
  const tellIfPending = async ([key, requestId]: DueEntry) => {
    const record = await ctx.peek<ServerRecord | undefined>(key);
    if (!record || record.requestId !== requestId || record.decoy) return;
    if (record.canceledAt !== undefined) return;
    // Pending just before its expiry: neither confirmed nor locked.
    if (challengeStatus(record, record.expiresAt - 1) !== 'pending') return;
    const revoked = await revokedAt(ctx, record.user);
    if (revoked !== undefined && record.issuedAt <= revoked) return;
    emit({
      type: 'expired',
      at: record.expiresAt,
      requestId,
      user: record.user,
      account: ctx.normalize(record.user),
      client: record.client,
      stepName: record.stepName,
      // As issue-code.ts and confirm.ts tell it: where the app sends the code itself, the plan named it.
      channel: record.channel ?? record.notifiedOn,
      destinationHint: record.destinationHint,
      country: record.country,
    });
  };

  const tick = async () => {
    if (ticking || closed) return;
    ticking = true;
    try {
      const current = bucketOf(now());
      next = Math.max(next, current - LOOKBACK_BUCKETS);
      // A bucket is claimed once it has ended; one that fails is tried again next tick.
      for (; next < current && !closed; next++) {
        const bucket = next;
        await Promise.all(
          Array.from({length: DUE_SHARDS}, (_, shard) => claimShard(bucket, shard)),
        );
      }
      failing = false;
    } catch (error) {
      if (!failing) logFailure('the expiry watcher', error);
      failing = true;
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();

  return {
    fact(fact) {
      if (fact.type !== 'issued' || closed || fact.expiresAt === undefined) return;
      const {requestId, user, client, stepName} = fact;
      if (requestId === undefined || user === undefined) return;
      if (client === undefined || stepName === undefined) return;
      const entry: DueEntry = [challengeStoreKey({stepName, user, client}), requestId];
      // A code shorter-lived than a bucket may expire in one that has ended: the current one then.
      const bucket = Math.max(bucketOf(fact.expiresAt), bucketOf(now()));
      if (local) {
        const due = local.get(bucket);
        if (due) due.push(entry);
        else local.set(bucket, [entry]);
        return;
      }
      const shard = (parseInt(requestId.slice(0, 2), 16) || 0) % DUE_SHARDS;
      const keepMs = (bucket + 1) * DUE_BUCKET_MS + EXPIRED_GRACE_MS - now();
      // On a later turn: the memory store would copy the list within the request, and
      // only for known users (a decoy is never due), which timing could tell apart.
      const write: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() =>
          store.update(expiringKey(bucket, shard), (value) => [
            [...(Array.isArray(value) ? value : []), entry],
            undefined,
            keepMs,
          ]),
        )
        .catch((error: unknown) => logFailure('adding a code to the expiry list', error))
        .finally(() => appending.delete(write));
      appending.add(write);
    },
    async idle() {
      while (appending.size) await Promise.allSettled([...appending]);
    },
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
