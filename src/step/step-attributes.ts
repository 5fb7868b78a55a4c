import type {PropertyDeclarations} from 'lit';
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
  /**
   * The reactive properties, declared in one object rather than with a decorator
   * on each field, as `<otp-input>` does: 25 decorator calls were about 70 B of
   * dist/otp-step.js's own code (issue 21 paid for `group` with them). Each field
   * below keeps its default and its description; the manifest reads both.
   */
  static override properties: PropertyDeclarations = {
    stepName: {attribute: 'step-name'},
    sourceStep: {attribute: 'source-step'},
    user: {},
    client: {},
    lifetime: {},
    length: {type: Number},
    alphabet: {},
    maxAttempts: {type: Number, attribute: 'max-attempts'},
    resendAfter: {type: Number, attribute: 'resend-after'},
    maxResends: {type: Number, attribute: 'max-resends'},
    channel: {},
    method: {},
    enroll: {type: Boolean},
    mask: {type: Boolean},
    noAutoConfirm: {type: Boolean, attribute: 'no-auto-confirm'},
    webOtp: {type: Boolean, attribute: 'web-otp'},
    size: {reflect: true, useDefault: true},
    group: {},
    pasteTransformer: {attribute: false},
    endpoint: {},
    demo: {type: Boolean},
    timeout: {type: Number},
    credentials: {},
    headers: {attribute: false},
    humanCheck: {attribute: false},
    source: {attribute: false},
    messages: {attribute: false},
  };

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
  stepName = '';
  /** Id of the step before this one (an element or a `<form>` in the same root); when it completes, this step starts. */
  sourceStep = '';
  /** Name or ID of the user the code is for. */
  user = '';
  /** The client or application that starts the confirmation. */
  client = '';
  /** Code lifetime: seconds, or `90s`, `5m`, `1h`, `PT5M`; at most 24 hours. */
  lifetime: string | number = 300;
  /** Number of characters in a code, 4 to 10. */
  length = 6;
  /**
   * `numeric`, or `alphanumeric` (Crockford's Base32: digits and letters without I, L, O, U).
   * Any other value (an attribute can hold one) is refused with `invalid-alphabet` when a code is asked for.
   */
  alphabet: AlphabetName = 'numeric';
  /** Wrong codes allowed before the challenge locks, across resends. */
  maxAttempts = 5;
  /** Seconds before a new code can be sent. */
  resendAfter = 30;
  /** How many times a code can be sent again in place of the first. */
  maxResends = 3;
  /**
   * Where the server sends the code: `email` or `sms`. Empty lets the server take
   * the first channel it has a destination for; any other value is refused with
   * `invalid-channel` when a code is asked for.
   */
  channel = '';
  /**
   * How the person proves it is them: `code`, a code sent to them (or shown, in
   * demo mode); or `authenticator`, the code of their authenticator app (RFC 6238),
   * with a recovery code in its place, confirmed at `{endpoint}/authenticator/confirm`.
   * Any other value is refused with `invalid-method` when the step starts.
   */
  method: 'code' | 'authenticator' = 'code';
  /** With `method="authenticator"`: sets an authenticator app up for the signed-in user (QR code, first code, recovery codes) rather than signing in with it. */
  enroll = false;
  /** Shows • in the boxes instead of the characters typed. */
  mask = false;
  /** Do not confirm by itself once every box is filled; wait for Enter or Confirm. */
  noAutoConfirm = false;
  /** Fill in a code that arrives by SMS, through the WebOTP API where the browser has it. */
  webOtp = false;
  /** Box size: `small`, `medium` or `large`. */
  size: 'small' | 'medium' | 'large' = 'medium';
  /**
   * Boxes per group in the code entry, drawn with a gap between groups (`3`:
   * 123 456); the code stays unbroken. `0` for none. Default: 3 for 6
   * characters, 4 for 8, none for other lengths (as `<otp-input>`'s `group`).
   */
  group?: number | string;
  /** Turns pasted or autofilled text into the code; by default the code is taken out of it ("Your code is 123 456"). */
  pasteTransformer?: (text: string) => string;
  /** Base URL of a backend speaking docs/protocol.md: where production codes come from. */
  endpoint = '';
  /** Codes made and checked in this browser by the local demo generator, for demos and tests; used only without `endpoint` and `source`. Without any of the three, no code is issued. */
  demo = false;
  /** Seconds to wait for the backend before giving up. */
  timeout = 10;
  /** Whether requests to the backend carry cookies: `same-origin`, `include` or `omit`. */
  credentials: RequestCredentials = 'same-origin';
  /** Headers sent with every backend request, such as a CSRF or bearer token. */
  headers: Record<string, string> = {};
  /**
   * The page's bot check, for a backend that asks for one (428
   * `human-check-required`): an async function that runs a Turnstile, hCaptcha or
   * reCAPTCHA widget and resolves to its token, which the element sends once as
   * `humanToken`. Without it, or when it throws or gives no token, the step fires
   * `otp-error` `human-check-required`.
   */
  humanCheck?: HumanCheck;
  /** A code source of the page's own (any backend: Twilio Verify, AWS, in-house); wins over `endpoint`. */
  source?: CodeSource;
  /** The page's own messages, for a language the element does not have or to reword it. */
  messages?: Partial<OtpStepMessages>;
}
