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
