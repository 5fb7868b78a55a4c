// `otp-step/types/svelte`: <otp-step> and <otp-input> in Svelte 5's markup, for
// svelte-check: properties, attributes and `onotp-…` event attributes typed with
// their details (Svelte 5 listens for `onotp-confirmed` as `otp-confirmed`).
// `import type {} from 'otp-step/types/svelte';` once in an app brings them in.
// Types only, and only Svelte's.
import type {HTMLAttributes} from 'svelte/elements';
import type {OtpInput} from '../input/otp-input-element.js';
import type {OtpStep} from '../otp-step-element.js';
import type {OtpInputTypes, OtpStepTypes, TemplateProps} from './element-types.js';

/** `<otp-step>` in Svelte markup. */
export type OtpStepSvelteProps = TemplateProps<HTMLAttributes<OtpStep>, OtpStepTypes>;

/** `<otp-input>` in Svelte markup. */
export type OtpInputSvelteProps = TemplateProps<HTMLAttributes<OtpInput>, OtpInputTypes>;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'otp-step': OtpStepSvelteProps;
    'otp-input': OtpInputSvelteProps;
  }
}
