import {expect, fixtureSync, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../src/otp-step.js';
import {
  clickTriggerForCode,
  guardUncaughtErrors,
  part,
  recordEvents,
  uniqueUser,
} from './helpers.js';

guardUncaughtErrors();

async function formWithStep(extra: {disabled?: boolean; manual?: boolean} = {}) {
  const form = fixtureSync<HTMLFormElement>(html`
    <form>
      <fieldset ?disabled=${!!extra.disabled}>
        <input name="email" value="maria@example.com" />
        <otp-step
          demo
          name="otp"
          required
          user=${uniqueUser()}
          ?no-auto-confirm=${!!extra.manual}
        ></otp-step>
      </fieldset>
      <button>Sign in</button>
    </form>
  `);
  const el = form.querySelector('otp-step')!;
  await el.updateComplete;
  return {form, el};
}

describe('<otp-step> in a form', () => {
  it('keeps the form from submitting until a code is confirmed, then submits the code', async () => {
    const {form, el} = await formWithStep();
    expect(el.form).to.equal(form);
    expect(form.checkValidity()).to.be.false;
    expect(el.validity.valueMissing).to.be.true;
    expect(el.validationMessage).to.equal('Confirm a one-time code to continue.');
    expect(new FormData(form).has('otp')).to.be.false;

    await clickTriggerForCode(el);
    const code = el.forTestCode;
    const confirmed = oneEvent(el, 'otp-confirmed');
    await el.confirmCode(code);
    await el.updateComplete;
    // Demo mode: no server, so no confirmation token; the value is the code.
    expect((await confirmed).detail).not.to.have.property('confirmation');
    expect(el.value).to.equal(code);
    expect(form.checkValidity()).to.be.true;
    expect(new FormData(form).get('otp')).to.equal(code);
    expect(el.matches(':state(confirmed)')).to.be.true;
  });

  it('empties on form reset', async () => {
    const {form, el} = await formWithStep();
    await clickTriggerForCode(el);
    await el.confirmCode(el.forTestCode);
    form.reset();
    await el.updateComplete;
    expect(el.value).to.equal('');
    expect(new FormData(form).has('otp')).to.be.false;
    expect(el.matches(':state(confirmed)')).to.be.false;
    expect(form.checkValidity()).to.be.false;
  });

  it('cannot be started inside a disabled fieldset', async () => {
    const {el} = await formWithStep({disabled: true});
    const requests = recordEvents(el, 'otp-request');
    expect(part<HTMLButtonElement>(el, 'trigger').disabled).to.be.true;
    expect(await el.requestCode()).to.be.false;
    expect(requests).to.have.length(0);
  });

  it('submits the owning form when Enter confirms the code', async () => {
    const {form, el} = await formWithStep({manual: true});
    await clickTriggerForCode(el);
    const submitted = new Promise<FormData>((resolve) =>
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        resolve(new FormData(form));
      }),
    );
    part(el, 'input').focus();
    for (const key of el.forTestCode) await sendKeys({type: key});
    await sendKeys({press: 'Enter'});
    const data = await submitted;
    expect(data.get('otp')).to.equal(el.forTestCode);
    expect(data.get('email')).to.equal('maria@example.com');
  });

  it('submits the owning form on Enter at the trigger once confirmed', async () => {
    const {form, el} = await formWithStep();
    await clickTriggerForCode(el);
    await el.confirmCode(el.forTestCode);
    const submitted = oneEvent(form, 'submit');
    form.addEventListener('submit', (event) => event.preventDefault());
    part(el, 'trigger').focus();
    await sendKeys({press: 'Enter'});
    await submitted;
  });

  it('takes back its value when the browser restores the form', async () => {
    const {form, el} = await formWithStep();
    el.formStateRestoreCallback('482913');
    await el.updateComplete;
    expect(el.value).to.equal('482913');
    expect(new FormData(form).get('otp')).to.equal('482913');
  });
});
