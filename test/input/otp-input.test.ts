import {expect, fixture, html} from '@open-wc/testing';
import {sendMouse} from '@web/test-runner-commands';
import '../../src/input/otp-input.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {guardUncaughtErrors} from '../helpers.js';
import {
  boxes,
  boxesOf,
  inputOf,
  part,
  paste,
  press,
  record,
  type,
  uncancellableInput,
} from './helpers.js';

guardUncaughtErrors();

async function focused(template = html`<otp-input></otp-input>`) {
  const el = await fixture<OtpInput>(template);
  el.focus();
  await el.updateComplete;
  return el;
}

describe('<otp-input> code entry', () => {
  it('is one real input under boxes, with the caret in the next box to fill', async () => {
    const el = await focused();
    expect(el.shadowRoot!.querySelectorAll('input')).to.have.length(1);
    expect(inputOf(el).hasAttribute('maxlength')).to.be.false;
    expect(el.shadowRoot!.activeElement === inputOf(el), 'focus() focuses the input').to
      .be.true;
    await type('123');
    await el.updateComplete;
    expect(boxes(el)).to.deep.equal({text: '1|2|3|||', active: 3});
    expect(part(el, 'box-active').querySelector('[part="caret"]')).to.exist;
    expect(el.shadowRoot!.querySelectorAll('[part="caret"]')).to.have.length(1);
    expect(inputOf(el).value).to.equal('123');
    expect(el.value).to.equal('123');
  });

  it('has as many boxes as its length, held to 4–10', async () => {
    const el = await fixture<OtpInput>(html`<otp-input length="8"></otp-input>`);
    expect(boxesOf(el)).to.have.length(8);
    expect(inputOf(el).getAttribute('pattern')).to.equal('\\d{8}');
    expect(part(el, 'entry').style.getPropertyValue('--_length')).to.equal('8');
    el.length = 12;
    await el.updateComplete;
    expect(boxesOf(el)).to.have.length(10);
    el.length = 2;
    await el.updateComplete;
    expect(boxesOf(el)).to.have.length(4);
  });

  it('replaces the last character when typing past the length', async () => {
    const el = await focused();
    await type('1234567');
    await el.updateComplete;
    expect(inputOf(el).value).to.equal('123457');
    expect(boxes(el).active).to.equal(5);
  });

  it('moves with arrows, Home and End, and overwrites in the middle', async () => {
    const el = await focused();
    await type('123456');
    await press('Home');
    await el.updateComplete;
    expect(boxes(el).active).to.equal(0);
    await press('ArrowRight', 'ArrowRight');
    await el.updateComplete;
    expect(boxes(el).active).to.equal(2);
    await type('9');
    await el.updateComplete;
    expect(el.value).to.equal('129456');
    expect(boxes(el).active).to.equal(3);
    await press('ArrowLeft');
    await el.updateComplete;
    expect(boxes(el).active).to.equal(2);
    await press('End');
    await el.updateComplete;
    expect(boxes(el).active).to.equal(5);
  });

  it('deletes with Backspace and Delete as a text field does', async () => {
    const el = await focused();
    await type('123456');
    await press('ArrowLeft', 'ArrowLeft', 'Backspace');
    await el.updateComplete;
    expect(el.value).to.equal('12356');
    expect(boxes(el)).to.deep.equal({text: '1|2|3|5|6|', active: 3});
    await press('Delete');
    await el.updateComplete;
    expect(el.value).to.equal('1236');
  });

  it('replaces everything when all is selected and a key typed', async () => {
    const el = await focused();
    await type('123456');
    el.select();
    await type('7');
    await el.updateComplete;
    expect(el.value).to.equal('7');
    expect(boxes(el)).to.deep.equal({text: '7|||||', active: 1});
  });

  it('moves the caret to the box clicked', async () => {
    const el = await focused();
    await type('123456');
    const box = boxesOf(el)[3].getBoundingClientRect();
    await sendMouse({
      type: 'click',
      position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
    });
    await el.updateComplete;
    expect(boxes(el).active).to.equal(3);
    await type('0');
    await el.updateComplete;
    expect(el.value).to.equal('123056');
  });

  it('ignores characters that cannot be in the code', async () => {
    const el = await focused();
    await type('1a-2 b3');
    await el.updateComplete;
    expect(el.value).to.equal('123');
  });

  it('reads look-alikes as the character meant in an alphanumeric code', async () => {
    const el = await focused(html`<otp-input alphabet="alphanumeric"></otp-input>`);
    await type('oil');
    await el.updateComplete;
    expect(el.value).to.equal('011');
    const input = inputOf(el);
    expect(input.inputMode).to.equal('text');
    expect(input.getAttribute('pattern')).to.equal('[0-9A-Za-z]{6}');
    expect(input.getAttribute('autocapitalize')).to.equal('characters');
  });

  it('is a plain text field with the numeric keyboard and pattern for a numeric code', async () => {
    const el = await focused();
    const input = inputOf(el);
    expect(input.type).to.equal('text');
    expect(input.inputMode).to.equal('numeric');
    expect(input.getAttribute('pattern')).to.equal('\\d{6}');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.getAttribute('autocapitalize')).to.equal('off');
    expect(input.getAttribute('autocorrect')).to.equal('off');
    expect(input.getAttribute('spellcheck')).to.equal('false');
    expect(input.getAttribute('dir')).to.equal('ltr');
    expect(part(el, 'entry').getAttribute('dir')).to.equal('ltr');
  });

  it('shows • in place of each character with mask, keeping the numeric keyboard and autofill', async () => {
    const el = await focused(html`<otp-input mask></otp-input>`);
    await type('123');
    await el.updateComplete;
    expect(boxes(el).text).to.equal('•|•|•|||');
    expect(el.value).to.equal('123');
    const input = inputOf(el);
    expect(input.inputMode).to.equal('numeric');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.type).to.equal('text');
  });

  it('keeps a composition (IME) going, and cleans what it leaves', async () => {
    const el = await focused();
    const input = inputOf(el);
    const composing = new InputEvent('beforeinput', {
      bubbles: true,
      cancelable: true,
      composed: true,
      inputType: 'insertCompositionText',
      data: '１２',
    });
    input.dispatchEvent(composing);
    expect(composing.defaultPrevented, 'the IME is left alone').to.be.false;
    // Full-width digits, as a Japanese IME writes them.
    uncancellableInput(el, '１２', 'insertCompositionText');
    await el.updateComplete;
    expect(el.value).to.equal('12');
    expect(boxes(el).text).to.equal('1|2||||');
  });

  describe('when a code arrives at once', () => {
    it('takes a plain paste', async () => {
      const el = await focused();
      paste(el, '482913');
      await el.updateComplete;
      expect(boxes(el)).to.deep.equal({text: '4|8|2|9|1|3', active: 5});
    });

    it('takes the code out of a messy paste', async () => {
      const el = await focused();
      paste(el, 'Your code is 123 456. Do not share it.');
      await el.updateComplete;
      expect(el.value).to.equal('123456');
    });

    it('takes several characters brought by one input event (SMS autofill)', async () => {
      const el = await focused();
      const completed = record(el, 'otp-complete');
      // What autofill does: the browser inserts the whole text as one edit.
      const inserted = document.execCommand('insertText', false, '482913');
      if (!inserted) uncancellableInput(el, '482913', 'insertReplacementText');
      await el.updateComplete;
      expect(el.value).to.equal('482913');
      expect(completed).to.have.length(1);
    });

    it('takes an input event that could not be cancelled, and cleans it', async () => {
      const el = await focused();
      uncancellableInput(el, '482-913', 'insertReplacementText');
      await el.updateComplete;
      expect(el.value).to.equal('482913');
      expect(inputOf(el).value).to.equal('482913');
    });

    it('lets the page transform what was pasted', async () => {
      const el = await focused();
      const seen: string[] = [];
      el.pasteTransformer = (text) => {
        seen.push(text);
        return [...text].reverse().join('');
      };
      paste(el, '319284');
      await el.updateComplete;
      expect(seen).to.deep.equal(['319284']);
      expect(el.value).to.equal('482913');
    });
  });
});
