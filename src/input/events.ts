/** What `otp-complete` tells: the code, every box filled. */
export interface OtpCompleteDetail {
  /** The code as typed, cleaned and held to the alphabet. */
  value: string;
}

/**
 * The events of `<otp-input>` of its own. It also fires `input` and `change` as
 * a text field does (plain `Event`s, typed by the DOM already).
 */
export interface OtpInputEventMap {
  'otp-complete': CustomEvent<OtpCompleteDetail>;
}

declare global {
  // Typed addEventListener('otp-complete', …) for every element and for document.
  interface GlobalEventHandlersEventMap extends OtpInputEventMap {}
}
