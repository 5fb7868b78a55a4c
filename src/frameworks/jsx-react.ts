// `otp-step/types/react`: <otp-step> and <otp-input> in React 19's JSX, with their
// properties, attributes and `onotp-…` event props typed with their details.
// `import type {} from 'otp-step/types/react';` once in an app brings them in.
// Types only (this module compiles to nothing), and only React's: an app without
// Vue, Svelte or Preact installed still compiles.
import type {DetailedHTMLProps, HTMLAttributes} from 'react';
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

/** React's own props of an HTML element (`ref` to the element's class among them), and ours. */
type ReactElementProps<
  Element extends HTMLElement,
  Properties,
  Attributes,
  Events,
> = DetailedHTMLProps<HTMLAttributes<Element>, Element> &
  TagProps<Properties, Attributes> &
  EventProps<Events>;

/** `<otp-step>` in React 19's JSX. */
export type OtpStepReactProps = ReactElementProps<
  OtpStep,
  OtpStepProperties,
  OtpStepAttributes,
  OtpStepEvents
>;

/** `<otp-input>` in React 19's JSX. */
export type OtpInputReactProps = ReactElementProps<
  OtpInput,
  OtpInputProperties,
  OtpInputAttributes,
  OtpInputEvents
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
