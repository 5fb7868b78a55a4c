import {SIGNATURE_HEADER, signWebhook} from '../webhook-signature.js';
import {OtpDeliveryError, type OtpChannel, type OtpChannelName} from './types.js';

/** The options of `webhookChannel`. */
export interface WebhookChannelOptions {
  url: string;
  secret: string | Uint8Array;
  channel: OtpChannelName;
  fetch?: typeof fetch;
}

/**
 * The app's signed notify webhook as a channel: a JSON POST of the
 * notification and the rendered message, signed with `Otp-Step-Signature`
 * (see server/webhook-signature.ts), for an app that sends through a provider
 * of its own. 4xx other than 408 and 429 is final; 5xx, 408, 429 and network
 * failures are retried by the notifier.
 */
export function webhookChannel(options: WebhookChannelOptions): OtpChannel {
  if (!options || typeof options.url !== 'string' || !/^https?:\/\//i.test(options.url))
    throw new TypeError('webhookChannel: `url` must be an http(s) URL');
  if (!options.secret || options.secret.length === 0)
    throw new TypeError('webhookChannel: `secret` must not be empty');
  if (options.channel !== 'email' && options.channel !== 'sms')
    throw new TypeError("webhookChannel: `channel` must be 'email' or 'sms'");
  const {url, secret, channel, fetch: fetcher = fetch} = options;
  return {
    channel,
    provider: 'webhook',
    async send(message, n, signal) {
      const body = JSON.stringify({
        event: 'notify',
        user: n.user,
        client: n.client,
        code: n.code,
        expiresAt: n.expiresAt.toISOString(),
        requestId: n.requestId,
        channel: n.channel,
        to: n.to,
        language: n.language,
        destinationHint: n.destinationHint,
        message,
      });
      let response: Response;
      try {
        response = await fetcher(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhook(body, secret),
          },
          body,
          // A redirect could carry the code to another host: refused, not followed.
          redirect: 'manual',
          signal,
        });
      } catch (error) {
        throw new OtpDeliveryError(
          `webhook: ${error instanceof Error ? error.name : 'network error'}`,
          {permanent: false, cause: error},
        );
      }
      await response.body?.cancel();
      const {status} = response;
      if (status >= 200 && status < 300) return;
      const permanent = status >= 300 && status < 500 && status !== 408 && status !== 429;
      throw new OtpDeliveryError(`webhook: HTTP ${status}`, {permanent});
    },
  };
}
