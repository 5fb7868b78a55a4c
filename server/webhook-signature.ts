import {createHmac, timingSafeEqual} from 'node:crypto';

/** The header a webhook's signature travels in. */
export const SIGNATURE_HEADER = 'Otp-Step-Signature';

export interface VerifyWebhookOptions {
  /** How old (or how far ahead) a signature's time may be; older ones are replays. */
  toleranceSeconds?: number;
  /** The clock, in epoch milliseconds, for tests. */
  now?: number | (() => number);
}

const hmacHex = (secret: string | Uint8Array, t: number, body: string | Uint8Array) =>
  createHmac('sha256', secret)
    .update(`${t}.`)
    .update(typeof body === 'string' ? Buffer.from(body) : body)
    .digest('hex');

/**
 * The `Otp-Step-Signature` header for a webhook body:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The time is signed
 * with the body, so a captured request cannot be replayed later than the
 * receiver's tolerance (the scheme Stripe's webhooks use).
 */
export function signWebhook(
  body: string | Uint8Array,
  secret: string | Uint8Array,
  nowMs = Date.now(),
): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

/** `t=<digits>,v1=<64 hex>`, nothing else: anything looser is refused, not guessed at. */
const HEADER = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/;

/**
 * The receiver's check of an otp-step webhook, for Node apps: true only when
 * `signatureHeader` signs exactly `body` (the raw bytes, before any JSON
 * parsing) with `secret`, and its time is within `toleranceSeconds` of now.
 */
export function verifyWebhook(
  body: string | Uint8Array,
  signatureHeader: string | null | undefined,
  secret: string | Uint8Array,
  {toleranceSeconds = 300, now = Date.now}: VerifyWebhookOptions = {},
): boolean {
  const match = HEADER.exec(signatureHeader?.trim() ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  const nowSeconds = (typeof now === 'function' ? now() : now) / 1000;
  if (!(Math.abs(nowSeconds - t) <= toleranceSeconds)) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  // Same length by the pattern above, so timingSafeEqual never throws.
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}
