import {
  viewOf,
  type DeliveryInfo,
  type ChallengeRecord,
  type ConfirmOutcome,
} from '../challenge/challenge.js';
import {
  challengeKey,
  pendingChallenge,
  type ChallengeStore,
} from '../challenge/challenge-store.js';
import {OtpStepError, type OtpErrorCode} from '../errors.js';
import type {StepConfig} from '../step/step-config.js';
import type {CodeSource} from './code-source.js';
import {humanToken, type HumanCheck} from './human-check.js';
import type {
  DeliveryChannel,
  DeliveryState,
  IssueRequestBody,
  ProblemBody,
} from './protocol.js';

/** How the element reaches its backend; read afresh for every request. */
export interface HttpSourceOptions {
  /** Base URL: codes are issued at `{endpoint}/codes`. */
  endpoint: string;
  /** Seconds to wait for an answer. */
  timeout: number;
  // RequestCredentials, spelled out: the flow's Node tests compile without the DOM's types.
  credentials: 'omit' | 'same-origin' | 'include';
  /** Sent with every request: CSRF tokens, bearer tokens. */
  headers: Record<string, string>;
  /** The page's bot check, run when the server answers an issue 428 `human-check-required`. */
  humanCheck?: HumanCheck;
}

/** The longest `Retry-After` on a 503 that is waited out before answering. */
const MAX_AUTO_RETRY_SECONDS = 5;

/** Problem codes the element passes on as they are. */
const PASSED_ON = new Set<string>([
  'user-required',
  'invalid-lifetime',
  'invalid-length',
  'invalid-alphabet',
  'locked',
  'resend-cooldown',
  'resend-limit',
  'rate-limited',
  'unknown-user',
  'unknown-request',
  'unauthenticated',
  'forbidden',
  'human-check-required',
  'not-enrolled',
  'unknown-enrollment',
]);

/** An answer from the server, its JSON body read. */
export type Answer = {status: number; body: Record<string, unknown>; retryAfter?: number};

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** One request to the backend, its answer read: what every route of the protocol goes through. */
export type Send = (
  path: string,
  body: unknown,
  signal?: AbortSignal,
  extra?: Record<string, string>,
  method?: 'GET' | 'POST',
) => Promise<Answer>;

/**
 * Requests to the backend as the element makes them all: `headers`,
 * `credentials` and `timeout` as the page set them (read afresh each time),
 * JSON both ways, a short 503 waited out once, and failures to answer as
 * `network-error`, `timeout`, `server-error` or `bad-response`.
 */
export function httpSender(
  options: () => Omit<HttpSourceOptions, 'humanCheck'>,
  now: () => number = () => Date.now(),
): Send {
  return async (path, body, signal, extra = {}, method = 'POST') => {
    const {endpoint, timeout, credentials, headers} = options();
    const url = endpoint.replace(/\/+$/, '') + path;
    for (let attempt = 0; ; attempt++) {
      // A timer of our own rather than AbortSignal.timeout/any, whose timeout
      // did not always fire in WebKitGTK; it covers the body as well as the headers.
      const request = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        request.abort();
      }, timeout * 1000);
      const forward = () => request.abort(signal?.reason);
      signal?.addEventListener('abort', forward);
      try {
        let response: Response;
        try {
          response = await fetch(url, {
            method,
            credentials,
            headers: {
              ...headers,
              ...extra,
              ...(method === 'POST' ? {'content-type': 'application/json'} : {}),
              accept: 'application/json',
            },
            body: method === 'POST' ? JSON.stringify(body) : undefined,
            signal: request.signal,
          });
        } catch (error) {
          if (signal?.aborted) throw error;
          throw new OtpStepError(timedOut ? 'timeout' : 'network-error');
        }
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        // A server that says when it will be back, soon, is waited for once.
        if (
          response.status === 503 &&
          attempt === 0 &&
          retryAfter !== undefined &&
          retryAfter <= MAX_AUTO_RETRY_SECONDS
        ) {
          clearTimeout(timer);
          await delay(retryAfter * 1000, signal);
          continue;
        }
        let parsed: unknown;
        try {
          parsed = await response.json();
        } catch (error) {
          if (signal?.aborted) throw error;
          if (timedOut) throw new OtpStepError('timeout');
          throw new OtpStepError(
            response.status >= 500 ? 'server-error' : 'bad-response',
          );
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new OtpStepError('bad-response');
        }
        return {
          status: response.status,
          body: parsed as Record<string, unknown>,
          retryAfter,
        };
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', forward);
      }
    }
  };
}

/**
 * The element's side of the protocol in docs/protocol.md. The server issues,
 * sends and checks codes; what is kept in IndexedDB is only the request id,
 * expiry, cooldown and attempts left, never the code or a digest of it.
 */
export function httpCodeSource(
  store: ChallengeStore,
  options: () => HttpSourceOptions,
  now: () => number = () => Date.now(),
): CodeSource {
  /** One idempotency key per challenge until an issue succeeds, so a retry never sends two codes. */
  const idempotencyKeys = new Map<string, string>();

  const send = httpSender(options, now);

  async function keep(
    config: StepConfig,
    change: (r: ChallengeRecord) => ChallengeRecord,
  ) {
    return store.update(challengeKey(config), (record) => {
      const next = record && change(record);
      return [next, next];
    });
  }

  /** One issue request, under the challenge's Idempotency-Key. */
  function sendIssue(key: string, request: IssueRequestBody, signal?: AbortSignal) {
    const idempotencyKey = idempotencyKeys.get(key) ?? crypto.randomUUID();
    idempotencyKeys.set(key, idempotencyKey);
    return send('/codes', request, signal, {'idempotency-key': idempotencyKey});
  }

  return {
    async issue(config, signal) {
      const key = challengeKey(config);
      const request: IssueRequestBody = {
        user: config.user,
        client: config.client,
        lifetime: config.lifetimeSeconds,
        stepName: config.stepName,
        sourceStep: config.sourceStep,
        length: config.length,
        alphabet: config.alphabet,
        ...(config.channel ? {channel: config.channel} : {}),
      };
      let answer = await sendIssue(key, request, signal);
      // A server that wants a bot check first is asked once more, with the page's
      // token. The 428 issued nothing, so the retry goes under a new key: the
      // old one stands for a request without a token.
      if (answer.status === 428 && answer.body.code === 'human-check-required') {
        const token = await humanToken(options().humanCheck, signal);
        if (token) {
          idempotencyKeys.delete(key);
          answer = await sendIssue(key, {...request, humanToken: token}, signal);
        }
      }
      if (answer.status !== 201 && answer.status !== 200) {
        const error = refusal(answer);
        // A definite no ends this request; a failure to answer keeps the key for the retry.
        if (answer.status < 500 && error.code !== 'rate-limited')
          idempotencyKeys.delete(key);
        throw error;
      }
      const {requestId, issuedAt, expiresIn, resendIn, attemptsLeft, resendsLeft, code} =
        answer.body;
      const serverIssuedAt = typeof issuedAt === 'string' ? Date.parse(issuedAt) : NaN;
      if (
        typeof requestId !== 'string' ||
        Number.isNaN(serverIssuedAt) ||
        !requestId ||
        !isCount(expiresIn) ||
        !isCount(resendIn) ||
        !isCount(attemptsLeft) ||
        !isCount(resendsLeft) ||
        (code !== undefined && typeof code !== 'string')
      ) {
        throw new OtpStepError('bad-response');
      }
      const delivery = deliveryFields(answer.body);
      if (!delivery) {
        throw new OtpStepError('bad-response');
      }
      idempotencyKeys.delete(key);
      const at = now();
      // The counts are the server's: kept as they are, in the shape the rules read.
      const record: ChallengeRecord = {
        requestId,
        stepName: config.stepName,
        user: config.user,
        client: config.client,
        issuedAt: at,
        expiresAt: at + expiresIn * 1000,
        resendAt: at + resendIn * 1000,
        failures: 0,
        maxAttempts: attemptsLeft,
        resends: 0,
        maxResends: resendsLeft,
        consumed: false,
        serverIssuedAt,
        ...delivery,
      };
      // Two tabs can ask at once and their answers cross: keep whichever code the
      // server issued later, read and written in one transaction, so an older
      // answer arriving last cannot replace the code the person was sent last.
      const kept = await store.update(key, (previous) => {
        const next =
          previous?.serverIssuedAt !== undefined &&
          previous.serverIssuedAt > serverIssuedAt
            ? previous
            : record;
        return [next, next];
      });
      // The code in this answer is not the one kept, so it is not given out.
      if (kept !== record) return {challenge: viewOf(kept, at)};
      return {challenge: viewOf(record, at), ...(code === undefined ? {} : {code})};
    },

    async confirm(config, code, signal) {
      const record = await store.get(challengeKey(config));
      if (!record) throw new OtpStepError('no-pending-code');
      const answer = await send(
        `/codes/${encodeURIComponent(record.requestId)}/confirm`,
        {code},
        signal,
      );
      const problem = answer.body as Partial<ProblemBody>;
      const at = now();
      let outcome: ConfirmOutcome;
      let change: (r: ChallengeRecord) => ChallengeRecord;
      if (answer.status === 200) {
        const {status, confirmation} = answer.body;
        // The token is what the app's server checks: a confirmation without one is no use.
        if (status !== 'confirmed' || typeof confirmation !== 'string' || !confirmation)
          throw new OtpStepError('bad-response');
        outcome = {status: 'confirmed', confirmation};
        change = (r) => ({...r, consumed: true});
      } else if (problem.code === 'invalid-code' || problem.code === 'locked') {
        const left = problem.code === 'locked' ? 0 : problem.attemptsLeft;
        if (!isCount(left)) throw new OtpStepError('bad-response');
        outcome = {
          status: 'rejected',
          reason: left === 0 ? 'locked' : 'invalid',
          attemptsLeft: left,
        };
        change = (r) => ({...r, failures: 0, maxAttempts: left});
      } else if (problem.code === 'expired') {
        outcome = {
          status: 'rejected',
          reason: 'expired',
          attemptsLeft: record.maxAttempts - record.failures,
        };
        change = (r) => ({...r, expiresAt: Math.min(r.expiresAt, at)});
      } else if (problem.code === 'canceled') {
        // Canceled elsewhere (the app's server, another tab): nothing to confirm any more.
        outcome = {
          status: 'rejected',
          reason: 'canceled',
          attemptsLeft: record.maxAttempts - record.failures,
        };
        change = (r) => ({...r, canceledAt: at});
      } else if (problem.code === 'used') {
        outcome = {
          status: 'rejected',
          reason: 'used',
          attemptsLeft: record.maxAttempts - record.failures,
        };
        change = (r) => ({...r, consumed: true});
      } else {
        // Anything else is a failure to judge the code: the challenge stays as it was.
        throw refusal(answer);
      }
      const kept = (await keep(config, change)) ?? change(record);
      return {outcome, challenge: viewOf(kept, at)};
    },

    pending: (config) => pendingChallenge(store, challengeKey(config), now()),

    async cancel(config, signal) {
      const key = challengeKey(config);
      const record = await store.get(key);
      if (!record) return;
      const answer = await send(
        `/codes/${encodeURIComponent(record.requestId)}/cancel`,
        {},
        signal,
      );
      // Canceled, or already over (unknown, used, expired, locked): either way nothing is left to confirm.
      if (answer.status !== 200 && ![404, 409, 410, 423].includes(answer.status))
        throw refusal(answer);
      await store.update(key, (r) =>
        r?.requestId === record.requestId ? [undefined, undefined] : [r, undefined],
      );
    },

    async status(config, signal) {
      const record = await store.get(challengeKey(config));
      if (!record) return 'unsupported';
      const answer = await send(
        `/codes/${encodeURIComponent(record.requestId)}`,
        undefined,
        signal,
        {},
        'GET',
      );
      const problem = answer.body as Partial<ProblemBody>;
      // A server from before the status route: nothing to poll, and nothing wrong.
      if (
        answer.status === 405 ||
        (answer.status === 404 && (problem.code === 'not-found' || !problem.code))
      )
        return 'unsupported';
      if (answer.status !== 200) throw refusal(answer);
      const {requestId, resendIn} = answer.body;
      const delivery = deliveryFields(answer.body);
      if (requestId !== record.requestId || !delivery)
        throw new OtpStepError('bad-response');
      const at = now();
      const kept = await keep(config, (r) =>
        r.requestId !== record.requestId
          ? r
          : {
              ...r,
              ...delivery,
              // The server allows a resend at once after a failed delivery, and says so in resendIn.
              ...(isCount(resendIn) ? {resendAt: at + resendIn * 1000} : {}),
              ...(delivery.delivery === 'failed'
                ? {resendAt: Math.min(r.resendAt, at)}
                : {}),
            },
      );
      return kept ? viewOf(kept, at) : 'unsupported';
    },
  };
}

/**
 * The error a refusal stands for, with the wait it asks for: a problem code the
 * element knows is passed on; anything else is `rate-limited` (429),
 * `server-error` (5xx, with Retry: `busy`, `notification-failed`) or
 * `request-failed` (other 4xx: `request-timeout`, `idempotency-key-reused`).
 */
export function refusal({status, body, retryAfter}: Answer): OtpStepError {
  const problem = body as Partial<ProblemBody>;
  const wait =
    retryAfter ?? (isCount(problem.retryAfter) ? problem.retryAfter : undefined);
  if (typeof problem.code === 'string' && PASSED_ON.has(problem.code)) {
    return new OtpStepError(problem.code as OtpErrorCode, problem.detail, wait);
  }
  if (status === 429) return new OtpStepError('rate-limited', problem.detail, wait);
  return new OtpStepError(
    status >= 500 ? 'server-error' : 'request-failed',
    problem.detail,
    wait,
  );
}

const isChannel = (v: unknown): v is DeliveryChannel => v === 'email' || v === 'sms';
const isState = (v: unknown): v is DeliveryState =>
  v === 'queued' || v === 'sent' || v === 'failed';
/** A hint is shown as text: a short line, no control characters (a bidi override included). */
const isHint = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length > 0 &&
  v.length <= 256 &&
  // Control characters are what this refuses, so the pattern names them.
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(v);

/**
 * The delivery fields of an issue or status answer, checked; undefined when one is
 * there but malformed. An older server sends none of them: an empty object.
 */
export function deliveryFields(body: Record<string, unknown>): DeliveryInfo | undefined {
  const {channel, destinationHint, channels, delivery} = body;
  const out: DeliveryInfo = {};
  if (channel !== undefined) {
    if (!isChannel(channel)) return undefined;
    out.channel = channel;
  }
  if (destinationHint !== undefined) {
    if (!isHint(destinationHint)) return undefined;
    out.destinationHint = destinationHint;
  }
  if (channels !== undefined) {
    if (!Array.isArray(channels) || !channels.every(isChannel)) return undefined;
    out.channels = [...new Set(channels)];
  }
  if (delivery !== undefined) {
    if (!isState(delivery)) return undefined;
    out.delivery = delivery;
  }
  return out;
}

/** Seconds to wait from a `Retry-After` header: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
