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
/** Builds the notifier: channels in order, templates, retries. */
export {createNotifier, type OtpNotifierOptions} from './notifier.js';
/** Renders one message, for previews or an app's own provider; checks templates at start-up. */
export {
  renderOtpMessage,
  checkTemplates,
  type OtpRenderOptions,
  type OtpRenderInput,
} from './render.js';
/** Template overrides and the built-in ones. */
export {
  BUILT_IN_EMAIL,
  BUILT_IN_SMS,
  PLACEHOLDERS,
  type OtpTemplates,
  type OtpEmailTemplate,
} from './templates.js';
/** The language of a message. */
export {pickLanguage, OTP_LANGUAGES, type OtpLanguage} from './language.js';
/** Counts SMS segments (GSM-7 or UCS-2). */
export {countSmsSegments, type SmsSegments} from './sms-segments.js';
/** Reads template overrides from a folder (OTP_TEMPLATES_DIR). */
export {loadTemplates} from './load-templates.js';
/** E-mail over SMTP (nodemailer). */
export {smtpChannel, classifySmtpError, type SmtpChannelOptions} from './smtp-channel.js';
/** The signed notify webhook as a channel. */
export {webhookChannel, type WebhookChannelOptions} from './webhook-channel.js';
/** SMS through Twilio's Messaging API or AWS End User Messaging SMS. */
export {
  twilioSmsChannel,
  classifyTwilioError,
  type TwilioSmsChannelOptions,
} from './twilio-sms.js';
export {awsSmsChannel, classifyAwsError, type AwsSmsChannelOptions} from './aws-sms.js';
