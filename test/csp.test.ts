import {expect, oneEvent, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import type {OtpStep} from '../src/otp-step.js';
import {part, uniqueUser} from './helpers.js';

/** The page in test/csp/, with its strict CSP, in a frame of this page (same origin). */
async function strictPage() {
  const frame = document.createElement('iframe');
  frame.src = new URL('./csp/strict-csp.html', import.meta.url).href;
  frame.style.cssText = 'width: 600px; height: 600px';
  const loaded = oneEvent(frame, 'load');
  document.body.append(frame);
  await loaded;
  const win = frame.contentWindow as Window & typeof globalThis;
  await win.customElements.whenDefined('otp-step');
  return {frame, win, doc: frame.contentDocument!};
}

describe('<otp-step> under a strict Content Security Policy', () => {
  let frame: HTMLIFrameElement | undefined;
  afterEach(() => frame?.remove());

  it('runs the whole flow (open, resend, type, confirm) with no violation', async () => {
    const page = await strictPage();
    frame = page.frame;
    const el = page.doc.createElement('otp-step') as OtpStep;
    el.demo = true;
    el.user = uniqueUser();
    el.resendAfter = 0;
    page.doc.body.append(el);
    await el.updateComplete;

    let issued = oneEvent(el, 'otp-issued');
    part(el, 'trigger').click();
    await issued;
    await el.updateComplete;
    const first = el.forTestCode;
    // The entry still gets its length, through CSSOM.
    expect(part(el, 'entry').style.getPropertyValue('--_length')).to.equal('6');
    issued = oneEvent(el, 'otp-issued');
    part(el, 'resend').click();
    await issued;
    await el.updateComplete;
    expect(el.forTestCode)
      .to.match(/^\d{6}$/)
      .and.not.equal(first);

    const confirmed = oneEvent(el, 'otp-confirmed');
    part(el, 'input').focus();
    for (const key of el.forTestCode) await sendKeys({type: key});
    await confirmed;
    await el.updateComplete;
    expect(el.value).to.equal(el.forTestCode);
    expect(part(el, 'status').textContent!.trim()).to.equal('Code confirmed.');
    expect(page.win.violations).to.deep.equal([]);
  });

  it('would see a violation: a style attribute is blocked there', async () => {
    // Proves the test above can fail: what the entry's style attribute used to do.
    const page = await strictPage();
    frame = page.frame;
    const div = page.doc.createElement('div');
    div.setAttribute('style', '--otp-step-length: 6');
    page.doc.body.append(div);
    await waitUntil(() => page.win.violations.length > 0);
    expect(page.win.violations[0]).to.match(/^style-src/);
  });
});
