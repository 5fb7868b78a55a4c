import {
  PROBLEM_TYPE_PREFIX,
  type ProblemBody,
  type ProblemCode,
} from '../src/sources/protocol.js';
import {MAX_LIFETIME_SECONDS} from '../src/step/parse-lifetime.js';
import {MAX_LENGTH, MIN_LENGTH, type ConfigErrorCode} from '../src/step/step-config.js';
import {OtpAnswer} from './exchange.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  408: 'Request Timeout',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * What to change, for each check of the step's parameters: the request's own
 * fields, and the server's limits that go into the same check (a server whose
 * own limit is out of range says so rather than blaming the request). The
 * server answers the lifetime and length with its own, narrower range
 * (issue/request.ts) and checks its limits when it starts (limit-bounds.ts).
 */
export const CONFIG_DETAILS: Record<ConfigErrorCode, string> = {
  'user-required': 'Name the user: "user" must be a non-empty string.',
  'invalid-lifetime': `The lifetime must be a number of seconds above zero and at most ${MAX_LIFETIME_SECONDS}.`,
  'invalid-length': `The length must be a whole number from ${MIN_LENGTH} to ${MAX_LENGTH}.`,
  'invalid-alphabet': 'The alphabet must be "numeric" or "alphanumeric".',
  'invalid-max-attempts':
    "The server's maxAttempts limit must be a whole number from 1 to 100.",
  'invalid-resend-after':
    "The server's resendAfterSeconds limit must be whole seconds from 0 to 86400.",
  'invalid-max-resends':
    "The server's maxResends limit must be a whole number from 0 to 100.",
};

/** The headers of every JSON answer: none is cached, each is for one request. */
const JSON_HEADERS = {'content-type': 'application/json', 'cache-control': 'no-store'};
const PROBLEM_HEADERS = {
  'content-type': 'application/problem+json',
  'cache-control': 'no-store',
};

/** An RFC 9457 problem answer with a stable `code`. */
export function problem(
  status: number,
  code: ProblemCode,
  detail: string,
  extra: Partial<Pick<ProblemBody, 'attemptsLeft' | 'retryAfter'>> = {},
  headers: Record<string, string> = {},
): OtpAnswer {
  const body: ProblemBody = {
    type: PROBLEM_TYPE_PREFIX + code,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
  const all: Record<string, string> = {...PROBLEM_HEADERS, ...headers};
  if (extra.retryAfter !== undefined) all['retry-after'] = String(extra.retryAfter);
  return new OtpAnswer(status, all, JSON.stringify(body));
}

export function json(status: number, body: unknown): OtpAnswer {
  return new OtpAnswer(status, JSON_HEADERS, JSON.stringify(body));
}

/** 429 `rate-limited` with the wait, `why` saying which limit. */
/**
 * 429 from a budget many share (an address, behind which may sit a whole
 * office): without Retry-After, which would tell an attacker filling it when
 * to fire again.
 */
export function sharedLimit(why: string): OtpAnswer {
  return problem(429, 'rate-limited', `Too many requests ${why}; try again later.`);
}

export function rateLimited(retryAfter: number, why: string): OtpAnswer {
  return problem(429, 'rate-limited', `Too many requests ${why}; try again later.`, {
    retryAfter,
  });
}

/** 405 with `Allow`: each route answers one method. */
export function methodNotAllowed(allowed: 'GET' | 'POST' | 'DELETE' = 'POST'): OtpAnswer {
  return problem(405, 'method-not-allowed', `Use ${allowed}.`, {}, {allow: allowed});
}
