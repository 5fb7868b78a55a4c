import {expect} from '@open-wc/testing';
import type {PropertyDeclaration} from 'lit';
import {
  otpInputAttributes,
  otpStepAttributes,
} from '../../src/frameworks/element-names.js';
import {OtpInput} from '../../src/input/otp-input-element.js';
import {OtpStep} from '../../src/otp-step-element.js';

// The framework typings name each element's attributes, and type each from the
// property it sets, by element-names.ts, which `npm run manifest` writes from the
// manifest. These tests hold those names to what the elements observe, and each
// to the property Lit sets from it, so an attribute the typings miss, or one
// typed from the wrong property, fails here (and a stale file in manifest:check).

const sorted = (names: Iterable<string>) => [...names].sort();

/** The attribute Lit observes for a property, as `@property()` declares it. */
function attributeOf(element: typeof OtpStep | typeof OtpInput, property: string) {
  const options = element.elementProperties.get(property) as
    PropertyDeclaration | undefined;
  if (!options || options.attribute === false) return undefined;
  return typeof options.attribute === 'string'
    ? options.attribute
    : property.toLowerCase();
}

describe('framework typings', () => {
  const elements = [
    ['<otp-step>', OtpStep, otpStepAttributes],
    ['<otp-input>', OtpInput, otpInputAttributes],
  ] as const;

  for (const [tag, element, attributes] of elements) {
    it(`type every attribute ${tag} observes, and no other`, () => {
      expect(sorted(Object.keys(attributes))).to.deep.equal(
        sorted(element.observedAttributes),
      );
    });

    it(`type each attribute of ${tag} from the property it sets`, () => {
      for (const [attribute, property] of Object.entries(attributes))
        expect(attributeOf(element, property), property).to.equal(attribute);
    });
  }
});
