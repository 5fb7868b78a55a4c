import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  addressBucket,
  hopAddress,
  socketOrForwardedAddress,
  trustedProxyList,
} from '../client-address.js';

const from = (socketAddress: string | undefined, forwardedFor?: string) => ({
  socketAddress,
  header: (name: string) => (name === 'x-forwarded-for' ? forwardedFor : undefined),
});

describe('client addresses', () => {
  it('reads a hop as ip, ip:port, v6, [v6] and [v6]:port, and nothing else', () => {
    assert.equal(hopAddress(' 203.0.113.9 '), '203.0.113.9');
    assert.equal(hopAddress('203.0.113.9:4711'), '203.0.113.9');
    assert.equal(hopAddress('2001:DB8::1'), '2001:db8::1');
    assert.equal(hopAddress('[2001:db8::1]'), '2001:db8::1');
    assert.equal(hopAddress('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(hopAddress('::ffff:203.0.113.9'), '203.0.113.9');
    for (const bad of [
      '',
      'unknown',
      '_hidden',
      '203.0.113.9:70000',
      '[203.0.113.9]',
      '2001:db8::1:443:',
      '203.0.113.256',
      '203.0.113.9:',
    ])
      assert.equal(hopAddress(bad), undefined, bad);
  });

  it('matches trusted proxies by address and by range, an IPv4-mapped socket as IPv4', () => {
    const proxies = trustedProxyList([
      '10.0.0.0/8',
      '192.0.2.7',
      '2001:db8:1::/48',
      '::1',
    ]);
    assert.equal(proxies.has('10.200.3.4'), true);
    assert.equal(proxies.has('::ffff:10.200.3.4'), true);
    assert.equal(proxies.has('::ffff:a00:1'), true, 'the hex spelling of 10.0.0.1');
    assert.equal(proxies.has('11.0.0.1'), false);
    assert.equal(proxies.has('192.0.2.7'), true);
    assert.equal(proxies.has('192.0.2.8'), false);
    assert.equal(proxies.has('2001:db8:1:ffff::9'), true);
    assert.equal(proxies.has('2001:db8:2::9'), false);
    assert.equal(proxies.has('0:0:0:0:0:0:0:1'), true);
    assert.equal(trustedProxyList(['::ffff:10.0.0.0/104']).has('10.1.2.3'), true);
  });

  it('refuses an entry that is neither an address nor a range, naming it', () => {
    for (const entry of [
      'nginx',
      '10.0.0.0/33',
      '10.0.0.1/',
      '/8',
      '10.0.0.0/8/8',
      '::/129',
    ])
      assert.throws(() => trustedProxyList([entry]), new RegExp(JSON.stringify(entry)));
    assert.throws(() => trustedProxyList('10.0.0.1' as never), /must be an array/);
  });

  it('reads X-Forwarded-For from the right, past trusted hops, only from a trusted socket', () => {
    const proxies = trustedProxyList(['10.0.0.0/8']);
    const read = (socket: string | undefined, xff?: string) =>
      socketOrForwardedAddress(from(socket, xff), proxies);
    assert.equal(read('203.0.113.9', '198.51.100.1'), '203.0.113.9', 'not a proxy');
    assert.equal(read('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(read(undefined, '198.51.100.1'), undefined, 'no socket');
    assert.equal(read('10.0.0.2', '6.6.6.6, 198.51.100.1, 10.0.0.3:80'), '198.51.100.1');
    assert.equal(read('10.0.0.2', '10.9.9.9, 10.0.0.3'), '10.9.9.9', 'an inside client');
    for (const xff of [undefined, '', ' ', 'unknown', '6.6.6.6, unknown', '6.6.6.6,'])
      assert.equal(read('10.0.0.2', xff), 'unknown-behind-proxy', String(xff));
    assert.equal(read('10.0.0.2', 'unknown, 198.51.100.1'), '198.51.100.1');
  });

  it('counts IPv6 by its /64', () => {
    assert.equal(addressBucket('2001:db8:0:1:2:3:4:5'), '2001:db8:0:1::/64');
    assert.equal(addressBucket('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressBucket('::ffff:203.0.113.9'), '203.0.113.9');
  });
});
