import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Readiness} from './readiness.js';

/** The probe paths, which the request log leaves out (a probe every second would drown it). */
export const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Answers the probes, if `path` is one: `GET /healthz`, liveness, is 200 while
 * the process serves at all (a restart would not help a down Redis, so it
 * reads nothing); `GET /readyz` is 200 while the service should get traffic
 * and 503 with the reasons while it should not (see readiness.ts). Returns
 * false for any other request.
 */
export function answerProbe(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  readiness: Readiness,
): boolean {
  if (!PROBE_PATHS.has(path) || (req.method !== 'GET' && req.method !== 'HEAD'))
    return false;
  let status = 200;
  let body: object = {status: 'ok'};
  if (path === '/readyz') {
    const {ready, reasons} = readiness.state();
    status = ready ? 200 : 503;
    body = ready
      ? {status: 'ready'}
      : {status: reasons.includes('draining') ? 'draining' : 'unavailable', reasons};
  }
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  return true;
}
