/**
 * How many SMS segments a text takes, by 3GPP TS 23.038: GSM 7-bit when every
 * character is in the default alphabet or its extension table (extension
 * characters cost an escape septet too), else UCS-2, counted in UTF-16 units
 * (an emoji is two). A long message is split into parts of 153 septets or 67
 * units, since each part carries a 6-byte concatenation header.
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

/** The result of counting: which encoding, its units, and the segments it needs. */
export interface SmsSegments {
  encoding: 'gsm-7' | 'ucs-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2. */
  units: number;
  segments: number;
  /** Units one segment holds at this length: 160/153 or 70/67. */
  perSegment: number;
}

/** Counts the segments of `text` (an empty text still takes one). */
export function countSmsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const c of text) {
    if (basic.has(c)) septets += 1;
    else if (extension.has(c)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return split('gsm-7', septets, 160, 153);
  return split('ucs-2', text.length, 70, 67);
}

function split(
  encoding: SmsSegments['encoding'],
  units: number,
  single: number,
  part: number,
): SmsSegments {
  if (units <= single) return {encoding, units, segments: 1, perSegment: single};
  return {encoding, units, segments: Math.ceil(units / part), perSegment: part};
}
