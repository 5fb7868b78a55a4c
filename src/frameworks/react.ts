// `otp-step/react`: React components for <otp-step> and <otp-input>, made with
// @lit/react as Shoelace ships its own: properties as props (set as properties,
// so objects and functions such as `source` pass as they are), and the events as
// `onOtpConfirmed`-style props, typed with their details. Importing this module
// defines both tags.
import {createComponent, type EventName} from '@lit/react';
import * as React from 'react';
import {OtpInput as OtpInputElement} from '../input/otp-input.js';
import {OtpStep as OtpStepElement} from '../otp-step.js';
import type {OtpStepEvents, OtpInputEvents} from './element-types.js';

/** `<otp-step>` as a React component. */
export const OtpStep = createComponent({
  react: React,
  tagName: 'otp-step',
  elementClass: OtpStepElement,
  events: {
    onOtpRequest: 'otp-request' as EventName<OtpStepEvents['otp-request']>,
    onOtpIssued: 'otp-issued' as EventName<OtpStepEvents['otp-issued']>,
    onOtpConfirmed: 'otp-confirmed' as EventName<OtpStepEvents['otp-confirmed']>,
    onOtpRejected: 'otp-rejected' as EventName<OtpStepEvents['otp-rejected']>,
    onOtpExpired: 'otp-expired' as EventName<OtpStepEvents['otp-expired']>,
    onOtpError: 'otp-error' as EventName<OtpStepEvents['otp-error']>,
    onStepComplete: 'step-complete' as EventName<OtpStepEvents['step-complete']>,
  },
  displayName: 'OtpStep',
});

/** `<otp-input>` as a React component. */
export const OtpInput = createComponent({
  react: React,
  tagName: 'otp-input',
  elementClass: OtpInputElement,
  events: {
    onOtpComplete: 'otp-complete' as EventName<OtpInputEvents['otp-complete']>,
    // The element's own `input` and `change` (plain events: one per change of the
    // value, one per commit), listened for on the element as it fires them, not
    // through React's synthetic onChange, which for form fields means every input.
    onInput: 'input' as EventName<Event>,
    onChange: 'change' as EventName<Event>,
  },
  displayName: 'OtpInput',
});
