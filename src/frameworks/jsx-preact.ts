// `otp-step/types/preact`: <otp-step> and <otp-input> in Preact's JSX, with their
// properties, attributes and `onotp-…` event props typed with their details.
// `import type {} from 'otp-step/types/preact';` once in an app brings them in.
// Types only, and only Preact's.
import type {HTMLAttributes} from 'preact';
import type {OtpInput} from '../input/otp-input-element.js';
import type {OtpStep} from '../otp-step-element.js';
import type {OtpInputTypes, OtpStepTypes, TemplateProps} from './element-types.js';

/** `<otp-step>` in Preact's JSX. */
export type OtpStepPreactProps = TemplateProps<HTMLAttributes<OtpStep>, OtpStepTypes>;

/** `<otp-input>` in Preact's JSX. */
export type OtpInputPreactProps = TemplateProps<HTMLAttributes<OtpInput>, OtpInputTypes>;

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the shape Preact's JSX typings are extended in
  namespace JSX {
    interface IntrinsicElements {
      'otp-step': OtpStepPreactProps;
      'otp-input': OtpInputPreactProps;
    }
  }
}
