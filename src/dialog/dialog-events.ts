import type {AuthenticatorAction} from '../authenticator/authenticator-state.js';

/**
 * What the person did in the step's dialog, as `<otp-step-dialog>` tells its
 * element. Private to the step: they neither bubble nor leave its shadow root.
 */
export interface DialogEventMap {
  /** The code as typed so far. */
  'dialog-input': CustomEvent<{entry: string}>;
  /** Confirm this code; `submit` when it came from Enter, so the owning form goes on once it is confirmed. */
  'dialog-confirm': CustomEvent<{code: string; submit: boolean}>;
  /** Resend: a new code in place of the pending one. */
  'dialog-resend': CustomEvent<null>;
  /** A new code in place of the pending one, sent on this other channel. */
  'dialog-switch': CustomEvent<{channel: 'email' | 'sms'}>;
  /** Retry what failed. */
  'dialog-retry': CustomEvent<null>;
  /** Close, the button: the dialog is closed already. */
  'dialog-close': CustomEvent<null>;
  /** Escape: the dialog closes unless the step refuses (cancels this event). */
  'dialog-cancel': CustomEvent<null>;
  /** The test code was written to the clipboard, or could not be. */
  'dialog-copy': CustomEvent<{copied: boolean}>;
  /** Something done in the authenticator's dialog (method="authenticator"), for its flow. */
  'dialog-act': CustomEvent<AuthenticatorAction>;
}

/** Tells the step; false when it refused (cancelled the event). */
export function tell<K extends keyof DialogEventMap>(
  target: EventTarget,
  type: K,
  detail: DialogEventMap[K]['detail'],
): boolean {
  return target.dispatchEvent(new CustomEvent(type, {detail, cancelable: true}));
}
