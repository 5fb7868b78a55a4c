import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import {render} from 'lit';
import '../../src/input/otp-input.js';
import {guardUncaughtErrors} from '../helpers.js';
import {boxes, inputOf, press, record, type} from './helpers.js';

guardUncaughtErrors();

async function formWith(extra: {disabled?: boolean; required?: boolean} = {}) {
  const form = await fixture<HTMLFormElement>(html`
    <form>
      <fieldset ?disabled=${!!extra.disabled}>
        <input name="email" value="maria@example.com" />
        <otp-input name="otp" ?required=${extra.required ?? true}></otp-input>
      </fieldset>
      <button>Sign in</button>
    </form>
  `);
  const el = form.querySelector('otp-input')!;
  await el.updateComplete;
  // A submit that gets through is recorded, and the page stays.
  const submits = record(form, 'submit');
  form.addEventListener('submit', (event) => event.preventDefault());
  return {form, el, submits};
}

describe('<otp-input> in a form', () => {
  it('is submitted under its name with the FormData of its form', async () => {
    const {form, el} = await formWith();
    expect(el.form === form, 'owned by the form').to.be.true;
    el.focus();
    await type('482913');
    expect(new FormData(form).get('otp')).to.equal('482913');
    expect(new FormData(form).get('email')).to.equal('maria@example.com');
  });

  it('keeps a required form from submitting until the code is complete, with a readable message', async () => {
    const {form, el, submits} = await formWith();
    expect(form.checkValidity()).to.be.false;
    expect(el.validity.valueMissing).to.be.true;
    expect(el.validationMessage).to.equal('Enter the 6-digit code.');
    el.focus();
    await type('48291');
    expect(el.checkValidity()).to.be.false;
    expect(el.validity.valueMissing).to.be.true;
    form.requestSubmit();
    expect(submits).to.have.length(0);
    await type('3');
    expect(el.validity.valid).to.be.true;
    expect(el.validationMessage).to.equal('');
    form.requestSubmit();
    expect(submits).to.have.length(1);
  });

  it('is valid empty when not required, and invalid with part of a code', async () => {
    const {form, el} = await formWith({required: false});
    expect(form.checkValidity()).to.be.true;
    el.value = '123';
    expect(el.validity.patternMismatch).to.be.true;
    expect(el.validationMessage).to.equal('Enter the 6-digit code.');
    expect(form.checkValidity()).to.be.false;
  });

  it("takes the page's own message with setCustomValidity", async () => {
    const {el} = await formWith();
    el.value = '482913';
    el.setCustomValidity('Ce code a expiré.');
    expect(el.validity.customError).to.be.true;
    expect(el.validationMessage).to.equal('Ce code a expiré.');
    el.setCustomValidity('');
    expect(el.validity.valid).to.be.true;
  });

  it('submits the owning form on Enter, with the code in it', async () => {
    const {form, el, submits} = await formWith();
    const changes = record(el, 'change');
    el.focus();
    await type('48291');
    await press('Enter');
    expect(submits, 'incomplete: the form stays').to.have.length(0);
    expect(changes, 'Enter commits what was typed').to.have.length(1);
    await type('3');
    const submitted = oneEvent(form, 'submit');
    await press('Enter');
    await submitted;
    expect(new FormData(form).get('otp')).to.equal('482913');
  });

  it("submits a form in another shadow root on Enter, as otp-step's dialog is", async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({mode: 'open'});
    render(html`<form novalidate><otp-input name="otp"></otp-input></form>`, root);
    const form = root.querySelector('form')!;
    const el = root.querySelector('otp-input')!;
    await el.updateComplete;
    expect(el.form === form, 'owned by the form in its root').to.be.true;
    form.addEventListener('submit', (event) => event.preventDefault());
    const submitted = oneEvent(form, 'submit');
    el.focus();
    await type('48');
    await press('Enter');
    await submitted;
    expect(new FormData(form).get('otp')).to.equal('48');
  });

  it('empties on form reset', async () => {
    const {form, el} = await formWith();
    el.focus();
    await type('482913');
    form.reset();
    expect(el.value).to.equal('');
    await el.updateComplete;
    expect(inputOf(el).value).to.equal('');
    expect(boxes(el).text).to.equal('|||||');
    expect(new FormData(form).get('otp')).to.equal('');
    expect(form.checkValidity()).to.be.false;
  });

  it('is disabled inside a disabled fieldset, and left out of the form data', async () => {
    const {form, el} = await formWith({disabled: true});
    el.value = '482913';
    await el.updateComplete;
    expect(el.matches(':disabled')).to.be.true;
    expect(inputOf(el).disabled).to.be.true;
    expect(new FormData(form).has('otp')).to.be.false;
    expect(form.checkValidity(), 'disabled controls are not validated').to.be.true;
    form.querySelector('fieldset')!.disabled = false;
    await el.updateComplete;
    expect(inputOf(el).disabled).to.be.false;
    expect(new FormData(form).get('otp')).to.equal('482913');
  });

  it('is disabled by its own disabled attribute, as an input is', async () => {
    const {form, el} = await formWith();
    el.value = '482913';
    el.disabled = true;
    await el.updateComplete;
    expect(el.hasAttribute('disabled')).to.be.true;
    expect(inputOf(el).disabled).to.be.true;
    expect(new FormData(form).has('otp')).to.be.false;
    expect(el.shadowRoot!.querySelector('[part="caret"]')).to.be.null;
  });

  it('takes back its value when the browser restores the form', async () => {
    const {form, el} = await formWith();
    el.formStateRestoreCallback('482913');
    await el.updateComplete;
    expect(el.value).to.equal('482913');
    expect(boxes(el).text).to.equal('4|8|2|9|1|3');
    expect(new FormData(form).get('otp')).to.equal('482913');
  });
});
