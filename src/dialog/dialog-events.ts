/**
 * What the person did in the dialog that the step's flow acts on: the test
 * code copied (or not), and, with `method="authenticator"`, the moves of its
 * dialog: on to the first code and back, the recovery code's entry and back,
 * Done, the secret or the recovery codes copied.
 */
export type DialogAction =
  | 'copied'
  | 'copy-failed'
  /** From the QR code to typing the first code. */
  | 'next'
  /** Back to the QR code. */
  | 'back'
  /** "Use a recovery code". */
  | 'recovery'
  /** "Use the app's code". */
  | 'app'
  /** The recovery codes are saved: the dialog closes. */
  | 'done'
  | 'secret-copied'
  | 'codes-copied';

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
  /** Something done in the dialog for the step's flow: a copy, a move in the authenticator's dialog. */
  'dialog-act': CustomEvent<DialogAction>;
}

/** Tells the step; false when it refused (cancelled the event). */
export function tell<K extends keyof DialogEventMap>(
  target: EventTarget,
  type: K,
  detail: DialogEventMap[K]['detail'],
): boolean {
  return target.dispatchEvent(new CustomEvent(type, {detail, cancelable: true}));
}
