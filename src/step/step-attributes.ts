import {property} from 'lit/decorators.js';
import {FormAssociatedElement} from '../forms/form-associated.js';
import type {AlphabetName} from '../code/alphabets.js';
import type {OtpStepMessages} from '../messages/en.js';
import type {CodeSource} from '../sources/code-source.js';
import type {HumanCheck} from '../sources/human-check.js';
import type {StepOptions} from './step-config.js';

/**
 * The attributes and properties of `<otp-step>`, as a page sets them: the
 * step's parameters (checked by `resolveStepConfig` when a code is asked for),
 * where codes come from, and how the code is entered. The element's behaviour
 * is in `OtpStep`.
 */
export class StepAttributes extends FormAssociatedElement implements StepOptions {
  /** The step's parameters as set, as a plain object (to check, or to vary one of them). */
  protected stepOptions(): StepOptions {
    const {stepName, sourceStep, user, client, lifetime, length} = this;
    const {alphabet, maxAttempts, resendAfter, maxResends, channel, method, enroll} =
      this;
    return {
      stepName,
      sourceStep,
      user,
      client,
      lifetime,
      length,
      alphabet,
      maxAttempts,
      resendAfter,
      maxResends,
      channel,
      method,
      enroll,
    };
  }

  /** Name of this step, part of what keys its challenge. */
  @property({attribute: 'step-name'}) stepName = '';
  /** Id of the step before this one (an element or a `<form>` in the same root); when it completes, this step starts. */
  @property({attribute: 'source-step'}) sourceStep = '';
  /** Name or ID of the user the code is for. */
  @property() user = '';
  /** The client or application that starts the confirmation. */
  @property() client = '';
  /** Code lifetime: seconds, or `90s`, `5m`, `1h`, `PT5M`; at most 24 hours. */
  @property() lifetime: string | number = 300;
  /** Number of characters in a code, 4 to 10. */
  @property({type: Number}) length = 6;
  /**
   * `numeric`, or `alphanumeric` (Crockford's Base32: digits and letters without I, L, O, U).
   * Any other value (an attribute can hold one) is refused with `invalid-alphabet` when a code is asked for.
   */
  @property() alphabet: AlphabetName = 'numeric';
  /** Wrong codes allowed before the challenge locks, across resends. */
  @property({type: Number, attribute: 'max-attempts'}) maxAttempts = 5;
  /** Seconds before a new code can be sent. */
  @property({type: Number, attribute: 'resend-after'}) resendAfter = 30;
  /** How many times a code can be sent again in place of the first. */
  @property({type: Number, attribute: 'max-resends'}) maxResends = 3;
  /**
   * Where the server sends the code: `email` or `sms`. Empty lets the server take
   * the first channel it has a destination for; any other value is refused with
   * `invalid-channel` when a code is asked for.
   */
  @property() channel = '';
  /**
   * How the person proves it is them: `code`, a code sent to them (or shown, in
   * demo mode); or `authenticator`, the code of their authenticator app (RFC 6238),
   * with a recovery code in its place, confirmed at `{endpoint}/authenticator/confirm`.
   * Any other value is refused with `invalid-method` when the step starts.
   */
  @property() method: 'code' | 'authenticator' = 'code';
  /** With `method="authenticator"`: sets an authenticator app up for the signed-in user (QR code, first code, recovery codes) rather than signing in with it. */
  @property({type: Boolean}) enroll = false;
  /** Shows • in the boxes instead of the characters typed. */
  @property({type: Boolean}) mask = false;
  /** Do not confirm by itself once every box is filled; wait for Enter or Confirm. */
  @property({type: Boolean, attribute: 'no-auto-confirm'}) noAutoConfirm = false;
  /** Fill in a code that arrives by SMS, through the WebOTP API where the browser has it. */
  @property({type: Boolean, attribute: 'web-otp'}) webOtp = false;
  /** Box size: `small`, `medium` or `large`. */
  @property({reflect: true, useDefault: true}) size: 'small' | 'medium' | 'large' =
    'medium';
  /** Turns pasted or autofilled text into the code; by default the code is taken out of it ("Your code is 123 456"). */
  @property({attribute: false}) pasteTransformer?: (text: string) => string;
  /** Base URL of a backend speaking docs/protocol.md: where production codes come from. */
  @property() endpoint = '';
  /** Codes made and checked in this browser by the local demo generator, for demos and tests; used only without `endpoint` and `source`. Without any of the three, no code is issued. */
  @property({type: Boolean}) demo = false;
  /** Seconds to wait for the backend before giving up. */
  @property({type: Number}) timeout = 10;
  /** Whether requests to the backend carry cookies: `same-origin`, `include` or `omit`. */
  @property() credentials: RequestCredentials = 'same-origin';
  /** Headers sent with every backend request, such as a CSRF or bearer token. */
  @property({attribute: false}) headers: Record<string, string> = {};
  /**
   * The page's bot check, for a backend that asks for one (428
   * `human-check-required`): an async function that runs a Turnstile, hCaptcha or
   * reCAPTCHA widget and resolves to its token, which the element sends once as
   * `humanToken`. Without it, or when it throws or gives no token, the step fires
   * `otp-error` `human-check-required`.
   */
  @property({attribute: false}) humanCheck?: HumanCheck;
  /** A code source of the page's own (any backend: Twilio Verify, AWS, in-house); wins over `endpoint`. */
  @property({attribute: false}) source?: CodeSource;
  /** The page's own messages, for a language the element does not have or to reword it. */
  @property({attribute: false}) messages?: Partial<OtpStepMessages>;
}
