import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {describe, it} from 'node:test';
import {signWebhook, verifyWebhook} from '../index.js';

const SECRET = 'a webhook secret that is long enough, 32+';
const BODY = '{"event":"confirmed","user":"alice","requestId":"r-1"}';
const NOW = 1_700_000_000_000;

describe('webhook signatures', () => {
  it('verifies what was signed, as text or bytes, with the secret as text or bytes', () => {
    const header = signWebhook(BODY, SECRET, NOW);
    assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhook(BODY, header, SECRET, {now: NOW}), true);
    assert.equal(
      verifyWebhook(Buffer.from(BODY), header, Buffer.from(SECRET), {now: () => NOW}),
      true,
    );
  });

  it('is the HMAC-SHA256 of "<t>.<body>" in hex, what the C# and Java checks compute', () => {
    const mac = createHmac('sha256', SECRET).update(`1700000000.${BODY}`).digest('hex');
    assert.equal(signWebhook(BODY, SECRET, NOW), `t=1700000000,v1=${mac}`);
  });

  it('refuses a body, time or signature changed, and another secret', () => {
    const header = signWebhook(BODY, SECRET, NOW);
    const at = {now: NOW};
    assert.equal(
      verifyWebhook(BODY.replace('alice', 'mallory'), header, SECRET, at),
      false,
    );
    assert.equal(verifyWebhook(`${BODY} `, header, SECRET, at), false);
    assert.equal(verifyWebhook(BODY, header.replace('t=17', 't=18'), SECRET, at), false);
    const flipped = header.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    assert.equal(verifyWebhook(BODY, flipped, SECRET, at), false);
    assert.equal(verifyWebhook(BODY, header, `${SECRET}!`, at), false);
  });

  it('refuses a replay older than the tolerance, and a time too far ahead', () => {
    const header = signWebhook(BODY, SECRET, NOW);
    assert.equal(verifyWebhook(BODY, header, SECRET, {now: NOW + 300_000}), true);
    assert.equal(verifyWebhook(BODY, header, SECRET, {now: NOW + 301_000}), false);
    assert.equal(verifyWebhook(BODY, header, SECRET, {now: NOW - 301_000}), false);
    assert.equal(
      verifyWebhook(BODY, header, SECRET, {now: NOW + 3_600_000, toleranceSeconds: 3600}),
      true,
    );
    // Today's clock: a signature from 2023 is a replay.
    assert.equal(verifyWebhook(BODY, header, SECRET), false);
  });

  it('refuses malformed and missing headers', () => {
    const good = signWebhook(BODY, SECRET, NOW);
    const mac = good.split('v1=')[1];
    for (const header of [
      null,
      undefined,
      '',
      'garbage',
      `v1=${mac}`,
      't=1700000000',
      `t=1700000000,v1=${mac.slice(2)}`,
      `t=1700000000,v1=${mac.toUpperCase()}`,
      `t=1700000000,v1=${mac},v1=${mac}`,
      `t=-1700000000,v1=${mac}`,
      `t=1.7e9,v1=${mac}`,
      `v1=${mac},t=1700000000`,
    ])
      assert.equal(
        verifyWebhook(BODY, header, SECRET, {now: NOW}),
        false,
        String(header),
      );
  });
});
