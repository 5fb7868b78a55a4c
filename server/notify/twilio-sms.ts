/**
 * SMS through Twilio Programmable Messaging, by its documented REST call
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 *
 * Why not the `twilio` SDK: sending a code is one form POST with Basic auth,
 * which `fetch` does in a few lines; the SDK is megabytes of every Twilio
 * product and would be one more optional peer to install for that POST.
 */
import {
  OtpDeliveryError,
  type OtpChannel,
  type OtpMessageInput,
  type OtpRenderedMessage,
} from './types.js';

export interface TwilioSmsChannelOptions {
  /** `AC` and 32 hex digits, from the Twilio Console. */
  accountSid: string;
  authToken: string;
  /** A Twilio number in E.164 or an alphanumeric sender id; or give `messagingServiceSid`. */
  from?: string;
  /** `MG` and 32 hex digits; Twilio picks the sender from the service's pool. */
  messagingServiceSid?: string;
  /** The API's origin, for Twilio's regional endpoints and for tests. */
  endpoint?: string;
  fetch?: typeof globalThis.fetch;
  /** Twilio POSTs the message's status changes here. */
  statusCallback?: string;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
// Twilio's glossary: at most 11 characters, ASCII letters, digits and spaces, not digits only.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
/** The Messages resource's limit on Body. */
export const TWILIO_MAX_BODY = 1600;

/**
 * Twilio error codes that no retry can fix, with our own words for them:
 * Twilio's `message` may quote the number ("The 'To' number +1… is not a
 * valid phone number"), so it never reaches our errors.
 */
const PERMANENT_CODES: Record<number, string> = {
  20003: 'authentication failed: check accountSid and authToken',
  21211: "the 'To' number is not a valid phone number",
  21408: 'sending to this region is not enabled in the Geo Permissions of the account',
  21610: 'the recipient has unsubscribed (replied STOP) from this sender',
  21614: "the 'To' number is not a mobile number",
};

export function twilioSmsChannel(options: TwilioSmsChannelOptions): OtpChannel {
  const {accountSid, authToken, from, messagingServiceSid, statusCallback} = options;
  if (typeof accountSid !== 'string' || !ACCOUNT_SID.test(accountSid))
    throw new TypeError(
      'twilioSmsChannel: accountSid must be "AC" followed by 32 hex digits (the Account SID from the Twilio Console)',
    );
  if (typeof authToken !== 'string' || authToken === '')
    throw new TypeError('twilioSmsChannel: authToken must be a non-empty string');
  if ((from === undefined) === (messagingServiceSid === undefined))
    throw new TypeError(
      'twilioSmsChannel: give exactly one of from (a Twilio number or sender id) and messagingServiceSid',
    );
  if (
    from !== undefined &&
    (typeof from !== 'string' || !(E164.test(from) || ALPHANUMERIC_SENDER.test(from)))
  )
    throw new TypeError(
      'twilioSmsChannel: from must be a phone number in E.164 (+15017122661) or an alphanumeric sender id of at most 11 letters, digits and spaces',
    );
  if (
    messagingServiceSid !== undefined &&
    (typeof messagingServiceSid !== 'string' || !SERVICE_SID.test(messagingServiceSid))
  )
    throw new TypeError(
      'twilioSmsChannel: messagingServiceSid must be "MG" followed by 32 hex digits',
    );
  const origin = parseOrigin(options.endpoint ?? 'https://api.twilio.com');
  if (statusCallback !== undefined) parseOrigin(statusCallback, 'statusCallback');
  const doFetch = options.fetch ?? globalThis.fetch;
  const url = `${origin}/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  return {
    channel: 'sms',
    provider: 'twilio',
    async send(
      message: OtpRenderedMessage,
      notification: OtpMessageInput,
      signal: AbortSignal,
    ): Promise<void> {
      const to = notification.to.phone;
      if (!to || !E164.test(to))
        throw new OtpDeliveryError(
          `twilio: the notification for ${notification.destinationHint || 'this user'} has no phone number in E.164`,
          {permanent: true},
        );
      if (message.text.length > TWILIO_MAX_BODY)
        throw new OtpDeliveryError(
          `twilio: the message has ${message.text.length} characters, more than Twilio's ${TWILIO_MAX_BODY}; shorten the sms template`,
          {permanent: true},
        );
      const form = new URLSearchParams({To: to, Body: message.text});
      if (from !== undefined) form.set('From', from);
      else form.set('MessagingServiceSid', messagingServiceSid as string);
      if (statusCallback !== undefined) form.set('StatusCallback', statusCallback);

      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
          signal,
        });
      } catch (error) {
        // A refused connection, a reset, DNS, a timeout: worth another try.
        throw new OtpDeliveryError(
          `twilio: could not reach ${origin}: ${describe(error)}`,
          {
            permanent: false,
          },
        );
      }
      const text = await response.text().catch(() => '');
      if (response.status === 201 || response.status === 200) return;
      throw classifyTwilioError(response.status, text);
    },
    /** Fetches the Account resource: the cheapest call that proves the SID and token. */
    async verify(): Promise<void> {
      let response: Response;
      try {
        response = await doFetch(`${origin}/2010-04-01/Accounts/${accountSid}.json`, {
          headers: {authorization, accept: 'application/json'},
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        throw new OtpDeliveryError(
          `twilio: could not reach ${origin}: ${describe(error)}`,
          {
            permanent: false,
          },
        );
      }
      const text = await response.text().catch(() => '');
      if (response.status !== 200) throw classifyTwilioError(response.status, text);
    },
  };
}

/** Maps Twilio's answer `{code, message, more_info, status}` to a permanent or transient error. */
export function classifyTwilioError(status: number, body: string): OtpDeliveryError {
  let code: number | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && 'code' in parsed) {
      const value = (parsed as {code: unknown}).code;
      if (typeof value === 'number' && Number.isInteger(value)) code = value;
    }
  } catch {
    // Not JSON (a proxy's HTML page): classified by the status alone.
  }
  const named = code === undefined ? undefined : PERMANENT_CODES[code];
  const where =
    code === undefined
      ? `HTTP ${status}`
      : `error ${code} (https://www.twilio.com/docs/errors/${code}), HTTP ${status}`;
  if (status === 401 || named)
    return new OtpDeliveryError(
      `twilio refused the message: ${named ?? PERMANENT_CODES[20003]}; ${where}`,
      {permanent: true},
    );
  if (status === 429 || code === 20429 || status >= 500)
    return new OtpDeliveryError(`twilio is busy or failing, will retry: ${where}`, {
      permanent: false,
    });
  // Any other 4xx says the request itself is wrong (a From the account does not
  // own, a trial account's unverified number): the same request would fail again.
  if (status >= 400)
    return new OtpDeliveryError(`twilio refused the message: ${where}`, {
      permanent: true,
    });
  return new OtpDeliveryError(`twilio answered an unexpected ${where}`, {
    permanent: false,
  });
}

function parseOrigin(value: string, option = 'endpoint'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`twilioSmsChannel: ${option} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`twilioSmsChannel: ${option} must be an http(s) URL`);
  return option === 'endpoint' ? url.origin : url.href;
}

/** A network error's name and code only; its message could carry anything the peer sent. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = error.cause as {code?: unknown} | undefined;
  const code = typeof cause?.code === 'string' ? ` ${cause.code}` : '';
  return `${error.name}${code}`;
}
