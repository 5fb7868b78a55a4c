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
const DECOY_COUNTRIES = ['1', '44', '49', '55', '33', '34', '39', '61', '91', '351'];

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
  const mac = createHmac('sha256', key).update(`hint:${channel}:${user}`).digest();
  if (channel === 'email') {
    const first = /^[a-z0-9]/.test(user)
      ? user[0]
      : String.fromCharCode(97 + (mac[0] % 26));
    return `${first}•••@${DECOY_DOMAINS[mac[1] % DECOY_DOMAINS.length]}`;
  }
  const last4 = String(mac.readUInt16BE(2) % 10000).padStart(4, '0');
  return `+${DECOY_COUNTRIES[mac[4] % DECOY_COUNTRIES.length]} ••• •••• ${last4}`;
}
