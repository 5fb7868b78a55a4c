import type {OtpLogger} from '../log-safe.js';
import {checkSmsOptions, checkTemplates, renderOtpMessage} from './render.js';
import type {OtpTemplates} from './templates.js';
import {
  OtpDeliveryError,
  type OtpChannel,
  type OtpChannelName,
  type OtpMessageInput,
  type OtpNotifier,
} from './types.js';

/** The options of `createNotifier`. */
export interface OtpNotifierOptions {
  /** The providers, in order of preference; several for one kind are tried in turn. */
  channels: OtpChannel[];
  templates?: OtpTemplates;
  appName?: string;
  webOtpDomain?: string;
  androidAppHash?: string;
  logger?: OtpLogger;
  /** Longest one try may take, in ms (default 10 000). */
  attemptTimeoutMs?: number;
  /** First wait before a retry, doubled each time up to `maxBackoffMs` (defaults 500 and 4 000). */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** 0 ≤ x < 1, for the jitter; Math.random by default. */
  random?: () => number;
}

const sleepFor = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, {once: true});
  });

/** The error's kind only: a provider's message may quote the address. */
const describe = (error: unknown) =>
  error instanceof OtpDeliveryError
    ? error.message
    : error instanceof Error
      ? error.name
      : 'Error';

/**
 * Sends codes through `channels`, from templates. For each notification the
 * providers of its channel are tried in order; after a transient failure the
 * next one is tried at once, and when all failed they are tried again after
 * an exponential, jittered wait, until the deadline. A permanent failure
 * (OtpDeliveryError with `permanent`) takes a provider out for that message.
 * Throws at creation for bad options, naming the option. Pass the result as
 * `createOtpHandler`'s `notify`.
 */
export function createNotifier(options: OtpNotifierOptions): OtpNotifier {
  if (!options || !Array.isArray(options.channels) || options.channels.length === 0)
    throw new TypeError('createNotifier: `channels` must list at least one channel');
  options.channels.forEach((c, i) => {
    if (
      !c ||
      (c.channel !== 'email' && c.channel !== 'sms') ||
      typeof c.send !== 'function'
    )
      throw new TypeError(
        `createNotifier: channels[${i}] is not a channel (expected {channel: 'email' | 'sms', provider, send})`,
      );
  });
  checkTemplates(options.templates);
  checkSmsOptions(options);
  if (
    options.appName !== undefined &&
    (typeof options.appName !== 'string' || !options.appName.trim())
  )
    throw new TypeError('createNotifier: `appName` must be a non-empty string');
  const {
    channels,
    logger = console,
    attemptTimeoutMs = 10_000,
    firstBackoffMs = 500,
    maxBackoffMs = 4_000,
    now = Date.now,
    sleep = sleepFor,
    random = Math.random,
  } = options;
  const names = [...new Set(channels.map((c) => c.channel))] as OtpChannelName[];

  /** One try through one provider: ok, or why not and whether trying again could help. */
  async function attempt(
    provider: OtpChannel,
    notification: OtpMessageInput,
    deadline: number,
    signal: AbortSignal,
    round: number,
  ): Promise<{ok: true} | {ok: false; permanent: boolean; reason: string}> {
    const message = renderOtpMessage(notification.channel, notification, {
      ...options,
      now,
    });
    const where = `${notification.channel} via ${provider.provider} to ${notification.destinationHint} (try ${round})`;
    // Not AbortSignal.timeout: its timer is unref'd, so a provider that never
    // answers would leave nothing keeping a short-lived process alive to time it out.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('timed out', 'TimeoutError')),
      Math.ceil(Math.max(1, Math.min(attemptTimeoutMs, deadline - now()))),
    );
    try {
      await provider.send(
        message,
        notification,
        AbortSignal.any([signal, timeout.signal]),
      );
      logger.info(`otp-step: sent ${where}`);
      return {ok: true};
    } catch (error) {
      const reason =
        timeout.signal.aborted && !signal.aborted ? 'timed out' : describe(error);
      const permanent = error instanceof OtpDeliveryError && error.permanent;
      logger.warn(
        `otp-step: ${permanent ? 'permanent' : 'transient'} failure sending ${where}: ${reason}`,
      );
      return {ok: false, permanent, reason};
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Rounds over the providers of one kind: each round tries every provider
   * still in play once, in order, so a provider that is down (transient) does
   * not keep the others waiting; a permanent refusal takes a provider out.
   * Between rounds the wait grows (exponential back-off with jitter), until
   * the deadline.
   */
  async function send(
    providers: OtpChannel[],
    notification: OtpMessageInput,
    deadline: number,
    signal: AbortSignal,
  ): Promise<{provider: string} | {failures: Map<string, string>; permanent: boolean}> {
    const failures = new Map<string, string>();
    let live = providers;
    for (let round = 1; ; round++) {
      const next: OtpChannel[] = [];
      for (const provider of live) {
        if (signal.aborted)
          return {failures: failures.set(provider.provider, 'aborted'), permanent: true};
        if (now() >= deadline) return {failures, permanent: false};
        const outcome = await attempt(provider, notification, deadline, signal, round);
        if (outcome.ok) return {provider: provider.provider};
        failures.set(provider.provider, outcome.reason);
        if (!outcome.permanent) next.push(provider);
      }
      live = next;
      if (live.length === 0) return {failures, permanent: true};
      const backoff = Math.min(maxBackoffMs, firstBackoffMs * 2 ** (round - 1));
      // Half fixed, half random: spreads the retries of many codes after one outage.
      const wait = Math.round(backoff / 2 + random() * (backoff / 2));
      if (now() + wait >= deadline) return {failures, permanent: false};
      try {
        await sleep(wait, signal);
      } catch {
        return {failures, permanent: true};
      }
    }
  }

  return {
    kind: 'otp-notifier',
    channels: names,
    async deliver(notification, {deadline, signal}) {
      const providers = channels.filter((c) => c.channel === notification.channel);
      if (providers.length === 0)
        throw new OtpDeliveryError(`no ${notification.channel} channel is configured`, {
          permanent: true,
        });
      const outcome = await send(providers, notification, deadline, signal);
      if ('provider' in outcome) return outcome;
      const summary = [...outcome.failures]
        .map(([p, reason]) => `${p}: ${reason}`)
        .join('; ');
      const permanent = outcome.permanent;
      logger.error(
        `otp-step: could not send ${notification.channel} to ${notification.destinationHint} (${summary})`,
      );
      throw new OtpDeliveryError(
        `could not send the ${notification.channel} message (${summary || 'no time left'})`,
        {permanent},
      );
    },
    async verify() {
      const failed = await Promise.all(
        channels.map(async (c) => {
          if (!c.verify) return undefined;
          try {
            await c.verify();
            logger.info(`otp-step: ${c.channel} channel ${c.provider} is ready`);
            return undefined;
          } catch (error) {
            logger.error(
              `otp-step: ${c.channel} channel ${c.provider} failed its check: ${describe(error)}`,
            );
            return `${c.channel} ${c.provider}`;
          }
        }),
      );
      return failed.filter((name) => name !== undefined);
    },
    async close() {
      await Promise.allSettled(channels.map((c) => c.close?.()));
    },
  };
}
