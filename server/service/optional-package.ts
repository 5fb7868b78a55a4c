import {ConfigError} from './config-error.js';

/**
 * Loads a package the service needs only for some settings (ioredis for
 * OTP_REDIS_URL, prom-client for OTP_METRICS_PORT). They are optional peer
 * dependencies, so `npx otp-step-server` outside a project that has them
 * would fail with Node's raw "Cannot find package"; this says instead, in the
 * one line the service prints at start, what to install.
 */
export async function loadOptionalPackage<T>(
  name: string,
  setting: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing =
      (error as {code?: string}).code === 'ERR_MODULE_NOT_FOUND' &&
      String((error as Error).message).includes(`'${name}'`);
    if (!missing) throw error;
    throw new ConfigError(
      `${setting} needs the ${name} package, which is not installed: run npm install ${name} beside otp-step, or start with npx --package otp-step --package ${name} otp-step-server`,
    );
  }
}
