#!/usr/bin/env node
/**
 * `npx otp-step-server`: the reference server as a side service for apps in
 * any language, configured by environment (docs/deployment.md lists it).
 */
import {readFileSync} from 'node:fs';
import {loadTemplates} from '../notify/load-templates.js';
import {memoryOtpStore} from '../store.js';
import {serviceConfig} from './config.js';
import {jsonLogger} from './json-logger.js';
import {metricsListener, prometheusRegistry} from './metrics-listener.js';
import {loadOptionalPackage} from './optional-package.js';
import {createService, type ServiceStore} from './service.js';

const logger = jsonLogger();

async function main() {
  const config = serviceConfig(process.env, (path) => readFileSync(path, 'utf8'));
  // Only a service given Redis loads the Redis client (an optional peer dependency).
  const store: ServiceStore = config.redisUrl
    ? (
        await loadOptionalPackage(
          'ioredis',
          'OTP_REDIS_URL',
          () => import('../redis-store.js'),
        )
      ).redisOtpStore({url: config.redisUrl})
    : memoryOtpStore();
  let service: ReturnType<typeof createService>;
  let metrics: ReturnType<typeof metricsListener> | undefined;
  try {
    // Template overrides are read once, before anything listens: a bad one stops the start-up.
    const templates = config.delivery?.templatesDir
      ? await loadTemplates(config.delivery.templatesDir)
      : undefined;
    const registry =
      config.metricsPort === undefined ? undefined : await prometheusRegistry();
    service = createService(config, store, logger, {templates, metrics: registry});
    if (registry) {
      metrics = metricsListener(registry, service.readiness);
      const at = await metrics.listen(config.metricsPort!, config.metricsHost);
      logger.log('info', 'metrics listening', {host: at.address, port: at.port});
    }
  } catch (error) {
    await metrics?.close();
    await store.close?.();
    throw error;
  }
  const address = await service.listen(config.port, config.host);
  logger.log('info', 'listening', {
    host: address.address,
    port: address.port,
    store: config.redisUrl ? 'redis' : 'memory',
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', {signal});
    await service.close();
    // Last, so a scrape during the drain still sees it (and the final counts).
    await metrics?.close();
    logger.log('info', 'stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // One line a person reads at start-up: the setting to fix, not a stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`otp-step-server: ${message.replace(/^otp-step: /, '')}\n`);
  process.exit(1);
});
