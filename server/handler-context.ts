import {createHmac} from 'node:crypto';
import type {ChallengeRecord} from '../src/challenge/challenge.js';
import type {AlphabetName} from '../src/code/alphabets.js';
import {socketOrForwardedAddress} from './client-address.js';
import type {BodyLimits, OtpAnswer, OtpRequest} from './exchange.js';
import {confirmationTokens} from './confirmation.js';
import {logSafe, type OtpLogger} from './log-safe.js';
import {normalizeUser} from './normalize-user.js';
import {
  checkEnvironment,
  checkedSecret,
  DEFAULT_LIMITS,
  type OtpHandlerOptions,
  type OtpLimits,
  type OtpNotification,
} from './options.js';
import {problem} from './problem.js';
import {readJson} from './read-json.js';
import {memoryOtpStore, type OtpStore} from './store.js';
import type {FailurePolicy} from './throttle.js';

/**
 * A challenge as the server keeps it: `digest` holds an HMAC-SHA256 of the
 * request id and code. A decoy stands for a user `lookupUser` does not know: it
 * answers as a real one does, but nothing was sent and nothing confirms it.
 */
export type ServerRecord = ChallengeRecord & {
  length: number;
  alphabet: AlphabetName;
  decoy?: boolean;
};

/** How long an expired challenge is kept, so that a late confirmation hears "expired" rather than "unknown". */
export const EXPIRED_GRACE_MS = 10 * 60 * 1000;

/** Everything issuing and confirming share: the options resolved once, and the helpers built on them. */
export type HandlerContext = ReturnType<typeof handlerContext>;

/** Checks the options (refusing what is unsafe at start-up) and builds the handler's context. */
export function handlerContext(options: OtpHandlerOptions) {
  checkEnvironment(options);
  const secret = checkedSecret(options.secret);
  const limits: OtpLimits = {...DEFAULT_LIMITS, ...options.limits};
  const now = options.now ?? Date.now;
  const store: OtpStore = options.store ?? memoryOtpStore({now});
  const logger: OtpLogger = options.logger ?? console;
  const normalize = options.normalizeUser ?? normalizeUser;
  // One key per use, derived from the secret, so a code's HMAC can never pass for a token's.
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  const codeKey = derive('otp-step code');
  const failurePolicy: FailurePolicy = {
    freeFailures: limits.maxAttempts,
    backoffBaseMs: limits.backoffBaseSeconds * 1000,
    backoffMaxMs: limits.backoffMaxSeconds * 1000,
    maxFailures: limits.maxFailuresPerAccount,
    memoryMs: limits.failureMemorySeconds * 1000,
  };
  const bodyLimits: BodyLimits = {
    maxBytes: limits.maxBodyBytes,
    timeoutMs: limits.bodyTimeoutSeconds * 1000,
  };
  const warned = new Set<string>();
  const warnOnce = (what: keyof typeof WARNINGS) => {
    if (!warned.has(what)) logger.warn(WARNINGS[what]);
    warned.add(what);
  };
  if (!options.authenticate) warnOnce('no-authenticate');

  return {
    options,
    limits,
    now,
    store,
    logger,
    normalize,
    failurePolicy,
    warnOnce,
    windowMs: limits.windowSeconds * 1000,
    template: options.template ?? 'one-time-code',
    notify:
      options.notify ??
      ((n: OtpNotification) =>
        logger.info(
          `[otp-step] ${logSafe(n.template)} for ${logSafe(n.user)} (${logSafe(n.client)}): ${n.code}, expires ${n.expiresAt.toISOString()}`,
        )),
    mac: (requestId: string, code: string) =>
      createHmac('sha256', codeKey).update(`${requestId}:${code}`).digest(),
    tokens: confirmationTokens({
      key: derive('otp-step confirmation'),
      store,
      now,
      lifetimeMs: limits.confirmationLifetimeSeconds * 1000,
      normalizeUser: normalize,
    }),
    bodyLimits,
    /** The address a request came from: the app's `clientAddress`, or the socket's (see `trustedProxies`). */
    clientAddress: (request: OtpRequest) =>
      options.clientAddress
        ? options.clientAddress(request.web())
        : socketOrForwardedAddress(request, options.trustedProxies),

    /** The JSON body within the size and time limits, or the problem that refuses it. */
    readBody: (request: OtpRequest) => readJson(request, bodyLimits),

    /** A store update that only reads. */
    peek: <T>(key: string) => store.update(key, (value) => [value, value as T]),

    /** 401 or 403 where `authenticate` is given and the session is not `user`'s. */
    async refuseSession(
      request: OtpRequest,
      user: string,
    ): Promise<OtpAnswer | undefined> {
      if (!options.authenticate) return undefined;
      const signedIn = await options.authenticate(request.web());
      if (signedIn === null || signedIn === undefined || signedIn === '')
        return problem(401, 'unauthenticated', 'Sign in first: there is no session.');
      if (normalize(String(signedIn)) !== user)
        return problem(403, 'forbidden', 'This session cannot use codes for that user.');
      return undefined;
    },
  };
}

const WARNINGS = {
  'store-unavailable':
    'otp-step: the store cannot be reached; requests are answered 503 store-unavailable until it is back',
  'no-authenticate':
    'otp-step: no authenticate option, so any caller can ask for and confirm codes for any user; give authenticate(request) to tie codes to the signed-in session',
  'no-address':
    'otp-step: no client address for a request (mounted without toNodeListener?): give clientAddress(request) so issues per address can be limited',
};
