/**
 * otp-step/server: the reference server for `<otp-step endpoint="…">`.
 * Node.js 20 or later; nothing here reaches the browser bundle.
 */
export {createOtpHandler, isOtpRoute, type OtpHandler} from './otp-handler.js';
export {
  DEFAULT_LIMITS,
  type OtpAuthenticatorOptions,
  type OtpHandlerOptions,
  type OtpLimits,
  type OtpNotification,
} from './options.js';
export type {ExpectedConfirmation, OtpConfirmationClaims} from './confirmation.js';
export type {OtpLogger} from './log-safe.js';
export type {
  OtelMeterLike,
  OtpMetricsLabels,
  OtpMetricsTarget,
  PromRegistryLike,
} from './metrics/types.js';
export {normalizeUser} from './normalize-user.js';
export {toNodeListener} from './node-adapter.js';
export {
  DEFAULT_MAX_KEYS,
  memoryOtpStore,
  OtpStoreFullError,
  OtpStoreUnavailableError,
  type MemoryOtpStore,
  type MemoryOtpStoreOptions,
  type OtpStore,
} from './store.js';
export type * from '../src/sources/protocol.js';
export {
  signWebhook,
  SIGNATURE_HEADER,
  verifyWebhook,
  type VerifyWebhookOptions,
} from './webhook-signature.js';
export {OTP_EVENT_TYPES, type OtpEvent, type OtpEventType} from './events/lifecycle.js';
