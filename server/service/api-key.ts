import {createHash, timingSafeEqual} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {OtpAnswer} from '../exchange.js';
import {problem} from '../problem.js';

/** The same length whatever was sent, so comparing leaks nothing of the key. */
const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * 401 unless the request carries `Authorization: Bearer <OTP_API_KEY>`: the
 * routes for the app's server only (browsers have no key).
 */
export function refuseWithoutApiKey(
  apiKey: string,
  req: IncomingMessage,
): OtpAnswer | undefined {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  if (timingSafeEqual(digest(given), digest(apiKey))) return undefined;
  return problem(401, 'unauthenticated', 'Send Authorization: Bearer <OTP_API_KEY>.');
}
