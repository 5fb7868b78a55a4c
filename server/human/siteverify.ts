import {isIP} from 'node:net';
import type {OtpLogger} from '../log-safe.js';

/** What `createOtpHandler`'s `verifyHuman` takes: true only for a token the provider vouches for. */
export type HumanVerifier = (token: string, request: Request) => Promise<boolean>;

/** What every provider's verifier is given. */
export interface SiteverifyOptions {
  /** The secret key of the widget or site, from the provider's dashboard. */
  secret: string;
  /** The provider's full verify URL; its documented siteverify URL by default (tests give a loopback one). */
  endpoint?: string;
  /**
   * The visitor's address, sent as `remoteip`, where the app knows it: behind a
   * proxy the app trusts, the header that proxy sets (`cf-connecting-ip`,
   * `x-real-ip`). Without it no `remoteip` is sent, which every provider allows:
   * a header the visitor could write is no address.
   */
  remoteIp?: (request: Request) => string | undefined;
  /** Seconds to wait for the provider, answer body included; 5 by default. */
  timeoutSeconds?: number;
  /** Where a provider that cannot be reached, or refuses the secret, is told; `console` by default. */
  logger?: Pick<OtpLogger, 'warn'>;
}

/** The provider's answer, read: the JSON object, or undefined for anything else. */
export type SiteverifyAnswer = Record<string, unknown>;

/** Turnstile's documented bound; the others take no longer tokens in practice. */
export const MAX_TOKEN_LENGTH = 2048;

/** Error codes that mean the server, not the visitor, is wrong: worth a warning. */
const SECRET_ERRORS = new Set(['missing-input-secret', 'invalid-input-secret']);

/**
 * The parts every provider shares, checked once when the verifier is made: a
 * missing secret or a bad URL is a deployment mistake, told at start-up, not a
 * refusal of every visitor found out later.
 */
export function siteverify(
  provider: string,
  defaultEndpoint: string,
  options: SiteverifyOptions,
  judge: (answer: SiteverifyAnswer) => boolean,
): HumanVerifier {
  const {
    secret,
    endpoint = defaultEndpoint,
    remoteIp,
    timeoutSeconds = 5,
  } = options ?? {};
  if (typeof secret !== 'string' || !secret.trim())
    throw new TypeError(`otp-step: ${provider}() needs its secret key (\`secret\`)`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(
      `otp-step: ${provider}() \`endpoint\` must be an http(s) URL, not ${JSON.stringify(String(endpoint))}`,
    );
  if (!(timeoutSeconds > 0))
    throw new TypeError(`otp-step: ${provider}() \`timeoutSeconds\` must be above 0`);
  const logger = options.logger ?? console;
  const warn = (why: string) => logger.warn(`otp-step: ${provider} siteverify ${why}`);

  return async (token, request) => {
    // An empty or oversized token is refused here: no provider would vouch for it.
    if (typeof token !== 'string' || !token || token.length > MAX_TOKEN_LENGTH)
      return false;
    const form = new URLSearchParams({secret, response: token});
    const address = readAddress(remoteIp, request);
    if (address) form.set('remoteip', address);
    let answer: unknown;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        // A redirect would carry the secret to wherever it points.
        redirect: 'error',
        // Covers the body as well as the headers.
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
      if (!response.ok) {
        warn(`answered ${response.status}: the visitor is refused`);
        // Read nothing more, but free the connection.
        await response.body?.cancel().catch(() => undefined);
        return false;
      }
      answer = JSON.parse(await response.text());
    } catch (error) {
      warn(`failed (${(error as Error).name}): the visitor is refused`);
      return false;
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      warn('answered something that is not a JSON object: the visitor is refused');
      return false;
    }
    const read = answer as SiteverifyAnswer;
    const codes = Array.isArray(read['error-codes']) ? read['error-codes'] : [];
    const wrong = codes.filter((code) => SECRET_ERRORS.has(String(code)));
    if (wrong.length) warn(`refused the secret (${wrong.join(', ')})`);
    // Only the boolean true passes: "true", 1 or a missing field do not.
    return read.success === true && judge(read);
  };
}

/** The app's address for the request, if it gives one and it is an IP address. */
function readAddress(
  remoteIp: SiteverifyOptions['remoteIp'],
  request: Request,
): string | undefined {
  try {
    const address = remoteIp?.(request)?.trim();
    return address && isIP(address) ? address : undefined;
  } catch {
    // The address is a hint for the provider; without it the check still runs.
    return undefined;
  }
}
