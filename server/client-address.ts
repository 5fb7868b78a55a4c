import {BlockList, isIP, isIPv4} from 'node:net';
import type {OtpRequest} from './exchange.js';

/** `::ffff:203.0.113.9` (or `::ffff:cb00:7109`) is the IPv4 address 203.0.113.9. */
function unmapped(address: string): string {
  // An IPv4 address as sockets show it most often: nothing to unmap.
  if (!address.includes(':')) return address;
  const plain = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (dotted && isIPv4(dotted[1]) && isIP(plain) === 6) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(plain);
  if (!hex || isIP(plain) !== 6) return plain;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The proxies whose X-Forwarded-For is believed: addresses and CIDR ranges, IPv4 and IPv6. */
export interface TrustedProxies {
  /** Whether `address` (as a socket or a hop gives it) is one of them. */
  has(address: string): boolean;
  readonly size: number;
}

/**
 * `trustedProxies` checked and made into a list to match against. An entry
 * that is neither an address nor a range stops the start-up, naming it: a
 * typo here would otherwise count every user under the proxy's address.
 */
export function trustedProxyList(entries: readonly string[] = []): TrustedProxies {
  if (!Array.isArray(entries))
    throw new Error(
      'otp-step: trustedProxies must be an array of addresses and CIDR ranges',
    );
  const list = new BlockList();
  for (const entry of entries as unknown[]) {
    const range = typeof entry === 'string' ? proxyRange(entry.trim()) : undefined;
    if (!range)
      throw new Error(
        `otp-step: trustedProxies entry ${JSON.stringify(entry)} is neither an IP address nor a CIDR range (such as 10.0.0.0/8 or 2001:db8::/32)`,
      );
    list.addSubnet(range.address, range.prefix, range.family);
  }
  const has = (address: string) => {
    // No proxies is the common case: every request would pay for a BlockList lookup.
    if (!entries.length) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
  return {has, size: entries.length};
}

/** `10.0.0.1`, `10.0.0.0/8`, `::1`, `2001:db8::/32` as a subnet; undefined for anything else. */
function proxyRange(
  entry: string,
): {address: string; prefix: number; family: 'ipv4' | 'ipv6'} | undefined {
  const [raw, bits, ...rest] = entry.split('/');
  if (rest.length || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return undefined;
  let address = raw.toLowerCase();
  let family = isIP(address);
  if (family === 0) return undefined;
  let prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
  if (prefix > (family === 4 ? 32 : 128)) return undefined;
  // A mapped range (::ffff:10.0.0.0/104) is the IPv4 range the sockets will show.
  const plain = unmapped(address);
  if (family === 6 && plain !== address && prefix >= 96) {
    [address, family, prefix] = [plain, 4, prefix - 96];
  }
  return {address, prefix, family: family === 4 ? 'ipv4' : 'ipv6'};
}

/**
 * One X-Forwarded-For hop as an address: `203.0.113.9`, `203.0.113.9:4711`,
 * `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`; undefined for
 * anything else (`unknown`, an obfuscated name, a port out of range).
 */
export function hopAddress(hop: string): string | undefined {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const withPort = /^([^:]+):(\d{1,5})$/.exec(text);
  const [address, port] = bracketed
    ? [bracketed[1], bracketed[2]]
    : withPort
      ? [withPort[1], withPort[2]]
      : [text, undefined];
  if (port !== undefined && Number(port) > 65535) return undefined;
  const family = isIP(address);
  if (family === 0 || (bracketed && family !== 6) || (withPort && family !== 4))
    return undefined;
  return unmapped(address);
}

/**
 * Where a request came from: the socket's address (which the Node adapter
 * gives; never a header a caller could set), or, when the socket is a trusted
 * proxy, the first X-Forwarded-For hop read from the right that is not one.
 * `undefined` when the runtime gives no socket; `'unknown-behind-proxy'` when a
 * trusted proxy said nothing usable (no header, `unknown`, or an unreadable hop
 * before any untrusted one): counting that under the proxy would let one client
 * use up everyone's budget, and reading further left would believe the client.
 */
export function socketOrForwardedAddress(
  request: Pick<OtpRequest, 'socketAddress' | 'header'>,
  trusted: TrustedProxies,
): string | undefined | 'unknown-behind-proxy' {
  const socket = request.socketAddress;
  if (!socket) return undefined;
  if (!trusted.has(socket)) return unmapped(socket);
  // Several header lines arrive joined with commas, in the order they were sent.
  const hops = (request.header('x-forwarded-for') ?? '').split(',');
  let address: string | undefined;
  for (let i = hops.length - 1; i >= 0; i--) {
    address = hopAddress(hops[i]);
    if (address === undefined) return 'unknown-behind-proxy';
    if (!trusted.has(address)) return address;
  }
  // Every hop is trusted: the leftmost is the client the first proxy saw (one inside the network).
  return address ?? 'unknown-behind-proxy';
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
