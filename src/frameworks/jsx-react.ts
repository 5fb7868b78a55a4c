// `otp-step/types/react`: <otp-step> and <otp-input> in React 19's JSX, with their
// properties, attributes and `onotp-…` event props typed with their details.
// `import type {} from 'otp-step/types/react';` once in an app brings them in.
// Types only (this module compiles to nothing), and only React's: an app without
// Vue, Svelte or Preact installed still compiles.
import type {DetailedHTMLProps, HTMLAttributes} from 'react';
import type {OtpInput} from '../input/otp-input-element.js';
import type {OtpStep} from '../otp-step-element.js';
import type {OtpInputTypes, OtpStepTypes, TemplateProps} from './element-types.js';

/** `<otp-step>` in React 19's JSX. */
export type OtpStepReactProps = TemplateProps<
  DetailedHTMLProps<HTMLAttributes<OtpStep>, OtpStep>,
  OtpStepTypes
>;

/** `<otp-input>` in React 19's JSX. */
export type OtpInputReactProps = TemplateProps<
  DetailedHTMLProps<HTMLAttributes<OtpInput>, OtpInput>,
  OtpInputTypes
>;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the shape React's JSX typings are extended in
  namespace JSX {
    interface IntrinsicElements {
      'otp-step': OtpStepReactProps;
      'otp-input': OtpInputReactProps;
    }
  }
}
