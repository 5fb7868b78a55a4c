import {createHmac} from 'node:crypto';

/**
 * One key per use, derived from the server's secret (HMAC-SHA256 of the use's
 * label), so a key of one use can never pass for another's: a code's HMAC for
 * a token's, a sealed code for a sealed authenticator secret.
 */
export const deriveKey = (secret: Uint8Array, label: string): Buffer =>
  createHmac('sha256', secret).update(label).digest();
