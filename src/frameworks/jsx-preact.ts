// `otp-step/types/preact`: <otp-step> and <otp-input> in Preact's JSX, with their
// properties, attributes and `onotp-…` event props typed with their details.
// `import type {} from 'otp-step/types/preact';` once in an app brings them in.
// Types only, and only Preact's.
import type {HTMLAttributes} from 'preact';
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

/**
 * Preact's own props of an HTML element (`ref` to the element's class among
 * them), and ours, which win where both name one (`autofocus`). `HTMLAttributes`
 * from `preact` itself: Preact 10.2x and 11 both export it there.
 */
type PreactElementProps<
  Element extends HTMLElement,
  Properties,
  Attributes,
  Events,
> = Omit<HTMLAttributes<Element>, keyof Properties | keyof Attributes> &
  TagProps<Properties, Attributes> &
  EventProps<Events>;

/** `<otp-step>` in Preact's JSX. */
export type OtpStepPreactProps = PreactElementProps<
  OtpStep,
  OtpStepProperties,
  OtpStepAttributes,
  OtpStepEvents
>;

/** `<otp-input>` in Preact's JSX. */
export type OtpInputPreactProps = PreactElementProps<
  OtpInput,
  OtpInputProperties,
  OtpInputAttributes,
  OtpInputEvents
>;

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- the shape Preact's JSX typings are extended in
  namespace JSX {
    interface IntrinsicElements {
      'otp-step': OtpStepPreactProps;
      'otp-input': OtpInputPreactProps;
    }
  }
}
