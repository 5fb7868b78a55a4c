/**
 * otp-step/server/notify: sending the code, from templates, over e-mail and
 * SMS. Pass `createNotifier(…)` as `createOtpHandler`'s `notify`.
 */
export {
  OtpDeliveryError,
  type OtpChannel,
  type OtpChannelName,
  type OtpDestination,
  type OtpMessageInput,
  type OtpNotifier,
  type OtpRenderedMessage,
} from './types.js';

// SMS providers (sms helper).
export {
  twilioSmsChannel,
  classifyTwilioError,
  type TwilioSmsChannelOptions,
} from './twilio-sms.js';
export {awsSmsChannel, classifyAwsError, type AwsSmsChannelOptions} from './aws-sms.js';
