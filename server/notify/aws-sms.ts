/**
 * SMS through AWS End User Messaging SMS (the pinpoint-sms-voice-v2 API),
 * SendTextMessage. Here the official SDK is the lighter road: the call must be
 * SigV4-signed with credentials from the SDK's own provider chain (env, the
 * shared files, SSO, the instance or task role), which no hand-written call
 * could follow. It is an optional peer, imported only when this channel first sends.
 */
import type {
  PinpointSMSVoiceV2Client,
  PinpointSMSVoiceV2ClientConfig,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import {
  OtpDeliveryError,
  type OtpChannel,
  type OtpMessageInput,
  type OtpRenderedMessage,
} from './types.js';

export interface AwsSmsChannelOptions {
  /** The AWS Region the origination identity lives in, e.g. `eu-west-1`. */
  region: string;
  /** A phone number, sender id, pool, or their ARN, as SendTextMessage takes it. */
  originationIdentity: string;
  /** As the AWS SDK takes them; by default the SDK's provider chain. */
  credentials?: PinpointSMSVoiceV2ClientConfig['credentials'];
  /** The API's origin, for tests or a VPC endpoint; by default the Region's. */
  endpoint?: string;
  configurationSetName?: string;
  /** Codes are transactional; `PROMOTIONAL` only if the account is set up so. */
  messageType?: 'TRANSACTIONAL' | 'PROMOTIONAL';
}

const SDK = '@aws-sdk/client-pinpoint-sms-voice-v2';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const E164 = /^\+[1-9]\d{1,14}$/;
/** SendTextMessage's limit on MessageBody. */
export const AWS_MAX_BODY = 1600;

/**
 * Service errors no retry fixes: a bad request, missing permission, an
 * origination identity or configuration set that does not exist, a recipient
 * who opted out (ConflictException, reason DESTINATION_PHONE_NUMBER_OPTED_OUT),
 * and a spend or other quota reached, which lasts beyond the few seconds the
 * notifier retries for (the next provider is tried instead).
 */
const PERMANENT = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ConflictException',
  'ServiceQuotaExceededException',
]);
/** Errors the notifier retries with back-off. */
const TRANSIENT = new Set(['ThrottlingException', 'InternalServerException']);
/** Credential errors from the SDK's chain or the service: a set-up problem, not a passing one. */
const CREDENTIAL = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

export function awsSmsChannel(options: AwsSmsChannelOptions): OtpChannel {
  const {region, originationIdentity, credentials, configurationSetName} = options;
  if (typeof region !== 'string' || !REGION.test(region))
    throw new TypeError('awsSmsChannel: region must be an AWS Region such as eu-west-1');
  if (typeof originationIdentity !== 'string' || originationIdentity.trim() === '')
    throw new TypeError(
      'awsSmsChannel: originationIdentity must be a phone number, sender id, pool id or their ARN',
    );
  if (
    configurationSetName !== undefined &&
    (typeof configurationSetName !== 'string' || configurationSetName === '')
  )
    throw new TypeError('awsSmsChannel: configurationSetName must be a non-empty string');
  const messageType = options.messageType ?? 'TRANSACTIONAL';
  if (messageType !== 'TRANSACTIONAL' && messageType !== 'PROMOTIONAL')
    throw new TypeError(
      'awsSmsChannel: messageType must be TRANSACTIONAL or PROMOTIONAL',
    );
  if (options.endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.endpoint);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      throw new TypeError('awsSmsChannel: endpoint must be an absolute http(s) URL');
  }

  let client: Promise<{
    client: PinpointSMSVoiceV2Client;
    Command: typeof import('@aws-sdk/client-pinpoint-sms-voice-v2').SendTextMessageCommand;
  }> | null = null;
  const load = () =>
    (client ??= import(SDK).then(
      (sdk: typeof import('@aws-sdk/client-pinpoint-sms-voice-v2')) => ({
        client: new sdk.PinpointSMSVoiceV2Client({
          region,
          credentials,
          endpoint: options.endpoint,
          // The notifier retries with its own back-off and deadline; SDK retries would multiply them.
          maxAttempts: 1,
        }),
        Command: sdk.SendTextMessageCommand,
      }),
      (error: unknown) => {
        client = null;
        throw new OtpDeliveryError(
          `aws: awsSmsChannel needs the optional package ${SDK}; install it (npm install ${SDK})`,
          {permanent: true, cause: error},
        );
      },
    ));

  return {
    channel: 'sms',
    provider: 'aws',
    async send(
      message: OtpRenderedMessage,
      notification: OtpMessageInput,
      signal: AbortSignal,
    ): Promise<void> {
      const to = notification.to.phone;
      if (!to || !E164.test(to))
        throw new OtpDeliveryError(
          `aws: the notification for ${notification.destinationHint || 'this user'} has no phone number in E.164`,
          {permanent: true},
        );
      if (message.text.length > AWS_MAX_BODY)
        throw new OtpDeliveryError(
          `aws: the message has ${message.text.length} characters, more than SendTextMessage's ${AWS_MAX_BODY}; shorten the sms template`,
          {permanent: true},
        );
      const {client, Command} = await load();
      try {
        await client.send(
          new Command({
            DestinationPhoneNumber: to,
            OriginationIdentity: originationIdentity,
            MessageBody: message.text,
            MessageType: messageType,
            ...(configurationSetName === undefined
              ? {}
              : {ConfigurationSetName: configurationSetName}),
          }),
          {abortSignal: signal},
        );
      } catch (error) {
        throw classifyAwsError(error);
      }
    },
    async close() {
      if (client) (await client.catch(() => null))?.client.destroy();
    },
  };
}

/**
 * Maps an SDK error to permanent or transient by its name (the service's
 * `__type`) and, for a service exception, its `Reason`. The SDK's message is
 * left out: a ValidationException's may quote the request's fields.
 */
export function classifyAwsError(error: unknown): OtpDeliveryError {
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    Reason?: unknown;
    $metadata?: {httpStatusCode?: unknown};
  };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const reason = typeof e.Reason === 'string' ? `, reason ${e.Reason}` : '';
  const status =
    typeof e.$metadata?.httpStatusCode === 'number'
      ? `, HTTP ${e.$metadata.httpStatusCode}`
      : '';
  const what = `${name}${reason}${status}`;
  if (PERMANENT.has(name))
    return new OtpDeliveryError(`aws refused the message: ${what}`, {permanent: true});
  if (CREDENTIAL.has(name) || e.$metadata?.httpStatusCode === 403)
    return new OtpDeliveryError(
      `aws refused the credentials: ${what}; check the credentials and the sms-voice:SendTextMessage permission`,
      {permanent: true},
    );
  if (TRANSIENT.has(name))
    return new OtpDeliveryError(`aws is busy or failing, will retry: ${what}`, {
      permanent: false,
    });
  // Network errors (ECONNREFUSED, timeouts, aborts), 5xx without a known type, anything else.
  const code = typeof e.code === 'string' ? ` ${e.code}` : '';
  return new OtpDeliveryError(`aws could not send, will retry: ${what}${code}`, {
    permanent: false,
  });
}
