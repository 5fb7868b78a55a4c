import {createHmac} from 'node:crypto';
import {parsePhoneNumberFromString} from 'libphonenumber-js';
import type {OtpChannelName} from '../notify/types.js';

/**
 * The masked destination the answer, the dialog and the logs show in place of
 * the address: `m•••@example.com`, `+55 ••• •••• 1234`. One shape per channel,
 * whatever the address's length, so a hint tells no more than its first letter
 * (or country and last four digits) and the domain.
 */
export function emailHint(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  const domain = at > 0 ? email.slice(at + 1) : '';
  return `${[...local][0] ?? '•'}•••@${domain.toLowerCase()}`;
}

export function phoneHint(phone: string): string {
  const parsed = parsePhoneNumberFromString(phone);
  const digits = (parsed?.nationalNumber ?? phone.replace(/\D/g, '')).slice(-4);
  const country = parsed?.countryCallingCode ?? '';
  return `+${country} ••• •••• ${digits.padStart(4, '•')}`;
}

export function hintOf(channel: OtpChannelName, to: {email?: string; phone?: string}) {
  return channel === 'email' ? emailHint(to.email ?? '') : phoneHint(to.phone ?? '');
}

// Where a made-up destination for an unknown user lives: the common providers
// and calling codes, so a decoy's hint looks like most real ones.
const DECOY_DOMAINS = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
  'hotmail.com',
  'proton.me',
];
// Each calling code with the country a decoy of it is counted under (spend.ts).
const DECOY_COUNTRIES = [
  ['1', 'US'],
  ['44', 'GB'],
  ['49', 'DE'],
  ['55', 'BR'],
  ['33', 'FR'],
  ['34', 'ES'],
  ['39', 'IT'],
  ['61', 'AU'],
  ['91', 'IN'],
  ['351', 'PT'],
] as const;

/**
 * A hint of the same shape for a user `lookupUser` does not know, made from
 * an HMAC of the name so the same name always gets the same hint (asking twice
 * tells nothing) and no one without the key can tell it is made up. The
 * e-mail's first letter is the name's own, as most real addresses' are.
 */
export function decoyHint(
  key: Uint8Array,
  channel: OtpChannelName,
  user: string,
): string {
  const mac = decoyMac(key, channel, user);
  if (channel === 'email') {
    const first = /^[a-z0-9]/.test(user)
      ? user[0]
      : String.fromCharCode(97 + (mac[0] % 26));
    return `${first}•••@${DECOY_DOMAINS[mac[1] % DECOY_DOMAINS.length]}`;
  }
  const last4 = String(mac.readUInt16BE(2) % 10000).padStart(4, '0');
  return `+${DECOY_COUNTRIES[mac[4] % DECOY_COUNTRIES.length][0]} ••• •••• ${last4}`;
}

/** The country (ISO 3166-1 alpha-2) of a decoy's SMS hint, so its sends can be cut as its country's would be. */
export function decoyCountry(key: Uint8Array, user: string): string {
  return DECOY_COUNTRIES[decoyMac(key, 'sms', user)[4] % DECOY_COUNTRIES.length][1];
}

const decoyMac = (key: Uint8Array, channel: OtpChannelName, user: string) =>
  createHmac('sha256', key).update(`hint:${channel}:${user}`).digest();
