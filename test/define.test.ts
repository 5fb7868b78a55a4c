import {expect, fixture, html} from '@open-wc/testing';
// The class-only entries: importing them defines no tag.
import {define, OtpStep} from '../src/otp-step-element.js';
import {define as defineInput, OtpInput} from '../src/input/otp-input-element.js';
import {clickTriggerForCode, enterCode, uniqueUser} from './helpers.js';

describe('the class-only entries and define()', () => {
  it('define nothing on import', () => {
    expect(customElements.get('otp-step')).to.be.undefined;
    expect(customElements.get('otp-input')).to.be.undefined;
  });

  it('define the step under another name, and it works there', async () => {
    const Defined = define('acme-verify');
    expect(customElements.get('acme-verify')).to.equal(Defined);
    const el = await fixture<OtpStep>(
      html`<acme-verify demo user=${uniqueUser()}></acme-verify>`,
    );
    expect(el).to.be.instanceOf(OtpStep);
    await clickTriggerForCode(el);
    expect((await enterCode(el, el.forTestCode)).type).to.equal('otp-confirmed');
  });

  it('define a second name, and a taken name, without throwing', () => {
    const first = define();
    expect(customElements.get('otp-step')).to.equal(first);
    // One constructor stands for one name: the second name gets a subclass.
    const second = define('other-step');
    expect(second).to.not.equal(first);
    expect(new second()).to.be.instanceOf(OtpStep);
    // Taken (a second copy of the bundle, say): the name keeps what it had.
    expect(define('other-step')).to.equal(second);
    expect(define()).to.equal(first);
    expect(defineInput('acme-code')).to.equal(customElements.get('acme-code'));
    expect(new (customElements.get('acme-code')!)()).to.be.instanceOf(OtpInput);
  });

  it('throw for a name that is not a valid custom element name', () => {
    expect(() => define('nodash')).to.throw();
  });

  it('define in a scoped registry, where the browser has them', function () {
    let registry: CustomElementRegistry;
    try {
      registry = new (
        CustomElementRegistry as unknown as new () => CustomElementRegistry
      )();
    } catch {
      this.skip(); // no scoped registries in this engine yet
    }
    const scoped = define('otp-step', registry!);
    expect(registry!.get('otp-step')).to.equal(scoped);
  });
});
