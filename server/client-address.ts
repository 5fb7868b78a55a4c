import {isIP} from 'node:net';
import type {OtpRequest} from './exchange.js';

/** `::ffff:203.0.113.9` is the IPv4 address 203.0.113.9. */
const unmapped = (address: string) =>
  address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/**
 * The address a request came from: the socket's (which the Node adapter
 * gives; never a header a caller could set), or, where the socket is one of
 * `trustedProxies`, the first address in `X-Forwarded-For` read from the right
 * that is not a trusted proxy. Without trusted proxies the header is ignored:
 * anyone can write it.
 */
export function socketOrForwardedAddress(
  request: Pick<OtpRequest, 'socketAddress' | 'header'>,
  trustedProxies: readonly string[] = [],
): string | undefined {
  const socket = request.socketAddress;
  if (!socket) return undefined;
  const trusted = new Set(trustedProxies.map(unmapped));
  let address = unmapped(socket);
  if (!trusted.has(address)) return address;
  const hops = (request.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => unmapped(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isIP(hops[i])) break;
    address = hops[i];
    if (!trusted.has(address)) break;
  }
  return address;
}

/**
 * What an address is counted under: an IPv4 address as it is, an IPv6 address
 * by its /64 network, since one subscriber is given a whole /64 and could
 * otherwise rotate through it.
 */
export function addressBucket(address: string): string {
  const plain = unmapped(address);
  if (isIP(plain) !== 6) return plain;
  const [head, tail = ''] = plain.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = plain.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
