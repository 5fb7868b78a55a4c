import {createHmac, randomUUID, timingSafeEqual} from 'node:crypto';
import {
  judgeAttempt,
  newRecord,
  planIssue,
  viewOf,
  type ChallengeRecord,
  type ChallengeView,
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
import {confirmationTokens} from './confirmation.js';
import {json, problem} from './problem.js';
import {memoryOtpStore, type OtpStore} from './store.js';

/** What the "send templated notification" step gets for each code issued. */
export interface OtpNotification {
  user: string;
  client: string;
  code: string;
  expiresAt: Date;
  template: string;
  stepName: string;
  sourceStep: string;
  requestId: string;
}

export interface OtpLimits {
  /** Longest lifetime a client may ask for, in seconds (NIST SP 800-63B-4: 10 minutes). */
  maxLifetimeSeconds: number;
  /** Shortest code a client may ask for. */
  minLength: number;
  /** Wrong codes before a challenge locks, across resends. */
  maxAttempts: number;
  resendAfterSeconds: number;
  maxResends: number;
  /** Codes issued per user and client per window. */
  issuesPerWindow: number;
  windowSeconds: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
}

export interface OtpHandlerOptions {
  /** Key of the HMAC kept in place of each code: 32 bytes or more, kept secret. */
  secret: string | Uint8Array;
  /** Where challenges are kept; memory by default (one process only). */
  store?: OtpStore;
  /** Sends the code (SMS, e-mail); the default prints it to the console, in development only. */
  notify?: (notification: OtpNotification) => void | Promise<void>;
  /** The "get user info" step: a falsy answer means there is no such user. */
  lookupUser?: (user: string, client: string) => unknown;
  /** Returns codes in issue responses, for the ForTestCode. Refused when NODE_ENV=production. */
  testMode?: boolean;
  limits?: Partial<OtpLimits>;
  /** Template name handed to `notify`. */
  template?: string;
  /** The clock, for tests. */
  now?: () => number;
}

export const DEFAULT_LIMITS: OtpLimits = {
  maxLifetimeSeconds: 600,
  minLength: 6,
  maxAttempts: 5,
  resendAfterSeconds: 30,
  maxResends: 3,
  issuesPerWindow: 10,
  windowSeconds: 15 * 60,
  maxBodyBytes: 4096,
};

/** A challenge as the server keeps it: `digest` holds HMAC-SHA256(secret, requestId ":" code). */
type ServerRecord = ChallengeRecord & {length: number; alphabet: AlphabetName};

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
 */
export function createOtpHandler(options: OtpHandlerOptions) {
  const production = process.env.NODE_ENV === 'production';
  if (options.testMode && production) {
    throw new Error(
      'otp-step: testMode returns codes in responses and must not run with NODE_ENV=production',
    );
  }
  if (!options.notify && production) {
    throw new Error(
      'otp-step: give a notify hook in production; the default only prints codes to the console',
    );
  }
  const secret =
    typeof options.secret === 'string' ? Buffer.from(options.secret) : options.secret;
  if (!secret || secret.length < 32)
    throw new Error('otp-step: the secret must be 32 bytes or more');

  const limits = {...DEFAULT_LIMITS, ...options.limits};
  const store = options.store ?? memoryOtpStore(options.now);
  const now = options.now ?? Date.now;
  const template = options.template ?? 'one-time-code';
  const notify =
    options.notify ??
    ((n: OtpNotification) =>
      console.info(
        `[otp-step] ${n.template} for ${n.user} (${n.client}): ${n.code}, expires ${n.expiresAt.toISOString()}`,
      ));
  const mac = (requestId: string, code: string) =>
    createHmac('sha256', secret).update(`${requestId}:${code}`).digest();
  const tokens = confirmationTokens({
    key: createHmac('sha256', secret).update('otp-step confirmation').digest(),
    store,
    now,
    lifetimeMs: 5 * 60_000,
    normalizeUser: (u) => u,
  });

  async function issue(request: Request): Promise<Response> {
    const parsed = await readJson(request, limits.maxBodyBytes);
    if (parsed instanceof Response) return parsed;
    const body = issueBody(parsed);
    if (typeof body === 'string') return problem(400, 'invalid-request', body);

    const checked = resolveStepConfig({
      ...body,
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

    // A retried request with the same key gets the first answer, never a second code.
    const idempotencyKey = request.headers.get('idempotency-key')?.slice(0, 255);
    const cacheKey =
      idempotencyKey &&
      `idempotency:${JSON.stringify([config.user, config.client, idempotencyKey])}`;
    if (cacheKey) {
      const cached = await store.update(cacheKey, (value) =>
        value
          ? [value, value]
          : [{pending: true}, undefined, limits.windowSeconds * 1000],
      );
      if (cached) {
        const {pending, answer} = cached as {
          pending?: boolean;
          answer?: IssueResponseBody;
        };
        if (pending || !answer)
          return problem(
            409,
            'request-in-progress',
            'The same request is still being answered.',
            {retryAfter: 1},
          );
        return json(201, answer);
      }
    }
    const release = () =>
      cacheKey && store.update(cacheKey, () => [undefined, undefined]);

    if (options.lookupUser && !(await options.lookupUser(config.user, config.client))) {
      await release();
      return problem(404, 'unknown-user', 'There is no such user.');
    }

    const at = now();
    const rateKey = `rate:${JSON.stringify([config.user, config.client])}`;
    const retryAfter = await store.update(rateKey, (value) => {
      const window = value as {count: number; endsAt: number} | undefined;
      if (!window || window.endsAt <= at) {
        return [
          {count: 1, endsAt: at + limits.windowSeconds * 1000},
          0,
          limits.windowSeconds * 1000,
        ];
      }
      if (window.count >= limits.issuesPerWindow)
        return [window, Math.ceil((window.endsAt - at) / 1000)];
      return [{...window, count: window.count + 1}, 0, window.endsAt - at];
    });
    if (retryAfter) {
      await release();
      return problem(
        429,
        'rate-limited',
        'Too many codes were asked for this user; try again later.',
        {retryAfter},
      );
    }

    const code = generateCode(config.length, ALPHABETS[config.alphabet]);
    const requestId = randomUUID();
    const challengeKey = `challenge:${JSON.stringify([config.stepName, config.user, config.client])}`;
    const issued = await store.update<ServerRecord | Extract<IssuePlan, {ok: false}>>(
      challengeKey,
      (value) => {
        const previous = value as ServerRecord | undefined;
        const plan = planIssue(previous, at);
        if (!plan.ok) return [value, plan];
        const record: ServerRecord = {
          ...newRecord(
            {
              requestId,
              stepName: config.stepName,
              user: config.user,
              client: config.client,
            },
            config,
            plan,
            at,
          ),
          digest: mac(requestId, code),
          length: config.length,
          alphabet: config.alphabet,
        };
        return [record, record, config.lifetimeSeconds * 1000 + EXPIRED_GRACE_MS];
      },
    );
    if ('ok' in issued) {
      await release();
      if (issued.code === 'locked')
        return problem(
          423,
          'locked',
          'Too many wrong codes: wait until the locked code expires.',
          {attemptsLeft: 0},
        );
      if (issued.code === 'resend-limit')
        return problem(
          429,
          'resend-limit',
          'No more codes can be sent for this challenge.',
        );
      return problem(429, 'resend-cooldown', 'A new code can be sent shortly.', {
        retryAfter: issued.retryAfterSeconds,
      });
    }
    await store.update(`request:${requestId}`, () => [
      challengeKey,
      undefined,
      config.lifetimeSeconds * 1000 + EXPIRED_GRACE_MS,
    ]);
    await notify({
      user: config.user,
      client: config.client,
      code,
      expiresAt: new Date(issued.expiresAt),
      template,
      stepName: config.stepName,
      sourceStep: config.sourceStep,
      requestId,
    });
    const answer = issueAnswer(
      viewOf(issued, at),
      at,
      options.testMode ? code : undefined,
    );
    if (cacheKey)
      await store.update(cacheKey, () => [
        {answer},
        undefined,
        limits.windowSeconds * 1000,
      ]);
    return json(201, answer);
  }

  async function confirm(request: Request, requestId: string): Promise<Response> {
    const parsed = await readJson(request, limits.maxBodyBytes);
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
    const challengeKey = await store.update(`request:${requestId}`, (value) => [
      value,
      value,
    ]);
    if (typeof challengeKey !== 'string') return unknown();
    const seen = await store.update(challengeKey, (value) => [
      value,
      value as ServerRecord | undefined,
    ]);
    if (!seen || seen.requestId !== requestId) return unknown();
    // A code of the wrong shape cannot match, and counts as a wrong code like any other.
    const code = cleanCode(typed, seen.alphabet);
    const candidate = mac(
      requestId,
      isWellFormedCode(code, seen.length, seen.alphabet) ? code : '',
    );

    const at = now();
    const judged = await store.update(challengeKey, (value) => {
      const record = value as ServerRecord | undefined;
      if (!record || record.requestId !== requestId) return [value, undefined];
      const matches = !!record.digest && timingSafeEqual(candidate, record.digest);
      const result = judgeAttempt(record, matches, at);
      if (result.record === record) return [value, result.outcome];
      return [result.record, result.outcome, record.expiresAt + EXPIRED_GRACE_MS - at];
    });
    if (!judged) return unknown();
    if (judged.status === 'confirmed') {
      const {token} = await tokens.issue({
        user: seen.user,
        client: seen.client,
        stepName: seen.stepName,
        requestId,
      });
      const body: ConfirmResponseBody = {
        status: 'confirmed',
        requestId,
        confirmation: token,
      };
      return json(200, body);
    }
    const {reason, attemptsLeft} = judged;
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

  const handle = async (request: Request): Promise<Response> => {
    try {
      const path = new URL(request.url).pathname.replace(/\/+$/, '');
      const confirmMatch = CONFIRM_ROUTE.exec(path);
      if (!confirmMatch && !path.endsWith('/codes'))
        return problem(404, 'not-found', 'No such route.');
      if (request.method !== 'POST') {
        const response = problem(405, 'method-not-allowed', 'Use POST.');
        response.headers.set('allow', 'POST');
        return response;
      }
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
      // Never crash on input: whatever slipped through is logged and answered.
      console.error('otp-step: request failed', error);
      return problem(500, 'internal-error', 'The server could not handle the request.');
    }
  };
  return Object.assign(handle, {verifyConfirmation: tokens.verify});
}

function issueAnswer(
  view: ChallengeView,
  at: number,
  code: string | undefined,
): IssueResponseBody {
  return {
    requestId: view.requestId,
    issuedAt: new Date(view.issuedAt).toISOString(),
    expiresAt: new Date(view.expiresAt).toISOString(),
    expiresIn: Math.round((view.expiresAt - at) / 1000),
    resendAt: new Date(view.resendAt).toISOString(),
    resendIn: Math.round((view.resendAt - at) / 1000),
    attemptsLeft: view.attemptsLeft,
    resendsLeft: view.resendsLeft,
    ...(code === undefined ? {} : {code}),
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
    const v = body[name] ?? fallback;
    return typeof v === 'string' && v.length <= 256 ? v : undefined;
  };
  const number = (name: string, fallback: number) => {
    const v = body[name] ?? fallback;
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

/** The JSON body, or the problem response that refuses it (415, 413, 400). */
async function readJson(request: Request, maxBytes: number): Promise<unknown | Response> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return problem(415, 'unsupported-media-type', 'Send the body as application/json.');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes)
    return problem(413, 'body-too-large', `The body must be at most ${maxBytes} bytes.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return problem(
          413,
          'body-too-large',
          `The body must be at most ${maxBytes} bytes.`,
        );
      }
      chunks.push(value);
    }
  }
  try {
    return JSON.parse(
      new TextDecoder('utf-8', {fatal: true}).decode(Buffer.concat(chunks)),
    );
  } catch {
    return problem(400, 'malformed-json', 'The body is not valid JSON.');
  }
}
