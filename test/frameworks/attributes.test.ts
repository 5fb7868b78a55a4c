import {expect} from '@open-wc/testing';
import type {
  OtpInputAttributes,
  OtpStepAttributes,
} from '../../src/frameworks/element-types.js';
import {OtpInput} from '../../src/input/otp-input-element.js';
import {OtpStep} from '../../src/otp-step-element.js';

// The framework typings list each element's attributes by hand (their HTML names,
// with unions where the element knows only some values). `satisfies` holds these
// lists to exactly the typed names; the tests hold the typed names to the
// attributes the elements observe, so a new or renamed attribute fails here.
const stepAttributes = {
  'step-name': true,
  'source-step': true,
  user: true,
  client: true,
  lifetime: true,
  length: true,
  alphabet: true,
  'max-attempts': true,
  'resend-after': true,
  'max-resends': true,
  mask: true,
  'no-auto-confirm': true,
  'web-otp': true,
  size: true,
  endpoint: true,
  demo: true,
  timeout: true,
  credentials: true,
  name: true,
  required: true,
  disabled: true,
} satisfies Record<keyof OtpStepAttributes, true>;

const inputAttributes = {
  length: true,
  alphabet: true,
  mask: true,
  size: true,
  'web-otp': true,
  label: true,
  invalid: true,
  description: true,
  autofocus: true,
  value: true,
  name: true,
  required: true,
  disabled: true,
} satisfies Record<keyof OtpInputAttributes, true>;

const sorted = (names: Iterable<string>) => [...names].sort();

describe('framework typings', () => {
  it('type every attribute <otp-step> observes, and no other', () => {
    expect(sorted(Object.keys(stepAttributes))).to.deep.equal(
      sorted(OtpStep.observedAttributes),
    );
  });

  it('type every attribute <otp-input> observes, and no other', () => {
    expect(sorted(Object.keys(inputAttributes))).to.deep.equal(
      sorted(OtpInput.observedAttributes),
    );
  });
});
