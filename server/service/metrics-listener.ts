import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {answerProbe} from './health-routes.js';
import {loadOptionalPackage} from './optional-package.js';
import type {Readiness} from './readiness.js';

/** What the listener needs of a prom-client Registry. */
interface Registry {
  metrics(): Promise<string>;
  contentType: string;
}

/**
 * A prom-client Registry for OTP_METRICS_PORT, with prom-client's default
 * process metrics (CPU, memory, event-loop lag, open file descriptors) beside
 * the handler's, so one scrape tells whether the process itself is the problem.
 */
export async function prometheusRegistry() {
  const prom = await loadOptionalPackage(
    'prom-client',
    'OTP_METRICS_PORT',
    () => import('prom-client'),
  );
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({register: registry});
  return registry;
}

/**
 * The operator's listener, on a port of its own so the public one never
 * serves the metrics: `GET /metrics` in the Prometheus text format, and the
 * same `/healthz` and `/readyz` as the public port (so probes may stay
 * inside the cluster too). It stays up through a shutdown's drain, so the
 * last scrape and the `draining` readiness can still be read.
 */
export function metricsListener(registry: Registry, readiness: Readiness) {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (answerProbe(req, res, path, readiness)) return;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, {'content-type': 'text/plain'}).end('not found\n');
      return;
    }
    try {
      const text = await registry.metrics();
      res.writeHead(200, {
        'content-type': registry.contentType,
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : text);
    } catch (error) {
      // A collector that throws must not take the listener down: the scrape fails, visibly (up == 0).
      res.writeHead(500, {'content-type': 'text/plain'});
      res.end(`metrics failed: ${(error as Error).message}\n`);
    }
  });
  return {
    listen(port: number, host: string): Promise<AddressInfo> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
