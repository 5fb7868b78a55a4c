import {readFileSync} from 'node:fs';
import {IncomingMessage, type ServerResponse} from 'node:http';
import {createRequire} from 'node:module';
import {Socket} from 'node:net';
import {after} from 'node:test';
import {
  createOtpHandler,
  memoryOtpStore,
  toNodeListener,
  type OtpHandlerOptions,
  type OtpNotification,
} from '../index.js';
import {redisOtpStore, type RedisOtpStore} from '../redis-store.js';

export const SECRET = 'a test secret that is long enough to key the HMAC';

/** A logger that keeps what it is given, one line per call, for tests to read. */
export function recordingLogger() {
  const lines: string[] = [];
  const keep = (message: string) => void lines.push(message);
  return {lines, logger: {info: keep, warn: keep, error: keep}};
}

const redisUrl = process.env.OTP_TEST_REDIS_URL;
/** The store the suite runs on: `npm test` runs it once on memory and once on a real Redis. */
export const STORE_KIND: 'memory' | 'redis' = redisUrl ? 'redis' : 'memory';
/** Why a test of the memory store's own bound does not run on Redis. */
export const MEMORY_ONLY =
  STORE_KIND === 'redis' &&
  'a bound of the memory store (Redis bounds itself: maxmemory)';
const opened: RedisOtpStore[] = [];
after(() => Promise.all(opened.map((store) => store.close())));

/** The test store's own bounds: the memory store's size, Redis's timeout. */
interface TestStoreOptions {
  maxKeys?: number;
  /**
   * How long a Redis operation may wait (redis-store.ts `timeoutMs`, 1 s by
   * default), for a test whose point is what is decided, not how fast: updates
   * of one key from one process wait in line, and 1,000 requests at once on
   * one key make a line longer than a second on a loaded machine.
   */
  redisTimeoutMs?: number;
}

/**
 * A store of the suite's kind, on the test's clock. On Redis each gets a prefix
 * of its own, so tests never see each other's keys.
 */
function testStore(now: () => number, storeOptions: TestStoreOptions) {
  if (!redisUrl) {
    const store = memoryOtpStore({now, maxKeys: storeOptions.maxKeys});
    return {store, values: async () => store.values(), size: async () => store.size};
  }
  const store = redisOtpStore({
    url: redisUrl,
    prefix: `test:${process.pid}:${opened.length}:`,
    now,
    timeoutMs: storeOptions.redisTimeoutMs,
  });
  opened.push(store);
  const values = async () => (await store.entries()).map(([, value]) => value);
  return {store, values, size: async () => (await values()).length};
}

/** A handler in test mode on its own store and clock, and everything it sent and logged. */
export function setup(
  options: Partial<OtpHandlerOptions> = {},
  storeOptions: TestStoreOptions = {},
) {
  const clock = {now: 1_700_000_000_000};
  const {store, values, size} = testStore(() => clock.now, storeOptions);
  const sent: OtpNotification[] = [];
  const {lines: logged, logger} = recordingLogger();
  const handler = createOtpHandler({
    secret: SECRET,
    store,
    testMode: true,
    now: () => clock.now,
    notify: (n) => void sent.push(n),
    logger,
    ...options,
  });
  return {handler, store, clock, sent, logged, values, size};
}

/**
 * Which of the handler's two front doors the suite's requests go through:
 * `npm test` runs the suite once through each. "fetch" calls the handler with a
 * web `Request`; "node" runs it through `toNodeListener`, on a Node
 * IncomingMessage carrying the request and a response that keeps what is
 * written. In this process, not over a socket, so that requests a test sends at
 * once are in flight at once on both paths (a socket would let the first finish
 * before the second is read); the adapter over real sockets has its own tests
 * (node-adapter.test.ts, and the attack suites' slow and odd HTTP).
 */
export const ADAPTER: 'fetch' | 'node' =
  process.env.OTP_TEST_ADAPTER === 'node' ? 'node' : 'fetch';

type FetchHandler = (request: Request) => Promise<Response>;

/** Sends a request to the handler through the suite's adapter (see `ADAPTER`). */
export async function send(
  handler: FetchHandler,
  path: string,
  init: {method?: string; headers?: Record<string, string>; body?: string},
): Promise<Response> {
  if (ADAPTER === 'fetch') return handler(new Request(`http://localhost${path}`, init));
  const req = new IncomingMessage(new Socket());
  req.method = init.method ?? 'GET';
  req.url = path;
  req.headers = {host: 'localhost'};
  for (const [name, value] of Object.entries(init.headers ?? {}))
    req.headers[name.toLowerCase()] = value;
  if (init.body !== undefined) {
    req.headers['content-length'] = String(Buffer.byteLength(init.body));
    req.push(init.body);
  }
  req.push(null);
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: Record<string, string> = {};
    const res = {
      writeHead(code: number, written: Record<string, string | number>) {
        status = code;
        headers = Object.fromEntries(
          Object.entries(written).map(([k, v]) => [k, String(v)]),
        );
      },
      end: (body: string) => resolve(new Response(body, {status, headers})),
      destroy: () => reject(new Error('the adapter destroyed the response')),
    } as unknown as ServerResponse;
    void toNodeListener(handler)(req, res);
  });
}

export async function post(
  handler: FetchHandler,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await send(handler, path, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* checked by the caller */
  }
  return {status: response.status, headers: response.headers, json, text};
}

// The OpenAPI description is the contract: every answer a test sees is checked against it.
const openapi = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
// ajv is CommonJS; require() gives its class without default-export guesswork.
const {default: Ajv2020} = createRequire(import.meta.url)(
  'ajv/dist/2020.js',
) as typeof import('ajv/dist/2020.js');
const ajv = new Ajv2020({strict: false, allErrors: true});
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /T/.test(s));
ajv.addSchema(openapi, 'openapi');

/**
 * Throws unless `answer` is what docs/openapi.json says `path` answers with
 * that status: status, media type and body. `path` is a template
 * (`/codes/{requestId}`) or a concrete path (`/authenticator/enrollments/ab12/confirm`);
 * without `method`, its POST (the status read is the one GET).
 */
export function assertConforms(
  path: string,
  answer: {status: number; headers: Headers; json: unknown},
  method?: string,
) {
  const template = Object.keys(openapi.paths).find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  const operations = template ? openapi.paths[template] : undefined;
  const operation = method
    ? operations?.[method.toLowerCase()]
    : (operations?.post ?? operations?.get);
  if (!operation) throw new Error(`docs/openapi.json has no ${method ?? 'POST'} ${path}`);
  const name = `${method ?? ''} ${template}`.trim();
  let spec = operation.responses[String(answer.status)];
  if (!spec) throw new Error(`${name} does not document status ${answer.status}`);
  if (spec.$ref) spec = openapi.components.responses[spec.$ref.split('/').pop()];
  const [type, media] = Object.entries(
    spec.content as Record<string, {schema: {$ref: string}}>,
  )[0];
  const contentType = answer.headers.get('content-type') ?? '';
  if (!contentType.startsWith(type))
    throw new Error(`expected ${type}, got ${contentType}`);
  const validate = ajv.getSchema(`openapi${media.schema.$ref}`)!;
  if (!validate(answer.json)) {
    throw new Error(
      `${name} ${answer.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(answer.json)}`,
    );
  }
}

export const issueBody = (user = 'alice', extra: Record<string, unknown> = {}) => ({
  user,
  client: 'web',
  lifetime: 300,
  stepName: 'login',
  sourceStep: 'get-user-info',
  length: 6,
  alphabet: 'numeric',
  ...extra,
});

/** A code of the same shape that is not `code`. */
export const wrongCode = (code: string) =>
  code.replace(/^./, (c) => String((Number(c) + 1) % 10));

export type Ctx = ReturnType<typeof setup>;

/** Each request names its source address in a header only the tests read. */
export const byTestAddress = {
  clientAddress: (request: Request) =>
    request.headers.get('x-test-address') ?? '198.51.100.1',
};

/** Asks for a code, checking the answer against docs/openapi.json. */
export async function issue(ctx: Ctx, user = 'alice', extra = {}, headers = {}) {
  const answer = await post(ctx.handler, '/otp/codes', issueBody(user, extra), headers);
  assertConforms('/codes', answer);
  return answer;
}

/** Confirms a code, checking the answer against docs/openapi.json. */
export async function confirm(ctx: Ctx, requestId: unknown, code: string, headers = {}) {
  const answer = await post(
    ctx.handler,
    `/otp/codes/${requestId}/confirm`,
    {code},
    headers,
  );
  assertConforms('/codes/{requestId}/confirm', answer);
  return answer;
}

/** The most events that fall in any span of `spanMs` (times in order). */
export function mostInAnySpan(times: number[], spanMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= spanMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
