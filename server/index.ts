/**
 * otp-step/server: the reference server for `<otp-step endpoint="…">`.
 * Node.js 20 or later; nothing here reaches the browser bundle.
 */
export {
  createOtpHandler,
  DEFAULT_LIMITS,
  isOtpRoute,
  type OtpHandlerOptions,
  type OtpLimits,
  type OtpNotification,
} from './otp-handler.js';
export {toNodeListener} from './node-adapter.js';
export {memoryOtpStore, type MemoryOtpStore, type OtpStore} from './store.js';
export type * from '../src/sources/protocol.js';
