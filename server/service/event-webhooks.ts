import type {OtpEvent, OtpEventType} from '../events/lifecycle.js';
import type {JsonLogger} from './json-logger.js';
import {webhookSender, type RetryPolicy} from './webhooks.js';

/**
 * No request waits for an event, so its tries may take a minute or so: 6
 * tries, waits of 1, 2, 4, 8 and 16 s. A receiver that answers late gets the
 * event again: it de-duplicates by the event's `id`.
 */
export const EVENT_RETRIES: RetryPolicy = {tries: 6, firstDelayMs: 1000, timeoutMs: 5000};

/**
 * The handler's `onEvent` for the side service: each event of a listed type
 * posted on its own to OTP_EVENTS_URL, signed with OTP_WEBHOOK_SECRET as the
 * notify and confirmed webhooks are (`event` in the signed body names the
 * type). Resolves once delivered or given up (logged), so the handler's
 * `idle()`, and with it a shutdown, waits for events on their way.
 */
export function eventWebhooks(
  url: string,
  secret: string,
  types: readonly OtpEventType[],
  logger: JsonLogger,
  retries: RetryPolicy = EVENT_RETRIES,
): (event: OtpEvent) => Promise<void> {
  const senders = new Map(
    types.map((type) => [
      type,
      webhookSender({url, secret, event: type, logger, retries}),
    ]),
  );
  return async (event) => {
    const send = senders.get(event.event);
    if (!send) return;
    await send({...event}).catch((error: Error) =>
      logger.log('error', 'event webhook given up', {
        event: event.event,
        id: event.id,
        reason: error.message,
      }),
    );
  };
}
