/**
 * Attacks on the account's place taken early (limits.ts takeAccountEarly): an
 * instance that recalls an address's window with room takes the account's
 * place in the same round trip as the address's. The promise it must keep is
 * the one the order kept: no one at a full address holds a victim's places.
 * Instance A sees the address with room; instance B (another client of the
 * same Redis) fills it; A's next requests from that address, for the victim,
 * must leave the victim's window as it was, and the victim must still get
 * every code the account window allows. On memory nothing is recalled, so the
 * account's place always waits for the address's verdict; the same answers hold.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, describe, it} from 'node:test';
import {createOtpHandler, memoryOtpStore, type OtpStore} from '../index.js';
import {issuesByAccountKey} from '../keys.js';
import {redisOtpStore} from '../redis-store.js';
import {SECRET, STORE_KIND, issueBody, post, recordingLogger} from './helpers.js';

const redisUrl = process.env.OTP_TEST_REDIS_URL;
const closers: (() => Promise<void>)[] = [];
after(() => Promise.all(closers.map((close) => close())));

const PER_ADDRESS = 10;
const PER_ACCOUNT = 4;

function twoInstances(extra: {verifyHuman?: () => Promise<boolean>} = {}) {
  let stores: [OtpStore, OtpStore];
  if (redisUrl) {
    const prefix = `test:${process.pid}:early:${randomUUID()}:`;
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
      clientAddress: (request) => request.headers.get('x-test-address') ?? undefined,
      ...extra,
      limits: {
        issuesPerAddress: PER_ADDRESS,
        issuesPerWindow: PER_ACCOUNT,
        resendAfterSeconds: 0,
        maxResends: 100,
      },
    }),
  );
  return {a, b, stores};
}

const from = (address: string) => ({'x-test-address': address});
const issueOn = (
  handler: ReturnType<typeof twoInstances>['a'],
  user: string,
  address: string,
  humanToken?: string,
) =>
  post(
    handler,
    '/otp/codes',
    issueBody(user, {stepName: randomUUID(), ...(humanToken && {humanToken})}),
    from(address),
  );

/** The victim's account window as the store holds it (0 when it holds none). */
async function accountCount(store: OtpStore, user: string): Promise<number> {
  const window = await store.update(issuesByAccountKey(user), (value) => [value, value]);
  return (window as {count?: number} | undefined)?.count ?? 0;
}

describe(`the account's place taken beside the address's (${STORE_KIND})`, () => {
  it('an address filled on another instance holds none of the victim’s places past one burst, and none while a bot check waits', async () => {
    const seenByCheck: number[] = [];
    const victim = `victim-${randomUUID()}`;
    const {a, b, stores} = twoInstances({
      // The bot check is slow, as a provider is: what the victim's window holds meanwhile is recorded.
      async verifyHuman() {
        seenByCheck.push(await accountCount(stores[0], victim));
        await new Promise((resolve) => setTimeout(resolve, 100));
        return true;
      },
    });
    const attacker = '203.0.113.7';
    // A sees the attacker's address with room (one issue of its own there).
    assert.equal((await issueOn(a, `warm-${randomUUID()}`, attacker)).status, 201);
    // B takes the address past half (a bot check is asked for from then on).
    for (let i = 1; i <= PER_ADDRESS / 2; i++)
      assert.equal(
        (await issueOn(b, `other-${i}-${randomUUID()}`, attacker, 'token')).status,
        201,
      );
    // A, still recalling room, is asked for the victim from that address: while
    // the check waits, the victim's window holds nothing of the attacker's.
    assert.equal((await issueOn(a, victim, attacker, 'token')).status, 201);
    assert.deepEqual(seenByCheck.slice(-1), [0]);
    // B fills the address. A first burst of 30 at once from it, for the victim,
    // is refused (a stale recall may hold places for one round trip, no more).
    while ((await issueOn(b, `fill-${randomUUID()}`, attacker, 'token')).status === 201);
    const first = await Promise.all(
      Array.from({length: 30}, () => issueOn(a, victim, attacker, 'token')),
    );
    assert.deepEqual(
      [...new Set(first.map((answer) => `${answer.status} ${answer.json.code}`))],
      ['429 rate-limited'],
    );
    assert.equal(await accountCount(stores[0], victim), 1);
    // From then on A knows the address is full: a second burst beside the
    // victim's own requests takes none of their places.
    const [attacks, own] = await Promise.all([
      Promise.all(Array.from({length: 30}, () => issueOn(a, victim, attacker, 'token'))),
      Promise.all(
        Array.from({length: PER_ACCOUNT - 1}, (_, i) =>
          issueOn(a, victim, `198.51.100.${i + 20}`),
        ),
      ),
    ]);
    assert.deepEqual([...new Set(attacks.map((answer) => answer.status))], [429]);
    assert.deepEqual(
      own.map((answer) => answer.status),
      Array(PER_ACCOUNT - 1).fill(201),
    );
  });

  it('a request refused by the account window from an address with room hands back the address’s place', async () => {
    const {a, stores} = twoInstances();
    const address = '192.0.2.44';
    const user = `busy-${randomUUID()}`;
    for (let i = 0; i < PER_ACCOUNT; i++)
      assert.equal((await issueOn(a, user, address)).status, 201);
    const refused = await issueOn(a, user, address);
    assert.equal(refused.status, 429);
    assert.equal(await accountCount(stores[0], user), PER_ACCOUNT);
    // The address kept only the places of codes issued: PER_ADDRESS - PER_ACCOUNT left.
    for (let i = 0; i < PER_ADDRESS - PER_ACCOUNT; i++)
      assert.equal((await issueOn(a, `next-${i}-${randomUUID()}`, address)).status, 201);
    assert.equal((await issueOn(a, `past-${randomUUID()}`, address)).status, 429);
  });
});
