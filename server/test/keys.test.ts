import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {challengeKey} from '../../src/challenge/challenge-key.js';
import {
  challengeStoreKey,
  confirmationKey,
  DEFAULT_KEY_PREFIX,
  failuresKey,
  HEALTH_KEY,
  idempotencyKey,
  issuesByAccountKey,
  issuesByAddressKey,
  requestKey,
} from '../keys.js';
import {issue, setup} from './helpers.js';

describe('store keys', () => {
  it('are spelled as a deployment has them stored: a new spelling would forget pending codes and limits', () => {
    const alice = {stepName: 'login', user: 'alice', client: 'web'};
    assert.equal(challengeStoreKey(alice), 'challenge:["login","alice","web"]');
    assert.equal(requestKey('r1'), 'request:r1');
    assert.equal(confirmationKey('r1'), 'confirmation:r1');
    assert.equal(idempotencyKey('alice', 'k'), 'idempotency:["alice","k"]');
    assert.equal(failuresKey('alice'), 'failures:"alice"');
    assert.equal(issuesByAccountKey('alice'), 'issues-by-account:"alice"');
    assert.equal(issuesByAddressKey('2001:db8::/64'), 'issues-by-address:2001:db8::/64');
    assert.equal(HEALTH_KEY, 'healthz');
    assert.equal(DEFAULT_KEY_PREFIX, 'otp-step:');
  });

  it("name a challenge as the browser's store does", () => {
    const identity = {stepName: 'pay', user: 'bob', client: 'app'};
    assert.equal(challengeStoreKey(identity), `challenge:${challengeKey(identity)}`);
  });

  it('keep names apart whatever characters they hold', () => {
    // Joined with a separator, these two pairs would be one key each.
    assert.notEqual(
      challengeStoreKey({stepName: 'a","b', user: 'c', client: ''}),
      challengeStoreKey({stepName: 'a', user: 'b","c', client: ''}),
    );
    assert.notEqual(idempotencyKey('a:b', 'c'), idempotencyKey('a', 'b:c'));
    assert.notEqual(failuresKey('x"'), failuresKey('x\\"'));
    // Each kind of counter has a key of its own for one user.
    assert.notEqual(failuresKey('alice'), issuesByAccountKey('alice'));
  });

  it('are the keys the handler writes for an issued code', async () => {
    const ctx = setup();
    const {json} = await issue(ctx);
    const challenge = challengeStoreKey({
      stepName: 'login',
      user: 'alice',
      client: 'web',
    });
    const peek = (key: string) => ctx.store.update(key, (v) => [v, v]);
    assert.equal(await peek(requestKey(String(json.requestId))), challenge);
    assert.equal(
      ((await peek(challenge)) as {requestId: string}).requestId,
      json.requestId,
    );
    assert.equal(((await peek(issuesByAccountKey('alice'))) as {count: number}).count, 1);
  });
});
