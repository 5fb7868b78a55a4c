import type {IncomingMessage, ServerResponse} from 'node:http';
import {Readable} from 'node:stream';
import {
  OtpAnswer,
  type BodyLimits,
  type OtpEndpoint,
  type OtpRequest,
  type RequestBody,
} from './exchange.js';
import {toFetchResponse} from './fetch-adapter.js';
import {methodNotAllowed, problem} from './problem.js';
import {isOtpRoute} from './routes.js';

export type {BodyLimits} from './exchange.js';

/** What Express or Connect may have left on the request: the body a parser read. */
type NodeRequest = IncomingMessage & {body?: unknown};
type Next = (error?: unknown) => void;
type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Mounts a handler on Node's HTTP server, or as Express or Connect middleware
 * (`app.use('/otp', toNodeListener(handler))`). As middleware, paths that are
 * not the handler's go on to `next`. The reference handler (`createOtpHandler`)
 * runs on Node's own request and response, with no web `Request`, `Response`
 * or stream in between; any other `(Request) => Promise<Response>` handler is
 * given a web `Request` made from Node's. Every answer on the handler's paths is
 * problem+json, and the socket's address goes with the request for the
 * per-address limit.
 */
export function toNodeListener(handler: FetchHandler | (FetchHandler & OtpEndpoint)) {
  const endpoint = 'answer' in handler ? handler : undefined;
  return async (req: NodeRequest, res: ServerResponse, next?: Next): Promise<void> => {
    const handles = endpoint?.handles ?? isOtpRoute;
    if (next && !handles((req.url ?? '/').split('?')[0])) return next();
    try {
      if (!endpoint) return await sendResponse(res, await viaFetch(handler, req));
      const request = fromNodeRequest(req);
      writeAnswer(
        res,
        request instanceof OtpAnswer ? request : await endpoint.answer(request),
      );
    } catch {
      // The handler answers its own failures; this is the adapter's (a header a web `Request` refuses, say).
      writeAnswer(
        res,
        problem(500, 'internal-error', 'The server could not handle the request.'),
      );
    }
  };
}

/**
 * Node's request as the core reads it, or the answer that refuses it (a Host
 * header no URL can be made with). The path is the one a web `Request` would
 * have (dot segments resolved), so both adapters route alike.
 */
export function fromNodeRequest(req: NodeRequest): OtpRequest | OtpAnswer {
  const url = requestUrl(req);
  if (url instanceof OtpAnswer) return url;
  const method = req.method ?? 'GET';
  // A body parser such as express.json() may have read the stream already.
  const parsed = req.readableEnded && req.body !== undefined;
  let web: Request | undefined;
  return {
    method,
    path: url.pathname,
    socketAddress: req.socket.remoteAddress,
    header(name) {
      if (parsed && name === 'content-length') return undefined;
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body(limits) {
      if (method === 'GET' || method === 'HEAD')
        return Promise.resolve({bytes: new Uint8Array()});
      if (parsed) return Promise.resolve({bytes: Buffer.from(JSON.stringify(req.body))});
      return readNodeBody(req, limits);
    },
    web: () => (web ??= new Request(url, {method, headers: webHeaders(req)})),
  };
}

/** Writes the core's answer to Node's response; never throws. */
export function writeAnswer(res: ServerResponse, answer: OtpAnswer): void {
  try {
    const headers: Record<string, string | number> = {
      ...answer.headers,
      'content-length': Buffer.byteLength(answer.body),
    };
    // A body that was cut off (too slow, too large) may still be arriving: close the connection.
    if (answer.status === 408 || answer.status === 413) headers.connection = 'close';
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  } catch {
    // Headers already sent or the socket gone: nothing can be answered.
    res.destroy();
  }
}

/**
 * Reads a request body from Node's stream within the limits: the bytes, or that
 * it grew too large or came too slowly (the handler answers 413 or 408 for it).
 */
export function readNodeBody(
  req: IncomingMessage,
  limits: BodyLimits,
): Promise<RequestBody> {
  if (Number(req.headers['content-length'] ?? 0) > limits.maxBytes)
    return Promise.resolve({tooLarge: true});
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: RequestBody) => {
      clearTimeout(timer);
      req.off('data', take).off('end', end).off('error', stop);
      resolve(body);
    };
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish({tooLarge: true});
      else chunks.push(chunk);
    };
    const end = () =>
      finish({bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)});
    // A client gone mid-body gets no answer it could read; the handler stops as on a timeout.
    const stop = () => finish({timedOut: true});
    const timer = setTimeout(stop, limits.timeoutMs);
    req.on('data', take).on('end', end).on('error', stop);
  });
}

/** The request's URL, or the answer that refuses a Host header no URL can be made with. */
function requestUrl(req: IncomingMessage): URL | OtpAnswer {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    return problem(400, 'invalid-request', 'The Host header is not valid.');
  }
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
      headers.append(name, one);
  return headers;
}

/** Methods a web `Request` refuses to be made with (and we would refuse anyway). */
const FORBIDDEN_METHODS = /^(?:CONNECT|TRACE|TRACK)$/i;

/** Runs a handler of another kind, `(Request) => Promise<Response>`, on Node's request. */
async function viaFetch(handler: FetchHandler, req: NodeRequest): Promise<Response> {
  const url = requestUrl(req);
  if (url instanceof OtpAnswer) return toFetchResponse(url);
  const method = req.method ?? 'GET';
  if (FORBIDDEN_METHODS.test(method)) return toFetchResponse(methodNotAllowed());
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const parsed = req.readableEnded && req.body !== undefined;
  const headers = webHeaders(req);
  if (parsed) headers.delete('content-length');
  return handler(
    new Request(url, {
      method,
      headers,
      body: !hasBody
        ? undefined
        : parsed
          ? JSON.stringify(req.body)
          : (Readable.toWeb(req) as ReadableStream),
      duplex: 'half',
    } as RequestInit),
  );
}

/** Writes a web `Response` to Node's response; never throws. */
async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  try {
    const headers = Object.fromEntries(response.headers);
    if (response.status === 408 || response.status === 413) headers.connection = 'close';
    res.writeHead(response.status, headers);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch {
    res.destroy();
  }
}
