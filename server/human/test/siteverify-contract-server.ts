/**
 * Loopback stand-ins for the three siteverify APIs, for tests: CI cannot reach
 * Cloudflare, hCaptcha or Google, so each server takes a request only as its
 * provider documents it and answers as the provider does:
 * - Turnstile, https://developers.cloudflare.com/turnstile/get-started/server-side-validation/
 *   (POST /turnstile/v0/siteverify: secret, response, remoteip, idempotency_key;
 *   tokens of at most 2048 characters, single use: `timeout-or-duplicate`);
 * - hCaptcha, https://docs.hcaptcha.com/#verify-the-user-response-server-side
 *   (POST /siteverify, form-encoded only: secret, response, remoteip, sitekey;
 *   a token seen twice is `invalid-or-already-seen-response`);
 * - reCAPTCHA, https://developers.google.com/recaptcha/docs/verify
 *   (POST /recaptcha/api/siteverify: secret, response, remoteip; v3 answers
 *   carry `score` and `action`; a token seen twice is `timeout-or-duplicate`).
 * Every refusal is `{success: false, 'error-codes': [...]}` with HTTP 200, as
 * the providers answer a bad token or secret.
 */
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type Provider = 'turnstile' | 'hcaptcha' | 'recaptcha';

export type SiteverifyFault =
  | 'none'
  /** An HTML 500, as a proxy in front of the provider answers. */
  | '500'
  /** 200 with a body that is not JSON. */
  | 'bad-json'
  /** 200 with JSON that is not an object. */
  | 'json-array'
  /** Reads the request and never answers: a slow peer. */
  | 'hang';

const CONTRACT: Record<
  Provider,
  {path: string; fields: ReadonlySet<string>; duplicate: string}
> = {
  turnstile: {
    path: '/turnstile/v0/siteverify',
    fields: new Set(['secret', 'response', 'remoteip', 'idempotency_key']),
    // Turnstile also takes JSON; we send a form, and the stand-in holds us to it.
    duplicate: 'timeout-or-duplicate',
  },
  hcaptcha: {
    path: '/siteverify',
    fields: new Set(['secret', 'response', 'remoteip', 'sitekey']),
    duplicate: 'invalid-or-already-seen-response',
  },
  recaptcha: {
    path: '/recaptcha/api/siteverify',
    fields: new Set(['secret', 'response', 'remoteip']),
    duplicate: 'timeout-or-duplicate',
  },
};

export interface SiteverifyRequest {
  fields: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export interface SiteverifyContractServer {
  /** The full verify URL, to give as `endpoint`. */
  endpoint: string;
  /** Every request that kept to the contract, in order. */
  received: SiteverifyRequest[];
  /** Requests refused for breaking the contract, with the reason. */
  refused: string[];
  fault: SiteverifyFault;
  /** Makes `token` one the provider vouches for, with these extra answer fields (`score`, `action`). */
  issue(token: string, extra?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export async function startSiteverifyServer(
  provider: Provider,
  secret: string,
): Promise<SiteverifyContractServer> {
  const contract = CONTRACT[provider];
  const valid = new Map<string, Record<string, unknown>>();
  const seen = new Set<string>();
  const hanging = new Set<ServerResponse>();
  const state = {
    received: [] as SiteverifyRequest[],
    refused: [] as string[],
    fault: 'none' as SiteverifyFault,
  };

  const answer = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, {'content-type': 'application/json'});
    response.end(JSON.stringify(body));
  };
  const failure = (response: ServerResponse, ...codes: string[]) =>
    answer(response, 200, {success: false, 'error-codes': codes});
  /** A request that breaks the contract: noted for the test, and refused as the provider would. */
  const breach = (response: ServerResponse, why: string, code = 'bad-request') => {
    state.refused.push(why);
    failure(response, code);
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (state.fault === 'hang') {
      hanging.add(response);
      return;
    }
    if (request.method !== 'POST') return breach(response, `method ${request.method}`);
    if (request.url !== contract.path) return breach(response, `path ${request.url}`);
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
    if (type !== 'application/x-www-form-urlencoded')
      return breach(response, `content-type ${type || '(none)'}`);
    const params = new URLSearchParams(body);
    const fields: Record<string, string> = {};
    for (const [name, value] of params) {
      if (!contract.fields.has(name)) return breach(response, `unexpected field ${name}`);
      if (Object.hasOwn(fields, name)) return breach(response, `field ${name} twice`);
      fields[name] = value;
    }
    if (fields.remoteip !== undefined && !/^[\d.:a-f]+$/i.test(fields.remoteip))
      return breach(response, `remoteip ${fields.remoteip}`, 'invalid-remoteip');
    state.received.push({fields, headers: request.headers});

    if (state.fault === '500') {
      response.writeHead(500, {'content-type': 'text/html'});
      return response.end('<html><body>Internal Server Error</body></html>');
    }
    if (state.fault === 'bad-json') {
      response.writeHead(200, {'content-type': 'application/json'});
      return response.end('{"success": true,');
    }
    if (state.fault === 'json-array') return answer(response, 200, [{success: true}]);

    if (!fields.secret) return failure(response, 'missing-input-secret');
    if (fields.secret !== secret) return failure(response, 'invalid-input-secret');
    const token = fields.response;
    if (!token) return failure(response, 'missing-input-response');
    if (provider === 'turnstile' && token.length > 2048)
      return failure(response, 'invalid-input-response');
    const extra = valid.get(token);
    if (!extra) return failure(response, 'invalid-input-response');
    if (seen.has(token)) return failure(response, contract.duplicate);
    seen.add(token);
    return answer(response, 200, {
      success: true,
      challenge_ts: new Date().toISOString(),
      hostname: 'localhost',
      ...(provider === 'turnstile' ? {'error-codes': []} : {}),
      ...extra,
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      state.refused.push(`server error: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}${contract.path}`,
    get received() {
      return state.received;
    },
    get refused() {
      return state.refused;
    },
    get fault() {
      return state.fault;
    },
    set fault(fault) {
      state.fault = fault;
    },
    issue(token, extra = {}) {
      valid.set(token, extra);
    },
    close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
