import {SIGNATURE_HEADER, signWebhook} from '../webhook-signature.js';
import type {JsonLogger} from './json-logger.js';
import type {OtpEventType} from '../events/lifecycle.js';

/** How one webhook is retried. */
export interface RetryPolicy {
  tries: number;
  /** Wait before the second try; doubled before each further one. */
  firstDelayMs: number;
  /** Longest one try may take before it counts as a network failure. */
  timeoutMs: number;
}

/**
 * Notify: the issuing request waits for it, so 4 tries in at most about 7 s
 * (1.5 s each, waits of 0.2, 0.4 and 0.8 s), inside the element's own timeout.
 */
export const NOTIFY_RETRIES: RetryPolicy = {tries: 4, firstDelayMs: 200, timeoutMs: 1500};

/** Confirmed: only the first try is waited for (see confirmedWebhook), so the rest may take a minute. */
export const CONFIRMED_RETRIES: RetryPolicy = {
  tries: 6,
  firstDelayMs: 1000,
  timeoutMs: 5000,
};

/** What a webhook's signed body names in `event`: a notification, a confirmation, or a lifecycle event. */
export type WebhookEvent = 'notify' | 'confirmed' | OtpEventType;

export interface WebhookTarget {
  url: string;
  secret: string;
  event: WebhookEvent;
  logger: JsonLogger;
  retries: RetryPolicy;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Worth another try: the receiver may be restarting or shedding load. */
const retryable = (status: number) => status >= 500 || status === 429;

/**
 * A signed JSON POST to the app, retried with exponential back-off on network
 * errors, timeouts, 5xx and 429; any other refusal (4xx, a redirect) is final.
 * Resolves once the app answered 2xx and throws when every try failed. What is
 * logged is the event, the URL's host, the attempt and the status, never the
 * body: a notify body holds the code.
 */
export function webhookSender(target: WebhookTarget) {
  const {url, secret, event, logger, retries, sleep = wait} = target;
  const host = new URL(url).host;
  return async (payload: object): Promise<void> => {
    // The event is in the signed body, so a notify body cannot pass for a confirmation.
    const body = JSON.stringify({event, ...payload});
    let failure = '';
    for (let attempt = 1; attempt <= retries.tries; attempt++) {
      if (attempt > 1) await sleep(retries.firstDelayMs * 2 ** (attempt - 2));
      let status: number | undefined;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(body, secret),
          },
          body,
          // A redirect could carry a code to another host: refused, not followed.
          redirect: 'manual',
          signal: AbortSignal.timeout(retries.timeoutMs),
        });
        status = response.status;
        await response.body?.cancel();
      } catch (error) {
        failure = error instanceof Error ? error.name : 'Error';
      }
      const fields = {event, host, attempt, status, error: status ? undefined : failure};
      if (status !== undefined && status >= 200 && status < 300) {
        logger.log('info', 'webhook delivered', fields);
        return;
      }
      logger.log('warn', 'webhook failed', fields);
      if (status !== undefined) failure = `status ${status}`;
      if (status !== undefined && !retryable(status)) break;
    }
    throw new Error(`the ${event} webhook to ${host} failed (${failure})`);
  };
}
