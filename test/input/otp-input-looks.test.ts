import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {sendMouse} from '@web/test-runner-commands';
import {emulateMedia} from '../emulate-media.js';
import {OtpInput} from '../../src/input/otp-input.js';
import {guardUncaughtErrors} from '../helpers.js';
import {boxesOf, inputOf, part, paste, type} from './helpers.js';

guardUncaughtErrors();

const widthOf = (element: Element) => element.getBoundingClientRect().width;

/**
 * Focus as a person gives it, with a real click: :focus matches only in a page
 * that has focus, which a page the runner opened after another may not have.
 */
async function focusByClick(el: HTMLElement) {
  const box = el.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(box.x + 4), Math.round(box.y + box.height / 2)],
  });
  await sendMouse({type: 'move', position: [0, 0]});
}

describe('<otp-input> looks', () => {
  it('keeps the first character in the left box on a right-to-left page', async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div dir="rtl" lang="ar"><otp-input value="482913"></otp-input></div>`,
    );
    const el = root.querySelector('otp-input')!;
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'boxes')).direction).to.equal('ltr');
    const [first, second] = boxesOf(el);
    expect(first.textContent!.trim()).to.equal('4');
    expect(first.getBoundingClientRect().x).to.be.below(second.getBoundingClientRect().x);
  });

  it('draws smaller and larger boxes for size="small" and size="large"', async () => {
    const widths: Record<string, number> = {};
    for (const size of ['small', 'medium', 'large'] as const) {
      const el = await fixture<OtpInput>(html`<otp-input size=${size}></otp-input>`);
      expect(el.getAttribute('size')).to.equal(size);
      widths[size] = widthOf(part(el, 'box'));
    }
    expect(widths.small).to.be.below(widths.medium);
    expect(widths.medium).to.be.below(widths.large);
  });

  it("sizes its boxes in the element's font, not in their enlarged characters' (issue 11)", async () => {
    const root = await fixture<HTMLDivElement>(
      html`<div style="font-size: 20px; --otp-input-box-size: 3em">
        <otp-input></otp-input>
      </div>`,
    );
    const el = root.querySelector('otp-input')!;
    const box = part(el, 'box').getBoundingClientRect();
    expect(box.width).to.be.closeTo(60, 0.5);
    expect(box.height).to.be.closeTo(72, 0.5);
    // The characters are larger than the element's font, all the same.
    expect(parseFloat(getComputedStyle(part(el, 'box')).fontSize)).to.be.above(20);
  });

  it('keeps medium boxes as <otp-step> drew them, and large ones within a 30rem dialog', async () => {
    const medium = await fixture<OtpInput>(
      html`<otp-input style="font-size: 16px"></otp-input>`,
    );
    // 2.6em of the box's own 1.3em font, as before.
    expect(widthOf(part(medium, 'box'))).to.be.closeTo(2.6 * 1.3 * 16, 0.5);
    const large = await fixture<OtpInput>(
      html`<otp-input size="large" style="font-size: 16px"></otp-input>`,
    );
    // The dialog is at most 30rem, less 1.25rem of padding each side.
    expect(widthOf(part(large, 'boxes'))).to.be.below((30 - 2.5) * 16);
  });

  it('takes its colours from the page, down from :root, with light and dark defaults', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    const border = () => getComputedStyle(part(el, 'box')).borderTopColor;
    // Nothing is set on the element itself, so :root's value is what it reads.
    expect(getComputedStyle(el).getPropertyValue('--otp-input-border-color')).to.equal(
      '',
    );
    expect(border()).to.equal('rgb(111, 117, 128)');
    el.parentElement!.style.colorScheme = 'dark';
    expect(border()).to.equal('rgb(154, 160, 168)');
    document.documentElement.style.setProperty(
      '--otp-input-border-color',
      'rgb(1, 2, 3)',
    );
    try {
      expect(border()).to.equal('rgb(1, 2, 3)');
    } finally {
      document.documentElement.style.removeProperty('--otp-input-border-color');
    }
  });

  it('stops the caret blinking for reduced motion', async function () {
    // Firefox (over BiDi) and WebKit (over WebDriver) cannot emulate media features.
    if (!(await emulateMedia({reducedMotion: 'reduce'}))) this.skip();
    try {
      const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
      await focusByClick(el);
      const caret = part(el, 'caret');
      expect(getComputedStyle(caret).display).to.equal('block');
      expect(getComputedStyle(caret).animationName).to.equal('none');
    } finally {
      await emulateMedia({reducedMotion: 'no-preference'});
    }
  });

  it('blinks the caret in the active box only while the input has focus', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    const caret = part(el, 'caret');
    expect(getComputedStyle(caret).display).to.equal('none');
    await focusByClick(el);
    expect(getComputedStyle(caret).display).to.equal('block');
    if (!matchMedia('(prefers-reduced-motion: reduce)').matches)
      expect(getComputedStyle(caret).animationName).to.equal('blink');
  });

  it('keeps its boxes, the active one and the caret visible in forced colors', async () => {
    // No engine here can emulate forced colors: the rules are read instead.
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    const rules = el
      .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
      .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule)
      .filter((rule) => rule.conditionText.includes('forced-colors: active'))
      .flatMap((rule) => [...rule.cssRules] as CSSStyleRule[]);
    const declared = (part: string, property: string) =>
      rules
        .find((r) => r.selectorText.endsWith(`[part~="${part}"]`))
        ?.style.getPropertyValue(property);
    expect(declared('box', 'border-color')).to.equal('canvastext');
    expect(declared('box-active', 'outline-color')).to.equal('highlight');
    expect(declared('caret', 'background-color')).to.equal('canvastext');
  });

  it('can be defined twice, as when two bundles carry it, without throwing', async () => {
    // The same module under another URL: a second class, run through the guard.
    const url = new URL('../../src/input/otp-input-element.ts?again', import.meta.url)
      .href;
    const again = (await import(
      url
    )) as typeof import('../../src/input/otp-input-element.js');
    expect(again.OtpInput === OtpInput, 'a second class').to.be.false;
    expect(again.define(), 'the name keeps its first class').to.equal(OtpInput);
    expect(customElements.get('otp-input') === OtpInput, 'the first one stays').to.be
      .true;
  });

  describe('under a strict Content Security Policy', () => {
    let frame: HTMLIFrameElement | undefined;
    afterEach(() => frame?.remove());

    async function strictPage() {
      frame = document.createElement('iframe');
      frame.src = new URL('../csp/strict-csp.html', import.meta.url).href;
      const loaded = oneEvent(frame, 'load');
      document.body.append(frame);
      await loaded;
      const win = frame.contentWindow as Window & typeof globalThis;
      await win.customElements.whenDefined('otp-input');
      return {win, doc: frame.contentDocument!};
    }

    it('draws, takes a key and a paste, and changes length with no violation', async () => {
      const {win, doc} = await strictPage();
      const el = doc.createElement('otp-input') as OtpInput;
      doc.body.append(el);
      await el.updateComplete;
      expect(part(el, 'entry').style.getPropertyValue('--_length')).to.equal('6');
      el.focus();
      await type('4');
      paste(el, '482913');
      el.length = 8;
      await el.updateComplete;
      expect(part(el, 'entry').style.getPropertyValue('--_length')).to.equal('8');
      expect(boxesOf(el)).to.have.length(8);
      expect(inputOf(el).value).to.equal('482913');
      expect(win.violations).to.deep.equal([]);
    });

    it('would see a violation: a style attribute is blocked there', async () => {
      const {win, doc} = await strictPage();
      const div = doc.createElement('div');
      div.setAttribute('style', '--_length: 6');
      doc.body.append(div);
      await waitUntil(() => win.violations.length > 0);
      expect(win.violations[0]).to.match(/^style-src/);
    });
  });
});
