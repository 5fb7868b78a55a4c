// `otp-step/types/svelte`: <otp-step> and <otp-input> in Svelte 5's markup, for
// svelte-check: properties, attributes and `onotp-…` event attributes typed with
// their details (Svelte 5 listens for `onotp-confirmed` as `otp-confirmed`).
// `import type {} from 'otp-step/types/svelte';` once in an app brings them in.
// Types only, and only Svelte's.
import type {HTMLAttributes} from 'svelte/elements';
import type {OtpInput} from '../input/otp-input-element.js';
import type {OtpStep} from '../otp-step-element.js';
import type {
  EventProps,
  OtpInputAttributes,
  OtpInputEvents,
  OtpInputProperties,
  OtpStepAttributes,
  OtpStepEvents,
  OtpStepProperties,
  TagProps,
} from './element-types.js';

/** Svelte's own attributes of an HTML element, and ours, which win where both name one. */
type SvelteElementProps<
  Element extends HTMLElement,
  Properties,
  Attributes,
  Events,
> = Omit<HTMLAttributes<Element>, keyof Properties | keyof Attributes> &
  TagProps<Properties, Attributes> &
  EventProps<Events>;

/** `<otp-step>` in Svelte markup. */
export type OtpStepSvelteProps = SvelteElementProps<
  OtpStep,
  OtpStepProperties,
  OtpStepAttributes,
  OtpStepEvents
>;

/** `<otp-input>` in Svelte markup. */
export type OtpInputSvelteProps = SvelteElementProps<
  OtpInput,
  OtpInputProperties,
  OtpInputAttributes,
  OtpInputEvents
>;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'otp-step': OtpStepSvelteProps;
    'otp-input': OtpInputSvelteProps;
  }
}
