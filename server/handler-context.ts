import {createHmac} from 'node:crypto';
import type {ChallengeRecord} from '../src/challenge/challenge.js';
import type {AlphabetName} from '../src/code/alphabets.js';
import {socketOrForwardedAddress, trustedProxyList} from './client-address.js';
import {OtpAnswer, type BodyLimits, type OtpRequest} from './exchange.js';
import {checkLimits} from './limit-bounds.js';
import {confirmationTokens} from './confirmation.js';
import {deriveKey} from './derive-key.js';
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
import {codeSealer} from './issue/sealed-code.js';
import type {OtpChannelName, OtpNotifier} from './notify/types.js';
import type {FailurePolicy} from './throttle.js';
import type {SpendCut, SpendMark} from './issue/spend.js';
import {lifecycle, type LifecycleObserver} from './events/lifecycle.js';
import {onEventObserver} from './events/on-event.js';
import {AUDIT_USER_LABEL, auditObserver} from './events/audit-log.js';
import {expiryWatcher} from './events/expiry.js';
import {handlerMetrics} from './metrics/handler-metrics.js';
import {checkedAuthenticator} from './authenticator/options.js';
import {authenticatorCrypto} from './authenticator/crypto.js';

/**
 * A challenge as the server keeps it: `digest` holds an HMAC-SHA256 of the
 * request id and code. A decoy stands for a user `lookupUser` does not know: it
 * answers as a real one does, but nothing was sent and nothing confirms it.
 */
export type ServerRecord = ChallengeRecord & {
  length: number;
  alphabet: AlphabetName;
  decoy?: boolean;
  /** Where the code went and how far sending got (issue answer and status). */
  channel?: OtpChannelName;
  /**
   * The channel a plain `notify` was told to send on, which `channel` does not
   * keep (its answers never say, see delivery.ts): the lifecycle facts' channel,
   * so a code's issued, delivered and confirmed carry the same one.
   */
  notifiedOn?: OtpChannelName;
  destinationHint?: string;
  delivery?: 'queued' | 'sent' | 'failed';
  /** Only under `resendStrategy: 'reuse'`: the code, sealed (sealed-code.ts). */
  sealed?: string;
  /** Where the send was counted, settled on confirmation (spend.ts). */
  spend?: SpendMark;
  /** Why nothing was sent although the answer said queued (spend.ts). */
  cut?: SpendCut;
  /** The SMS number's country, for the metrics' `country` label (never the number). */
  country?: string;
  /** When the code was canceled (`cancel`), if it was: its status is then `canceled`. */
  canceledAt?: number;
};

/**
 * The start-up advice each logger has been given. Advice is about the app,
 * not one handler: an app (or the demo) that builds several handlers on one
 * logger hears it once. Faults (store-unavailable) stay per handler.
 */
const advisedOn = new WeakMap<OtpLogger, Set<string>>();
const firstAdvice = (logger: OtpLogger, what: keyof typeof WARNINGS) => {
  const advised = advisedOn.get(logger) ?? new Set<string>();
  advisedOn.set(logger, advised);
  if (advised.has(what)) return false;
  advised.add(what);
  return true;
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
  checkLimits(limits);
  const authenticator = checkedAuthenticator(options);
  const proxies = trustedProxyList(options.trustedProxies);
  // The core's check and the limits both ask for a request's address: read its hops once.
  const addresses = new WeakMap<
    OtpRequest,
    ReturnType<typeof socketOrForwardedAddress>
  >();
  const forwardedAddress = (request: OtpRequest) => {
    if (!addresses.has(request))
      addresses.set(request, socketOrForwardedAddress(request, proxies));
    return addresses.get(request);
  };
  const now = options.now ?? Date.now;
  const logger: OtpLogger = options.logger ?? console;
  const given: OtpStore = options.store ?? memoryOtpStore({now});
  const metrics = handlerMetrics(
    options.metrics,
    options.metricsLabels,
    given,
    now,
    logger,
  );
  // With metrics on, every update is timed (otp_store_duration_seconds).
  const store = metrics?.store ?? given;
  const normalize = options.normalizeUser ?? normalizeUser;
  // One key per use, derived from the secret, so a code's HMAC can never pass for a token's.
  const derive = (label: string) => deriveKey(secret, label);
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
  if (!options.authenticate && firstAdvice(logger, 'no-authenticate'))
    warnOnce('no-authenticate');
  const notifier = notifierOf(options.notify);
  const deliveryRetrySeconds = options.deliveryRetrySeconds ?? 10;
  if (
    typeof deliveryRetrySeconds !== 'number' ||
    !(deliveryRetrySeconds > 0 && deliveryRetrySeconds <= 600)
  )
    throw new Error(
      'otp-step: deliveryRetrySeconds must be a number of seconds above 0 and at most 600',
    );
  const resendStrategy = options.resendStrategy ?? 'rotate';
  if (resendStrategy !== 'rotate' && resendStrategy !== 'reuse')
    throw new Error("otp-step: resendStrategy must be 'rotate' or 'reuse'");
  const testUsers = checkedTestUsers(options.testUsers, normalize, limits.minLength);
  if (testUsers.size)
    logger.info(
      `otp-step: ${testUsers.size} test user${testUsers.size === 1 ? '' : 's'} configured: they always get their fixed code and are sent nothing`,
    );
  /** A store update that only reads. */
  const peek = <T>(key: string) => store.update(key, (value) => [value, value as T]);
  /** Work running behind its answer (deliveries, a confirmation's bookkeeping), so `idle()` can wait for it. */
  const deliveries = new Set<Promise<void>>();
  /**
   * Who watches the lifecycle: the metrics, `onEvent` and the audit log, each
   * added here from its option (server/metrics, server/events).
   */
  const observers: LifecycleObserver[] = [];
  if (metrics) observers.push(metrics.observer);
  const logObserverFailure = (what: string, error: unknown) =>
    logger.error(
      `otp-step: ${what} failed: ${logSafe(error instanceof Error ? error.message : error)}`,
    );
  if (options.onEvent !== undefined)
    observers.push(
      onEventObserver(checkedFunction(options.onEvent, 'onEvent'), logObserverFailure),
    );
  if (options.auditLog !== undefined)
    observers.push(
      auditObserver(
        checkedFunction(options.auditLog, 'auditLog'),
        derive(AUDIT_USER_LABEL),
      ),
    );
  // Last, and only when someone watches: it adds a store write to each issue and a timer.
  const expiry = observers.some((o) => o.fact)
    ? expiryWatcher(
        {store, now, peek, normalize},
        (fact) => events.emit(fact),
        logObserverFailure,
      )
    : undefined;
  if (expiry) observers.push(expiry);
  const events = lifecycle(observers, logObserverFailure);
  /** The client and step name a request named, once known: the refusal's labels. */
  const requestLabels = new WeakMap<OtpRequest, {client: string; stepName: string}>();

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
    notifier,
    deliveryRetryMs: deliveryRetrySeconds * 1000,
    resendStrategy,
    testUsers,
    deliveries,
    events,
    /** The `otp.expired` watcher's timer, stopped by `handler.close()`; none when nobody watches. */
    expiry,
    requestLabels,
    sealer: codeSealer(derive('otp-step sealed code')),
    hintKey: derive('otp-step destination hint'),
    destinationKey: derive('otp-step destination budget'),
    smsCountries: checkedCountries(options.smsCountries),
    /** The authenticator factor's issuer and keys; undefined where `authenticator` is not given (its routes answer 404). */
    authenticator: authenticator && {
      issuer: authenticator.issuer,
      accountLabel: authenticator.accountLabel,
      ...authenticatorCrypto(secret),
    },
    notify:
      (typeof options.notify === 'function' ? options.notify : undefined) ??
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
    }),
    bodyLimits,
    /** The address a request came from: the app's `clientAddress`, or the socket's (see `trustedProxies`). */
    clientAddress(request: OtpRequest): string | undefined {
      if (options.clientAddress) return options.clientAddress(request.web());
      const address = forwardedAddress(request);
      return address === 'unknown-behind-proxy' ? undefined : address;
    },

    /**
     * 400 for a request through a trusted proxy that did not say whose it is:
     * counted under the proxy, one client would use up every user's budget.
     * The app's `clientAddress`, when given, decides alone.
     */
    refuseUnknownAddress(request: OtpRequest): OtpAnswer | undefined {
      if (options.clientAddress || !proxies.size) return undefined;
      if (forwardedAddress(request) !== 'unknown-behind-proxy') return undefined;
      return problem(
        400,
        'client-address-unknown',
        'The request came through a trusted proxy that did not say whose it is: the proxy must set X-Forwarded-For to the client address it saw.',
      );
    },

    /** The JSON body within the size and time limits, or the problem that refuses it. */
    readBody: (request: OtpRequest) => readJson(request, bodyLimits),

    peek,

    /**
     * The signed-in user as `authenticate` names it; the 401 that refuses a
     * request without a session; undefined where there is no `authenticate`.
     */
    async signedIn(request: OtpRequest): Promise<string | OtpAnswer | undefined> {
      if (!options.authenticate) return undefined;
      const signedIn = await options.authenticate(request.web());
      if (signedIn === null || signedIn === undefined || signedIn === '')
        return problem(401, 'unauthenticated', 'Sign in first: there is no session.');
      return String(signedIn);
    },

    /**
     * 401 or 403 where `authenticate` is given and the session is not `user`'s,
     * compared exactly: a code issued to `Bob` is not `bob`'s to confirm.
     */
    async refuseSession(
      request: OtpRequest,
      user: string,
    ): Promise<OtpAnswer | undefined> {
      const signedIn = await this.signedIn(request);
      if (signedIn === undefined || signedIn instanceof OtpAnswer) return signedIn;
      if (signedIn !== user)
        return problem(403, 'forbidden', 'This session cannot use codes for that user.');
      return undefined;
    },
  };
}

/** The notifier `notify` is, if it is one; a `notify` that is neither a function nor a notifier stops the start-up. */
function notifierOf(notify: OtpHandlerOptions['notify']): OtpNotifier | undefined {
  if (notify === undefined || typeof notify === 'function') return undefined;
  const candidate = notify as Partial<OtpNotifier> | null;
  if (
    candidate?.kind !== 'otp-notifier' ||
    !Array.isArray(candidate.channels) ||
    typeof candidate.deliver !== 'function'
  )
    throw new Error(
      'otp-step: notify must be a function or a notifier from createNotifier (otp-step/server/notify)',
    );
  return candidate as OtpNotifier;
}

/** A function option as given; anything else stops the start-up, naming the option. */
function checkedFunction<F>(value: F, name: string): F {
  if (typeof value !== 'function')
    throw new Error(`otp-step: ${name} must be a function, not ${typeof value}`);
  return value;
}

/** `smsCountries` as a set of ISO 3166-1 alpha-2 codes; anything else stops the start-up, naming it. */
function checkedCountries(countries: string[] | undefined): Set<string> | undefined {
  if (countries === undefined) return undefined;
  if (!Array.isArray(countries) || !countries.length)
    throw new Error(
      "otp-step: smsCountries must be a non-empty array of ISO 3166-1 alpha-2 codes, such as ['PT', 'BR']",
    );
  const wrong = countries.find((c) => typeof c !== 'string' || !/^[A-Z]{2}$/.test(c));
  if (wrong !== undefined)
    throw new Error(
      `otp-step: smsCountries holds ${JSON.stringify(wrong)}, which is not an ISO 3166-1 alpha-2 code (two capital letters, such as 'PT')`,
    );
  return new Set(countries);
}

/** The test users by normalised name, each code checked; a bad one stops the start-up, naming its place, never the code. */
function checkedTestUsers(
  users: Record<string, string> | undefined,
  normalize: (user: string) => string,
  minLength: number,
): Map<string, string> {
  const checked = new Map<string, string>();
  if (users === undefined) return checked;
  if (typeof users !== 'object' || users === null || Array.isArray(users))
    throw new Error('otp-step: testUsers must be an object of {user: code}');
  Object.entries(users).forEach(([user, code], index) => {
    if (
      typeof code !== 'string' ||
      code.length < minLength ||
      code.length > 64 ||
      !/^[0-9A-Za-z]+$/.test(code)
    )
      throw new Error(
        `otp-step: testUsers entry ${index + 1} needs a code of ${minLength} to 64 letters or digits`,
      );
    checked.set(normalize(user), code);
  });
  return checked;
}

/** The start-up and first-fault warnings, exported so a wrapper (the side service) can word one for its own users. */
export const WARNINGS = {
  'store-unavailable':
    'otp-step: the store cannot be reached; requests are answered 503 store-unavailable until it is back',
  'no-authenticate':
    'otp-step: no authenticate option, so any caller can ask for and confirm codes for any user; give authenticate(request) to tie codes to the signed-in session',
  'no-address':
    'otp-step: no client address for a request (mounted without toNodeListener?): give clientAddress(request) so issues per address can be limited',
};
