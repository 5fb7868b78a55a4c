import type {IncomingMessage, ServerResponse} from 'node:http';
import {Readable} from 'node:stream';
import {rememberSocketAddress} from './client-address.js';
import {isOtpRoute} from './otp-handler.js';
import {
  prepareRequestBody,
  preparedResponseBody,
  type PreparedBody,
} from './prepared-body.js';
import {methodNotAllowed, problem} from './problem.js';

/** How much body a handler takes, and how long it waits for it (`OtpHandler.bodyLimits`). */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

type NodeRequest = IncomingMessage & {body?: unknown};
type Next = (error?: unknown) => void;

/** Methods a web `Request` refuses to be made with (and we would refuse anyway). */
const FORBIDDEN_METHODS = /^(?:CONNECT|TRACE|TRACK)$/i;

/**
 * Mounts a web-standard handler on Node's HTTP server, or as Express or Connect
 * middleware (`app.use('/otp', toNodeListener(handler))`). As middleware, paths
 * that are not the handler's go on to `next`. Every answer on the handler's paths
 * is problem+json, even for requests a web `Request` cannot represent, and the
 * socket's address goes with the request for the per-address limit.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>) {
  return async (req: NodeRequest, res: ServerResponse, next?: Next): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (next && !isOtpRoute(path)) return next();
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      } catch {
        return await send(
          res,
          problem(400, 'invalid-request', 'The Host header is not valid.'),
        );
      }
      if (FORBIDDEN_METHODS.test(req.method ?? ''))
        return await send(res, methodNotAllowed());
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const one of Array.isArray(value)
          ? value
          : value === undefined
            ? []
            : [value]) {
          headers.append(name, one);
        }
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      // A body parser such as express.json() may have read the stream already.
      const parsed = req.readableEnded && req.body !== undefined;
      if (parsed) headers.delete('content-length');
      // Our own handler says how much body it takes and for how long: read it here,
      // straight from Node's stream, and hand it over beside the request.
      const limits = (handler as {bodyLimits?: BodyLimits}).bodyLimits;
      const prepared =
        hasBody && parsed
          ? {bytes: Buffer.from(JSON.stringify(req.body))}
          : hasBody && limits
            ? await readNodeBody(req, limits)
            : undefined;
      const request = new Request(url, {
        method: req.method,
        headers,
        body: prepared || !hasBody ? undefined : (Readable.toWeb(req) as ReadableStream),
        duplex: 'half',
      } as RequestInit);
      if (prepared) prepareRequestBody(request, prepared);
      rememberSocketAddress(request, req.socket.remoteAddress);
      await send(res, await handler(request));
    } catch {
      // The handler answers its own failures; this is the adapter's (a header Node let through that Headers refuses, say).
      await send(
        res,
        problem(500, 'internal-error', 'The server could not handle the request.'),
      );
    }
  };
}

/** Writes a web `Response` to Node's response; never throws (see the catch). */
export async function send(res: ServerResponse, response: Response): Promise<void> {
  try {
    const headers = Object.fromEntries(response.headers);
    // A body that was cut off (too slow, too large) may still be arriving: close the connection.
    if (response.status === 408 || response.status === 413) headers.connection = 'close';
    res.writeHead(response.status, headers);
    res.end(preparedResponseBody(response) ?? Buffer.from(await response.arrayBuffer()));
  } catch {
    // Headers already sent or the socket gone: nothing can be answered; never an unhandled rejection.
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
): Promise<PreparedBody> {
  if (Number(req.headers['content-length'] ?? 0) > limits.maxBytes)
    return Promise.resolve({tooLarge: true});
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (body: PreparedBody) => {
      clearTimeout(timer);
      req.off('data', take).off('end', end).off('error', stop);
      resolve(body);
    };
    const take = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish({tooLarge: true});
      else chunks.push(chunk);
    };
    const end = () => finish({bytes: Buffer.concat(chunks, size)});
    // A client gone mid-body gets no answer it could read; the handler stops as on a timeout.
    const stop = () => finish({timedOut: true});
    const timer = setTimeout(stop, limits.timeoutMs);
    req.on('data', take).on('end', end).on('error', stop);
  });
}
