import {expect, fixture, html} from '@open-wc/testing';
import {render} from 'lit';
import '../../src/input/otp-input.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {guardUncaughtErrors} from '../helpers.js';
import {inputOf, part, type} from './helpers.js';

guardUncaughtErrors();

describe('<otp-input> accessibility', () => {
  describe('passes axe in every state', () => {
    it('empty, labelled by default', async () => {
      const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
      await expect(el).to.be.accessible();
    });

    it('with a visible label', async () => {
      const el = await fixture<OtpInput>(
        html`<otp-input label="6-digit code"></otp-input>`,
      );
      await expect(el).to.be.accessible();
    });

    it('filled', async () => {
      const el = await fixture<OtpInput>(html`<otp-input value="482913"></otp-input>`);
      await expect(el).to.be.accessible();
    });

    it('filled and masked, with focus', async () => {
      const el = await fixture<OtpInput>(html`<otp-input mask></otp-input>`);
      el.focus();
      await type('482');
      await expect(el).to.be.accessible();
    });

    it('invalid and described', async () => {
      const el = await fixture<OtpInput>(
        html`<otp-input
          invalid
          value="482913"
          description="That code is not right. 4 attempts left."
        ></otp-input>`,
      );
      expect(inputOf(el).getAttribute('aria-invalid')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('disabled', async () => {
      const el = await fixture<OtpInput>(
        html`<otp-input disabled value="48"></otp-input>`,
      );
      expect(inputOf(el).disabled).to.be.true;
      await expect(el).to.be.accessible();
    });
  });

  it('labels the input "One-time code" when the page gives no label', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    expect(inputOf(el).getAttribute('aria-label')).to.equal('One-time code');
    expect(el.shadowRoot!.querySelector('label')).to.be.null;
  });

  it('shows the label and ties it to the input', async () => {
    const el = await fixture<OtpInput>(
      html`<otp-input label="Code from the SMS"></otp-input>`,
    );
    const input = inputOf(el);
    expect(part(el, 'label').textContent!.trim()).to.equal('Code from the SMS');
    expect(input.labels![0] === part(el, 'label'), 'labelled').to.be.true;
    expect(input.hasAttribute('aria-label')).to.be.false;
    part(el, 'label').click();
    expect(el.shadowRoot!.activeElement === input, 'focused').to.be.true;
  });

  it('marks the code invalid for screen readers and with the error colour', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    el.style.setProperty('--otp-input-error-color', 'rgb(200, 0, 0)');
    el.style.setProperty('--otp-input-border-color', 'rgb(0, 0, 200)');
    const border = () => getComputedStyle(part(el, 'box')).borderTopColor;
    expect(inputOf(el).hasAttribute('aria-invalid')).to.be.false;
    expect(border()).to.equal('rgb(0, 0, 200)');
    el.invalid = true;
    await el.updateComplete;
    expect(el.hasAttribute('invalid')).to.be.true;
    expect(inputOf(el).getAttribute('aria-invalid')).to.equal('true');
    expect(border()).to.equal('rgb(200, 0, 0)');
  });

  it('describes the input with description', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    expect(inputOf(el).hasAttribute('aria-description')).to.be.false;
    el.description = '2 attempts left.';
    await el.updateComplete;
    expect(inputOf(el).getAttribute('aria-description')).to.equal('2 attempts left.');
  });

  it('hides the boxes from screen readers, which read the one input', async () => {
    const el = await fixture<OtpInput>(html`<otp-input value="48"></otp-input>`);
    expect(part(el, 'boxes').getAttribute('aria-hidden')).to.equal('true');
  });

  it('takes focus with autofocus in a modal dialog', async () => {
    const dialog = await fixture<HTMLDialogElement>(html`
      <dialog>
        <button>Close</button>
        <otp-input autofocus></otp-input>
      </dialog>
    `);
    const el = dialog.querySelector('otp-input')!;
    dialog.showModal();
    try {
      expect(document.activeElement === el, 'the host has focus').to.be.true;
      expect(el.shadowRoot!.activeElement === inputOf(el), 'its input has focus').to.be
        .true;
    } finally {
      dialog.close();
    }
  });

  it('takes focus with autofocus in a modal dialog inside a shadow root, as in otp-step', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({mode: 'open'});
    render(
      html`<dialog>
        <form><button>Close</button><otp-input autofocus></otp-input></form>
      </dialog>`,
      root,
    );
    const dialog = root.querySelector('dialog')!;
    const el = root.querySelector('otp-input')!;
    await el.updateComplete;
    dialog.showModal();
    try {
      expect(root.activeElement === el, 'the host has focus').to.be.true;
      expect(el.shadowRoot!.activeElement === inputOf(el), 'its input has focus').to.be
        .true;
    } finally {
      dialog.close();
    }
  });
});
