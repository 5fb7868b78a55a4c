import type {IncomingMessage, ServerResponse} from 'node:http';
import {Readable} from 'node:stream';
import {isOtpRoute} from './otp-handler.js';

type NodeRequest = IncomingMessage & {body?: unknown};
type Next = (error?: unknown) => void;

/**
 * Mounts a web-standard handler on Node's HTTP server, or as Express or Connect
 * middleware (`app.use('/otp', toNodeListener(handler))`). As middleware, paths
 * that are not the handler's go on to `next`.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>) {
  return async (req: NodeRequest, res: ServerResponse, next?: Next): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      if (next && !isOtpRoute(url.pathname)) return next();
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
      const request = new Request(url, {
        method: req.method,
        headers,
        body: !hasBody
          ? undefined
          : parsed
            ? JSON.stringify(req.body)
            : (Readable.toWeb(req) as ReadableStream),
        duplex: 'half',
      } as RequestInit);
      const response = await handler(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      if (next) return next(error);
      res.writeHead(500).end();
    }
  };
}
