/**
 * Attacks on a recalled challenge (challenge-lookup.ts): the instance that
 * issued a code confirms it from what it saw at issue (OtpStore.recall), which
 * is stale as soon as another instance confirms, locks, cancels or revokes it.
 * Each test issues on A, changes the code on B (another client of the same
 * store), then has A judge it: A must answer what the store holds, never what
 * it recalls. On memory both instances share one store object (nothing is
 * recalled), so the same answers hold there too.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, describe, it} from 'node:test';
import {Redis} from 'ioredis';
import {createOtpHandler, memoryOtpStore, type OtpStore} from '../index.js';
import {redisOtpStore} from '../redis-store.js';
import {
  SECRET,
  STORE_KIND,
  issueBody,
  post,
  recordingLogger,
  wrongCode,
} from './helpers.js';

const redisUrl = process.env.OTP_TEST_REDIS_URL;
const closers: (() => Promise<void>)[] = [];
after(() => Promise.all(closers.map((close) => close())));

/** Two instances on one store: the same memory store, or two Redis clients under one prefix. */
function twoInstances() {
  let stores: [OtpStore, OtpStore];
  if (redisUrl) {
    const prefix = `test:${process.pid}:lookup:${randomUUID()}:`;
    const a = redisOtpStore({url: redisUrl, prefix});
    const b = redisOtpStore({url: redisUrl, prefix});
    closers.push(async () => void (await Promise.all([a.close(), b.close()])));
    stores = [a, b];
  } else {
    const store = memoryOtpStore();
    closers.push(async () => store.close());
    stores = [store, store];
  }
  const [a, b] = stores.map((store) =>
    createOtpHandler({
      secret: SECRET,
      store,
      testMode: true,
      notify() {},
      logger: recordingLogger().logger,
    }),
  );
  const user = `alice-${randomUUID()}`;
  const confirmOn = (handler: typeof a, requestId: string, code: string) =>
    post(handler, `/otp/codes/${requestId}/confirm`, {code});
  return {a, b, user, confirmOn};
}

async function issuedOn(handler: ReturnType<typeof twoInstances>['a'], user: string) {
  const issued = await post(handler, '/otp/codes', issueBody(user));
  assert.equal(issued.status, 201);
  return issued.json as {requestId: string; code: string};
}

describe(`a challenge recalled by the instance that issued it (${STORE_KIND})`, () => {
  it('a code confirmed on another instance is not confirmed again here, even 20 times at once', async () => {
    const {a, b, user, confirmOn} = twoInstances();
    const {requestId, code} = await issuedOn(a, user);
    assert.equal((await confirmOn(b, requestId, code)).status, 200);
    const again = await Promise.all(
      Array.from({length: 20}, () => confirmOn(a, requestId, code)),
    );
    assert.deepEqual(
      again.map((answer) => answer.json.code),
      Array(20).fill('used'),
    );
  });

  it('a code locked on another instance answers locked here to the right code, whatever the back-off', async () => {
    const {a, b, user, confirmOn} = twoInstances();
    const {requestId, code} = await issuedOn(a, user);
    for (let i = 0; i < 5; i++) await confirmOn(b, requestId, wrongCode(code));
    const answer = await confirmOn(a, requestId, code);
    assert.equal(answer.status, 423);
    assert.equal(answer.json.code, 'locked');
  });

  it('counts the wrong codes made on another instance: attempts left come from the store', async () => {
    const {a, b, user, confirmOn} = twoInstances();
    const {requestId, code} = await issuedOn(a, user);
    await confirmOn(b, requestId, wrongCode(code));
    await confirmOn(b, requestId, wrongCode(code));
    const answer = await confirmOn(a, requestId, wrongCode(code));
    assert.equal(answer.status, 422);
    assert.equal(answer.json.attemptsLeft, 2);
    // Two more here lock it: the fifth wrong code in all, not the fifth of this instance.
    await confirmOn(a, requestId, wrongCode(code));
    assert.equal((await confirmOn(a, requestId, wrongCode(code))).status, 423);
    assert.equal((await confirmOn(a, requestId, code)).status, 423);
  });

  it('a code canceled, or its user revoked, on another instance is refused here as canceled', async () => {
    const {a, b, user, confirmOn} = twoInstances();
    const canceled = await issuedOn(a, user);
    assert.equal(await b.cancel(canceled.requestId), true);
    const answer = await confirmOn(a, canceled.requestId, canceled.code);
    assert.equal(answer.status, 410);
    assert.equal(answer.json.code, 'canceled');
    // Canceled on A's side of the story too: A's cancel hears it is over.
    assert.equal(await a.cancel(canceled.requestId), false);

    const other = `${user}-2`;
    const voided = await issuedOn(a, other);
    await b.revokeUser(other);
    const refused = await confirmOn(a, voided.requestId, voided.code);
    assert.equal(refused.status, 410);
    assert.equal(refused.json.code, 'canceled');
  });

  it('a spent token stays spent when its code is tried again where it is recalled as pending', async () => {
    const {a, b, user, confirmOn} = twoInstances();
    const {requestId, code} = await issuedOn(a, user);
    const confirmed = await confirmOn(b, requestId, code);
    const token = confirmed.json.confirmation as string;
    assert.ok(await b.verifyConfirmation(token, {user}));
    // The right code again, where the token is armed before the judgement: used, and no token revived.
    for (const handler of [a, b, a])
      assert.equal((await confirmOn(handler, requestId, code)).json.code, 'used');
    assert.equal(await a.verifyConfirmation(token, {user}), null);
    assert.equal(await b.verifyConfirmation(token, {user}), null);
  });

  it(
    'saves the two reads of a confirm on the instance that issued the code, and only there',
    {skip: !redisUrl && 'the memory store recalls nothing: its reads cost no round trip'},
    async () => {
      const {a, b, user, confirmOn} = twoInstances();
      const redis = new Redis(redisUrl!);
      closers.push(async () => void redis.disconnect());
      /** GETs Redis has run (scripts' own included), by INFO commandstats. */
      const gets = async () =>
        Number(
          /^cmdstat_get:calls=(\d+)/m.exec(await redis.info('commandstats'))?.[1] ?? 0,
        );
      const readsOfAConfirm = async (issuer: typeof a, judge: typeof a) => {
        const {requestId, code} = await issuedOn(issuer, `${user}-${randomUUID()}`);
        await Promise.all([a.idle(), b.idle()]);
        const before = await gets();
        assert.equal((await confirmOn(judge, requestId, code)).status, 200);
        return (await gets()) - before;
      };
      const here = await readsOfAConfirm(a, a);
      const elsewhere = await readsOfAConfirm(a, b);
      assert.equal(elsewhere - here, 2);
    },
  );
});
