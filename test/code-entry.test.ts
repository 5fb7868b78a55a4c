import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  dialogRoot,
  enterCode,
  guardUncaughtErrors,
  part,
  parts,
  pasteInto,
  playWebOtp,
  recordEvents,
  uniqueUser,
} from './helpers.js';

guardUncaughtErrors();

/** What each box shows, and which one is active. */
function boxes(el: OtpStep) {
  const all = parts(el, 'box');
  return {
    text: all.map((b) => b.textContent!.trim()).join('|'),
    active: all.findIndex((b) =>
      b.getAttribute('part')!.split(' ').includes('box-active'),
    ),
  };
}

async function press(...keys: string[]) {
  for (const key of keys) await sendKeys({press: key});
}

async function type(text: string) {
  for (const key of text) await sendKeys({type: key});
}

/** A paste into the step's code entry. */
const paste = (el: OtpStep, text: string) =>
  pasteInto(part<HTMLInputElement>(el, 'input'), text);

async function openStep(attributes = '') {
  const el = await fixture<OtpStep>(
    html`<otp-step
      demo
      user=${uniqueUser()}
      ?no-auto-confirm=${attributes.includes('manual')}
      ?mask=${attributes.includes('mask')}
      alphabet=${attributes.includes('alnum') ? 'alphanumeric' : 'numeric'}
    ></otp-step>`,
  );
  await clickTriggerForCode(el);
  part(el, 'input').focus();
  await el.updateComplete;
  return el;
}

// The entry's own behaviour (typing, caret, paste, look-alikes, sizes) is tested on
// <otp-input> in test/input/; here, what the step makes of it.
describe('<otp-step> code entry (its <otp-input>)', () => {
  it('is one real input under boxes, with the caret in the next box to fill', async () => {
    const el = await openStep('manual');
    expect(parts(el, 'input')).to.have.length(1);
    expect(part(el, 'input').shadowRoot).to.be.null;
    expect(el.shadowRoot!.querySelectorAll('input')).to.have.length(0);
    expect(dialogRoot(el)!.querySelectorAll('input')).to.have.length(0);
    expect(part(el, 'input').hasAttribute('maxlength')).to.be.false;
    await type('123');
    await el.updateComplete;
    expect(boxes(el)).to.deep.equal({text: '1|2|3|||', active: 3});
    expect(part(el, 'box-active').querySelector('[part="caret"]')).to.exist;
    expect(part<HTMLInputElement>(el, 'input').value).to.equal('123');
  });

  it('reads look-alikes as the character meant in an alphanumeric code', async () => {
    const el = await openStep('manual alnum');
    await type('oil');
    await el.updateComplete;
    expect(part<HTMLInputElement>(el, 'input').value).to.equal('011');
    expect(part<HTMLInputElement>(el, 'input').inputMode).to.equal('text');
    expect(part(el, 'input').getAttribute('pattern')).to.equal('[0-9A-Za-z]{6}');
  });

  it('has the numeric keyboard and pattern for a numeric code', async () => {
    const el = await openStep();
    const input = part<HTMLInputElement>(el, 'input');
    expect(input.inputMode).to.equal('numeric');
    expect(input.getAttribute('pattern')).to.equal('\\d{6}');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
  });

  it('confirms by itself once the last box is filled', async () => {
    const el = await openStep();
    const verdict = await enterCode(el, el.forTestCode);
    expect(verdict.type).to.equal('otp-confirmed');
  });

  it('waits for Enter with no-auto-confirm', async () => {
    const el = await openStep('manual');
    const events = recordEvents(el, 'otp-confirmed', 'otp-rejected');
    await type(el.forTestCode);
    await el.updateComplete;
    expect(events).to.have.length(0);
    const confirmed = oneEvent(el, 'otp-confirmed');
    await press('Enter');
    await confirmed;
  });

  it('shows • in place of each character with mask, keeping the numeric keyboard and autofill', async () => {
    const el = await openStep('manual mask');
    await type('123');
    await el.updateComplete;
    expect(boxes(el).text).to.equal('•|•|•|||');
    const input = part<HTMLInputElement>(el, 'input');
    expect(input.inputMode).to.equal('numeric');
    expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(input.type).to.equal('text');
  });

  describe('when a code arrives at once', () => {
    it('takes the code out of a messy paste', async () => {
      const el = await openStep();
      const code = el.forTestCode;
      const confirmed = oneEvent(el, 'otp-confirmed');
      paste(el, `Your code is ${code.slice(0, 3)} ${code.slice(3)}. Do not share it.`);
      await confirmed;
    });

    it('takes several characters brought by one input event (SMS autofill)', async () => {
      const el = await openStep();
      const confirmed = oneEvent(el, 'otp-confirmed');
      // What autofill does: the browser inserts the whole text as one edit.
      const inserted = document.execCommand('insertText', false, `${el.forTestCode}`);
      if (!inserted) {
        const input = part<HTMLInputElement>(el, 'input');
        input.value = el.forTestCode;
        input.dispatchEvent(
          new InputEvent('input', {bubbles: true, inputType: 'insertReplacementText'}),
        );
      }
      await confirmed;
    });

    it('lets the page transform what was pasted', async () => {
      const el = await openStep();
      const seen: string[] = [];
      el.pasteTransformer = (text) => {
        seen.push(text);
        return [...text].reverse().join('');
      };
      // A property, as any: it reaches the entry at the next update.
      await el.updateComplete;
      const confirmed = oneEvent(el, 'otp-confirmed');
      paste(el, [...el.forTestCode].reverse().join(''));
      await confirmed;
      expect(seen).to.have.length(1);
    });
  });

  describe('with web-otp', () => {
    const requests = playWebOtp();

    it('fills in and confirms a code that arrives by SMS', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()} web-otp></otp-step>`,
      );
      await clickTriggerForCode(el);
      await waitUntil(() => requests.length === 1);
      expect((requests[0].options as {otp?: unknown}).otp).to.deep.equal({
        transport: ['sms'],
      });
      const confirmed = oneEvent(el, 'otp-confirmed');
      requests[0].resolve({code: el.forTestCode, type: 'otp'});
      await confirmed;
      await waitUntil(() => requests[0].options.signal!.aborted, 'request not aborted');
    });

    it('stops asking when the dialog closes', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()} web-otp></otp-step>`,
      );
      await clickTriggerForCode(el);
      await waitUntil(() => requests.length === 1);
      el.close();
      // The entry stops asking once it hears the dialog closed, at its next update.
      await waitUntil(() => requests[0].options.signal!.aborted, 'request not aborted');
    });

    it('does not ask without the attribute', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()}></otp-step>`,
      );
      await clickTriggerForCode(el);
      expect(requests).to.have.length(0);
    });
  });
});
