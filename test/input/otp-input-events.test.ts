import {expect, fixture, html} from '@open-wc/testing';
import '../../src/input/otp-input.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {guardUncaughtErrors} from '../helpers.js';
import {
  boxes,
  inputOf,
  paste,
  press,
  record,
  type,
  uncancellableInput,
} from './helpers.js';

guardUncaughtErrors();

/** An element in the page, focused, and every input, change and otp-complete that bubbles out of it. */
async function watched(template = html`<otp-input></otp-input>`) {
  const el = await fixture<OtpInput>(template);
  // The fixture's container goes with the fixture, and its listeners with it.
  const heard = record(el.parentElement!, 'input', 'change', 'otp-complete');
  const count = (type: string) => heard.filter((e) => e.type === type).length;
  el.focus();
  await el.updateComplete;
  return {el, heard: () => heard, count};
}

describe('<otp-input> events', () => {
  it('fires one input per change the person makes, bubbling out of shadow roots', async () => {
    const {el, heard, count} = await watched();
    await type('12');
    await press('Backspace');
    await type('a'); // not in the code: no change, no event
    paste(el, '482913');
    await el.updateComplete;
    expect(count('input')).to.equal(4);
    const first = heard().find((e) => e.type === 'input')!;
    expect(first.bubbles).to.be.true;
    expect(first.composed).to.be.true;
    // The value is there when the page hears of it.
    expect(el.value).to.equal('482913');
  });

  it('does not let the inner input event out beside its own', async () => {
    const {el, heard} = await watched();
    const onHost = record(el, 'input');
    uncancellableInput(el, '12', 'insertText');
    await el.updateComplete;
    expect(onHost).to.have.length(1);
    expect(heard().filter((e) => e.type === 'input')).to.have.length(1);
  });

  it('fires change on blur when the value changed, and only then', async () => {
    const {el, heard, count} = await watched();
    await type('12');
    expect(count('change')).to.equal(0);
    inputOf(el).blur();
    expect(count('change')).to.equal(1);
    const change = heard().find((e) => e.type === 'change')!;
    expect(change.bubbles).to.be.true;
    expect(change.composed, 'not composed, like a native change').to.be.false;
    el.focus();
    inputOf(el).blur();
    expect(count('change')).to.equal(1);
    el.focus();
    await type('3');
    inputOf(el).blur();
    expect(count('change')).to.equal(2);
  });

  it('fires change and otp-complete when the code becomes complete, and no change on the blur after', async () => {
    const {el, heard, count} = await watched();
    await type('48291');
    expect(count('otp-complete')).to.equal(0);
    expect(count('change')).to.equal(0);
    await type('3');
    expect(heard().map((e) => e.type)).to.deep.equal([
      ...Array(6).fill('input'),
      'change',
      'otp-complete',
    ]);
    const complete = heard().at(-1) as CustomEvent;
    expect(complete.detail).to.deep.equal({value: '482913'});
    expect(complete.bubbles && complete.composed).to.be.true;
    inputOf(el).blur();
    expect(count('change')).to.equal(1);
  });

  it('fires otp-complete every time an edit leaves every box filled', async () => {
    const {el, heard, count} = await watched();
    paste(el, '482913');
    expect(count('otp-complete')).to.equal(1);
    await press('Home');
    await type('5');
    expect(count('otp-complete')).to.equal(2);
    expect((heard().at(-1) as CustomEvent).detail).to.deep.equal({value: '582913'});
    await press('Backspace');
    expect(count('otp-complete')).to.equal(2);
  });

  it('fires nothing when the page sets the value, which is held to the alphabet and length', async () => {
    const {el, heard} = await watched();
    el.value = '12a-34 5678';
    expect(el.value).to.equal('123456');
    await el.updateComplete;
    expect(boxes(el).text).to.equal('1|2|3|4|5|6');
    expect(inputOf(el).value).to.equal('123456');
    inputOf(el).blur();
    expect(heard().map((e) => e.type)).to.deep.equal([]);
    el.alphabet = 'alphanumeric';
    el.value = 'oil-k7q';
    expect(el.value).to.equal('011K7Q');
  });

  it('shows a value the page sets back, right after the person changed it', async () => {
    const {el} = await watched(html`<otp-input value="123"></otp-input>`);
    // The person's edit and the page's answer, before the element renders again.
    uncancellableInput(el, '1234', 'insertText');
    el.value = '123';
    await el.updateComplete;
    expect(inputOf(el).value).to.equal('123');
    expect(boxes(el).text).to.equal('1|2|3|||');
  });

  it('takes its first value from the attribute, whatever the order of attributes', async () => {
    const el = await fixture<OtpInput>(
      html`<otp-input value="12345678" length="8"></otp-input>`,
    );
    expect(el.value).to.equal('12345678');
    expect(boxes(el).text).to.equal('1|2|3|4|5|6|7|8');
  });
});
