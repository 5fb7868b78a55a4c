// `otp-step/react`: React components for <otp-step> and <otp-input>, made with
// @lit/react as Shoelace ships its own: properties as props (set as properties,
// so objects and functions such as `source` pass as they are), and the events as
// `onOtpConfirmed`-style props, typed with their details. Importing this module
// defines both tags.
import {createComponent, type EventName} from '@lit/react';
import * as React from 'react';
import {OtpInput as OtpInputElement} from '../input/otp-input.js';
import {OtpStep as OtpStepElement} from '../otp-step.js';
import {otpInputEvents, otpStepEvents} from './element-names.js';
import type {OtpStepEvents, OtpInputEvents} from './element-types.js';

/**
 * An element's events (element-names.ts, from the manifest) as @lit/react types
 * them: each prop's event as the element's event map has it, a plain `Event` for
 * the DOM's own (`input`, `change` of <otp-input>: one per change of the value,
 * one per commit, listened for on the element as it fires them, not through
 * React's synthetic onChange, which for form fields means every input).
 */
type ReactEvents<Names extends Record<string, string>, Events> = {
  [Prop in keyof Names]: EventName<
    Names[Prop] extends keyof Events
      ? Events[Names[Prop]] extends Event
        ? Events[Names[Prop]]
        : Event
      : Event
  >;
};

/** `<otp-step>` as a React component. */
export const OtpStep = createComponent({
  react: React,
  tagName: 'otp-step',
  elementClass: OtpStepElement,
  events: otpStepEvents as ReactEvents<typeof otpStepEvents, OtpStepEvents>,
  displayName: 'OtpStep',
});

/** `<otp-input>` as a React component. */
export const OtpInput = createComponent({
  react: React,
  tagName: 'otp-input',
  elementClass: OtpInputElement,
  events: otpInputEvents as ReactEvents<typeof otpInputEvents, OtpInputEvents>,
  displayName: 'OtpInput',
});
