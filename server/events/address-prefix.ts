import {isIPv4} from 'node:net';
import {addressBucket} from '../client-address.js';

/**
 * The network an address belongs to, as the audit log keeps it: an IPv4
 * address by its /24, an IPv6 one by its /48 (the prefix a site is given).
 * Enough to tell one provider's or data centre's range from another when a
 * burst of refusals comes in, not enough to name a household: the full
 * address is personal data the log need not hold (the same cut analytics
 * tools make when they anonymise addresses). Undefined for anything that is
 * not an address (an app's `clientAddress` may return anything).
 */
export function addressPrefix(address: string | undefined): string | undefined {
  if (!address) return undefined;
  // IPv4-mapped IPv6 unmapped, and an IPv6 address cut to its /64 already.
  const bucket = addressBucket(address);
  if (isIPv4(bucket)) return bucket.replace(/\.\d+$/, '.0/24');
  if (!bucket.endsWith('::/64')) return undefined;
  return `${bucket.slice(0, -'::/64'.length).split(':').slice(0, 3).join(':')}::/48`;
}
