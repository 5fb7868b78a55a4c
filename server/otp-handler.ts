import {createHash, createHmac, randomUUID, timingSafeEqual} from 'node:crypto';
import {
  challengeStatus,
  judgeAttempt,
  newRecord,
  planIssue,
  viewOf,
  type ChallengeRecord,
  type ChallengeView,
  type ConfirmOutcome,
  type IssuePlan,
} from '../src/challenge/challenge.js';
import {ALPHABETS, type AlphabetName} from '../src/code/alphabets.js';
import {cleanCode, isWellFormedCode} from '../src/code/clean-code.js';
import {generateCode} from '../src/code/generate-code.js';
import type {
  ConfirmResponseBody,
  IssueRequestBody,
  IssueResponseBody,
} from '../src/sources/protocol.js';
import {resolveStepConfig} from '../src/step/step-config.js';
import {addressBucket, socketOrForwardedAddress} from './client-address.js';
import {
  confirmationTokens,
  type ExpectedConfirmation,
  type OtpConfirmationClaims,
} from './confirmation.js';
import {logSafe} from './log-safe.js';
import {normalizeUser} from './normalize-user.js';
import {
  checkEnvironment,
  checkedSecret,
  DEFAULT_LIMITS,
  type OtpHandlerOptions,
  type OtpNotification,
} from './options.js';
import {json, problem} from './problem.js';
import {readJson} from './read-json.js';
import {memoryOtpStore, OtpStoreFullError} from './store.js';
import {
  giveBackToWindow,
  reserveFailure,
  settleFailure,
  takeFromWindow,
  type FailurePolicy,
} from './throttle.js';

/** The handler, with the check the app's own server makes of a confirmation. */
export type OtpHandler = ((request: Request) => Promise<Response>) & {
  /**
   * The claims of a confirmation token the first time it is presented; null for
   * one that is spent, expired, forged or altered, or names another user, client
   * or step name than `expected`.
   */
  verifyConfirmation(
    token: unknown,
    expected?: ExpectedConfirmation,
  ): Promise<OtpConfirmationClaims | null>;
};

/**
 * A challenge as the server keeps it: `digest` holds an HMAC-SHA256 of the
 * request id and code. A decoy stands for a user `lookupUser` does not know: it
 * answers as a real one does, but nothing was sent and nothing confirms it.
 */
type ServerRecord = ChallengeRecord & {
  length: number;
  alphabet: AlphabetName;
  decoy?: boolean;
};

const CONFIRM_ROUTE = /\/codes\/([^/]+)\/confirm$/;

/** How long an expired challenge is kept, so that a late confirmation hears "expired" rather than "unknown". */
const EXPIRED_GRACE_MS = 10 * 60 * 1000;

/** True for the paths the handler answers (`…/codes` and `…/codes/{id}/confirm`), wherever it is mounted. */
export function isOtpRoute(pathname: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return path.endsWith('/codes') || CONFIRM_ROUTE.test(path);
}

/**
 * The reference server: a web-standard `(Request) => Promise<Response>` handler
 * for issuing and confirming one-time codes, to mount on node:http, Express or
 * Connect with `toNodeListener`, or to call from any runtime with `Request`.
 * Every limit is kept per account (the normalised user), whatever client or step
 * name a caller names, and every request refused hands back what it reserved.
 */
export function createOtpHandler(options: OtpHandlerOptions): OtpHandler {
  checkEnvironment(options);
  const secret = checkedSecret(options.secret);
  const limits = {...DEFAULT_LIMITS, ...options.limits};
  const now = options.now ?? Date.now;
  const store = options.store ?? memoryOtpStore({now});
  const logger = options.logger ?? console;
  const normalize = options.normalizeUser ?? normalizeUser;
  const template = options.template ?? 'one-time-code';
  const notify =
    options.notify ??
    ((n: OtpNotification) =>
      logger.info(
        `[otp-step] ${logSafe(n.template)} for ${logSafe(n.user)} (${logSafe(n.client)}): ${n.code}, expires ${n.expiresAt.toISOString()}`,
      ));
  // One key per use, derived from the secret, so a code's HMAC can never pass for a token's.
  const derive = (label: string) => createHmac('sha256', secret).update(label).digest();
  const codeKey = derive('otp-step code');
  const mac = (requestId: string, code: string) =>
    createHmac('sha256', codeKey).update(`${requestId}:${code}`).digest();
  const tokens = confirmationTokens({
    key: derive('otp-step confirmation'),
    store,
    now,
    lifetimeMs: limits.confirmationLifetimeSeconds * 1000,
    normalizeUser: normalize,
  });
  const failurePolicy: FailurePolicy = {
    freeFailures: limits.maxAttempts,
    backoffBaseMs: limits.backoffBaseSeconds * 1000,
    backoffMaxMs: limits.backoffMaxSeconds * 1000,
    maxFailures: limits.maxFailuresPerAccount,
    memoryMs: limits.failureMemorySeconds * 1000,
  };
  const windowMs = limits.windowSeconds * 1000;
  const clientAddress =
    options.clientAddress ??
    ((request: Request) => socketOrForwardedAddress(request, options.trustedProxies));
  if (!options.authenticate)
    logger.warn(
      'otp-step: no authenticate option, so any caller can ask for and confirm codes for any user; give authenticate(request) to tie codes to the signed-in session',
    );
  let warnedNoAddress = false;

  /** Store updates that only read. */
  const peek = <T>(key: string) => store.update(key, (value) => [value, value as T]);
  const accountKey = (kind: string, user: string) => `${kind}:${JSON.stringify(user)}`;

  /** Takes one from a window; undoing hands it back. Resolves to the seconds to wait, 0 when taken. */
  async function take(
    key: string,
    max: number,
    ms: number,
    undo: (() => Promise<unknown>)[],
  ): Promise<number> {
    const at = now();
    const taken = await store.update(key, (v) => takeFromWindow(v, max, ms, at));
    if (!taken.retryAfter)
      undo.push(() => store.update(key, (v) => giveBackToWindow(v, taken.endsAt, now())));
    return taken.retryAfter;
  }

  /** 401 or 403 where `authenticate` is given and the session is not `user`'s. */
  async function refuseSession(
    request: Request,
    user: string,
  ): Promise<Response | undefined> {
    if (!options.authenticate) return undefined;
    const signedIn = await options.authenticate(request);
    if (signedIn === null || signedIn === undefined || signedIn === '')
      return problem(401, 'unauthenticated', 'Sign in first: there is no session.');
    if (normalize(String(signedIn)) !== user)
      return problem(403, 'forbidden', 'This session cannot use codes for that user.');
    return undefined;
  }

  async function issue(request: Request): Promise<Response> {
    const parsed = await readJson(
      request,
      limits.maxBodyBytes,
      limits.bodyTimeoutSeconds * 1000,
    );
    if (parsed instanceof Response) return parsed;
    const body = issueBody(parsed);
    if (typeof body === 'string') return problem(400, 'invalid-request', body);

    const checked = resolveStepConfig({
      ...body,
      user: normalize(body.user),
      maxAttempts: limits.maxAttempts,
      resendAfter: limits.resendAfterSeconds,
      maxResends: limits.maxResends,
    });
    if (!checked.ok)
      return problem(
        400,
        checked.error,
        `The request's ${checked.error.slice(8) || 'user'} is not valid.`,
      );
    const config = checked.config;
    if (config.lifetimeSeconds > limits.maxLifetimeSeconds) {
      return problem(
        400,
        'invalid-lifetime',
        `The lifetime must be at most ${limits.maxLifetimeSeconds} seconds.`,
      );
    }
    if (config.length < limits.minLength) {
      return problem(
        400,
        'invalid-length',
        `The code must have at least ${limits.minLength} characters.`,
      );
    }
    const session = await refuseSession(request, config.user);
    if (session) return session;
    if (store.full) throw new OtpStoreFullError();

    // A retried request with the same key gets the first answer, never a second code.
    const idempotencyKey = request.headers.get('idempotency-key');
    if (idempotencyKey !== null && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey))
      return problem(
        400,
        'invalid-request',
        'The Idempotency-Key must be 1 to 255 visible ASCII characters.',
      );
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({...config, maxAttempts: 0}))
      .digest('base64url');
    const cacheKey =
      idempotencyKey && `idempotency:${JSON.stringify([config.user, idempotencyKey])}`;
    if (cacheKey) {
      const cached = await store.update(cacheKey, (value) =>
        value ? [value, value] : [{fingerprint}, undefined, windowMs],
      );
      if (cached) {
        const {answer, fingerprint: first} = cached as {
          fingerprint: string;
          answer?: IssueResponseBody;
        };
        if (first !== fingerprint)
          return problem(
            422,
            'idempotency-key-reused',
            'This Idempotency-Key was used for another request.',
          );
        if (!answer)
          return problem(
            409,
            'request-in-progress',
            'The same request is still being answered.',
            {retryAfter: 1},
          );
        return json(201, answer);
      }
    }
    const undo: (() => Promise<unknown>)[] = [];
    /** Hands back everything reserved so far (last first), and the idempotency key. */
    const handBack = async (keepWindows = false) => {
      for (const step of keepWindows ? [] : undo.reverse())
        await step().catch(() => undefined);
      if (cacheKey) await store.update(cacheKey, () => [undefined, undefined]);
    };
    /** A refused request uses up nothing. */
    const refuse = async (response: Response, keepWindows = false) => {
      await handBack(keepWindows);
      return response;
    };

    try {
      const address = clientAddress(request);
      if (address) {
        const wait = await take(
          `issues-by-address:${addressBucket(address)}`,
          limits.issuesPerAddress,
          windowMs,
          undo,
        );
        if (wait) return await refuse(rateLimited(wait, 'from this address'));
      } else if (!warnedNoAddress) {
        warnedNoAddress = true;
        logger.warn(
          'otp-step: no client address for a request (mounted without toNodeListener?): give clientAddress(request) so issues per address can be limited',
        );
      }
      const wait = await take(
        accountKey('issues-by-account', config.user),
        limits.issuesPerWindow,
        windowMs,
        undo,
      );
      if (wait) return await refuse(rateLimited(wait, 'for this user'));

      // After the limits, so that asking about users is as slow as asking for codes.
      const known =
        !options.lookupUser ||
        !!(await options.lookupUser(config.user, config.client, request));
      if (!known && options.revealUnknownUsers)
        return await refuse(problem(404, 'unknown-user', 'There is no such user.'), true);

      const code = generateCode(config.length, ALPHABETS[config.alphabet]);
      const requestId = randomUUID();
      const at = now();
      const challengeKey = `challenge:${JSON.stringify([config.stepName, config.user, config.client])}`;
      const keepFor = config.lifetimeSeconds * 1000 + EXPIRED_GRACE_MS;
      const issued = await store.update<
        {record: ServerRecord; previous: unknown} | Extract<IssuePlan, {ok: false}>
      >(challengeKey, (previous) => {
        const plan = planIssue(previous as ServerRecord | undefined, at);
        if (!plan.ok) return [previous, plan];
        const {stepName, user, client} = config;
        const identity = {requestId, stepName, user, client};
        const record: ServerRecord = {
          ...newRecord(identity, config, plan, at),
          digest: mac(requestId, code),
          length: config.length,
          alphabet: config.alphabet,
          ...(known ? {} : {decoy: true}),
        };
        return [record, {record, previous}, keepFor];
      });
      if ('ok' in issued) return await refuse(planRefusal(issued));
      undo.push(() =>
        store.update(challengeKey, (value) => {
          if ((value as ServerRecord | undefined)?.requestId !== requestId)
            return [value, undefined];
          // Put back the code this one replaced, with the time it had left.
          const previous = issued.previous as ServerRecord | undefined;
          const left = previous ? previous.expiresAt + EXPIRED_GRACE_MS - now() : 0;
          return left > 0 ? [previous, undefined, left] : [undefined, undefined];
        }),
      );
      await store.update(`request:${requestId}`, () => [
        challengeKey,
        undefined,
        keepFor,
      ]);
      undo.push(() => store.update(`request:${requestId}`, () => [undefined, undefined]));

      if (known) {
        const busy = await take(
          'notifications',
          limits.notificationsPerMinute,
          60_000,
          undo,
        );
        if (busy)
          return await refuse(
            problem(503, 'busy', 'Too many codes are being sent; try again shortly.', {
              retryAfter: busy,
            }),
          );
        try {
          await notify({
            user: config.user,
            client: config.client,
            code,
            expiresAt: new Date(issued.record.expiresAt),
            template,
            stepName: config.stepName,
            sourceStep: config.sourceStep,
            requestId,
          });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          logger.error(
            `otp-step: notify failed for ${logSafe(config.user)}: ${logSafe(reason.split(code).join('[code]'))}`,
          );
          return await refuse(
            problem(502, 'notification-failed', 'The code could not be sent; retry.'),
          );
        }
      }
      const answer = issueAnswer(viewOf(issued.record, at), at);
      // What is kept for a retry never holds the code.
      if (cacheKey)
        await store.update(cacheKey, () => [{fingerprint, answer}, undefined, windowMs]);
      return json(201, known && options.testMode ? {...answer, code} : answer);
    } catch (error) {
      await handBack().catch(() => undefined);
      throw error;
    }
  }

  async function confirm(request: Request, requestId: string): Promise<Response> {
    const parsed = await readJson(
      request,
      limits.maxBodyBytes,
      limits.bodyTimeoutSeconds * 1000,
    );
    if (parsed instanceof Response) return parsed;
    const typed = (parsed as {code?: unknown} | null)?.code;
    if (typeof typed !== 'string' || typed.length > 64) {
      return problem(
        400,
        'invalid-request',
        'The body must be {"code": "…"} with the code as a string.',
      );
    }
    const unknown = () =>
      problem(404, 'unknown-request', 'There is no pending code with this request id.');
    const challengeKey = await peek(`request:${requestId}`);
    if (typeof challengeKey !== 'string') return unknown();
    const seen = await peek<ServerRecord | undefined>(challengeKey);
    if (!seen || seen.requestId !== requestId) return unknown();
    const session = await refuseSession(request, seen.user);
    if (session) return session;

    const at = now();
    // A code that cannot be judged any more says why, whatever the account's back-off.
    const status = challengeStatus(seen, at);
    if (status !== 'pending')
      return rejection(judgeAttempt(seen, false, at).outcome as Rejected);

    // One budget of wrong codes per account, across all its codes, reserved before judging.
    const failuresKey = accountKey('failures', seen.user);
    const reserved = await store.update(failuresKey, (v) =>
      reserveFailure(v, failurePolicy, at),
    );
    if (reserved.retryAfter)
      return rateLimited(reserved.retryAfter, 'after too many wrong codes for this user');
    let settled: 'failed' | 'confirmed' | 'not-judged' = 'not-judged';
    let judged: ConfirmOutcome | undefined;
    try {
      // A code of the wrong shape cannot match, and counts as a wrong code like any other.
      const code = cleanCode(typed, seen.alphabet);
      const candidate = mac(
        requestId,
        isWellFormedCode(code, seen.length, seen.alphabet) ? code : '',
      );
      const result = await store.update<
        {outcome: ConfirmOutcome; counted: boolean} | undefined
      >(challengeKey, (value) => {
        const record = value as ServerRecord | undefined;
        if (!record || record.requestId !== requestId) return [value, undefined];
        const matches =
          !record.decoy && !!record.digest && timingSafeEqual(candidate, record.digest);
        const {record: next, outcome} = judgeAttempt(record, matches, at);
        const counted = next !== record;
        if (!counted) return [value, {outcome, counted}];
        return [next, {outcome, counted}, record.expiresAt + EXPIRED_GRACE_MS - at];
      });
      if (result?.counted)
        settled = result.outcome.status === 'confirmed' ? 'confirmed' : 'failed';
      judged = result?.outcome;
    } finally {
      await store.update(failuresKey, (v) =>
        settleFailure(v, settled, at, reserved.previousLastAt, failurePolicy, now()),
      );
    }
    if (!judged) return unknown();
    if (judged.status === 'confirmed') {
      const {token, claims} = await tokens.issue({
        user: seen.user,
        client: seen.client,
        stepName: seen.stepName,
        requestId,
      });
      try {
        await options.onConfirmed?.(claims, request);
      } catch (error) {
        logger.error(
          `otp-step: onConfirmed failed for ${logSafe(seen.user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
        );
      }
      const body: ConfirmResponseBody = {
        status: 'confirmed',
        requestId,
        confirmation: token,
      };
      return json(200, body);
    }
    return rejection(judged);
  }

  const handle = async (request: Request): Promise<Response> => {
    try {
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      const confirmMatch = CONFIRM_ROUTE.exec(path);
      if (!confirmMatch && !path.endsWith('/codes'))
        return problem(404, 'not-found', 'No such route.');
      if (request.method !== 'POST') return methodNotAllowed();
      if (!confirmMatch) return await issue(request);
      let requestId: string;
      try {
        requestId = decodeURIComponent(confirmMatch[1]);
      } catch {
        return problem(
          404,
          'unknown-request',
          'There is no pending code with this request id.',
        );
      }
      return await confirm(request, requestId);
    } catch (error) {
      if (error instanceof OtpStoreFullError)
        return problem(503, 'busy', 'The server is busy; try again shortly.', {
          retryAfter: error.retryAfterSeconds,
        });
      // Never crash on input: whatever slipped through is logged and answered.
      logger.error(
        `otp-step: request failed: ${logSafe(error instanceof Error ? `${error.name}: ${error.message}` : error, 1000)}`,
      );
      return problem(500, 'internal-error', 'The server could not handle the request.');
    }
  };
  return Object.assign(handle, {verifyConfirmation: tokens.verify});
}

export function methodNotAllowed(): Response {
  const response = problem(405, 'method-not-allowed', 'Use POST.');
  response.headers.set('allow', 'POST');
  return response;
}

type Rejected = Extract<ConfirmOutcome, {status: 'rejected'}>;

function rejection({reason, attemptsLeft}: Rejected): Response {
  if (reason === 'invalid')
    return problem(422, 'invalid-code', 'That code is not right.', {attemptsLeft});
  if (reason === 'locked')
    return problem(423, 'locked', 'Too many wrong codes: this code is locked.', {
      attemptsLeft: 0,
    });
  if (reason === 'expired')
    return problem(410, 'expired', 'This code has expired; ask for a new one.');
  return problem(409, 'used', 'This code has already been used.');
}

function rateLimited(retryAfter: number, why: string): Response {
  return problem(429, 'rate-limited', `Too many requests ${why}; try again later.`, {
    retryAfter,
  });
}

function planRefusal(plan: Extract<IssuePlan, {ok: false}>): Response {
  if (plan.code === 'locked')
    return problem(
      423,
      'locked',
      'Too many wrong codes: wait until the locked code expires.',
      {
        attemptsLeft: 0,
      },
    );
  if (plan.code === 'resend-limit')
    return problem(429, 'resend-limit', 'No more codes can be sent for this challenge.');
  return problem(429, 'resend-cooldown', 'A new code can be sent shortly.', {
    retryAfter: plan.retryAfterSeconds,
  });
}

function issueAnswer(view: ChallengeView, at: number): IssueResponseBody {
  return {
    requestId: view.requestId,
    issuedAt: new Date(view.issuedAt).toISOString(),
    expiresAt: new Date(view.expiresAt).toISOString(),
    expiresIn: Math.round((view.expiresAt - at) / 1000),
    resendAt: new Date(view.resendAt).toISOString(),
    resendIn: Math.round((view.resendAt - at) / 1000),
    attemptsLeft: view.attemptsLeft,
    resendsLeft: view.resendsLeft,
  };
}

/** The issue request's fields with their defaults, or why it is not one. */
function issueBody(
  value: unknown,
): (Omit<IssueRequestBody, 'alphabet'> & {alphabet: string}) | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The body must be a JSON object.';
  const body = value as Record<string, unknown>;
  const text = (name: string, fallback?: string) => {
    const v = Object.hasOwn(body, name) ? body[name] : fallback;
    return typeof v === 'string' && v.length <= 256 ? v : undefined;
  };
  const number = (name: string, fallback: number) => {
    const v = Object.hasOwn(body, name) ? body[name] : fallback;
    return typeof v === 'number' ? v : undefined;
  };
  const fields = {
    user: text('user'),
    client: text('client', ''),
    stepName: text('stepName', ''),
    sourceStep: text('sourceStep', ''),
    alphabet: text('alphabet', 'numeric'),
    lifetime: number('lifetime', 300),
    length: number('length', 6),
  };
  const wrong = Object.entries(fields).find(([, v]) => v === undefined);
  if (wrong) return `"${wrong[0]}" is missing or not of the right type.`;
  return fields as Omit<IssueRequestBody, 'alphabet'> & {alphabet: string};
}
