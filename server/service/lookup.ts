import {SIGNATURE_HEADER, signWebhook} from '../webhook-signature.js';
import type {OtpDestination} from '../notify/types.js';

/** Longest the app may take to say where a user's codes go. */
const LOOKUP_TIMEOUT_MS = 5000;

/**
 * The platform's "get user info" step over HTTP (OTP_LOOKUP_URL): posts
 * `{event: "lookup", user, client}`, signed as the other webhooks, and reads
 * `{email?, phone?, language?}` (2xx) or "no such user" (404). Anything else
 * throws, so the issue is answered as a server failure rather than as an
 * unknown user (a down directory must not look like an empty one). The
 * message names the status only, never the user's address.
 */
export function lookupWebhook(url: string, secret: string) {
  const host = new URL(url).host;
  return async (user: string, client: string): Promise<OtpDestination | null> => {
    const body = JSON.stringify({event: 'lookup', user, client});
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(body, secret),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw new Error(`the lookup webhook to ${host} answered ${response.status}`);
    }
    let found: unknown;
    try {
      found = await response.json();
    } catch {
      throw new Error(
        `the lookup webhook to ${host} answered something that is not JSON`,
      );
    }
    if (typeof found !== 'object' || found === null || Array.isArray(found))
      throw new Error(`the lookup webhook to ${host} must answer a JSON object`);
    // The handler keeps only well-formed fields (an e-mail with @, an E.164 phone).
    return found as OtpDestination;
  };
}
