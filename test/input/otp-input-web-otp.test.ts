import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../../src/input/otp-input.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {guardUncaughtErrors, playWebOtp} from '../helpers.js';
import {boxes, record} from './helpers.js';

guardUncaughtErrors();

describe('<otp-input> with web-otp', () => {
  const requests = playWebOtp();
  const signalOf = (i: number) => requests[i].options.signal!;

  it('asks for a code by SMS and fills it in, as a person would', async () => {
    const el = await fixture<OtpInput>(html`<otp-input web-otp></otp-input>`);
    const events = record(el, 'input', 'change', 'otp-complete');
    await waitUntil(() => requests.length === 1);
    expect((requests[0].options as {otp?: unknown}).otp).to.deep.equal({
      transport: ['sms'],
    });
    requests[0].resolve({type: 'otp', code: '482 913'});
    await waitUntil(() => el.value === '482913');
    await el.updateComplete;
    expect(boxes(el).text).to.equal('4|8|2|9|1|3');
    expect(events.map((e) => e.type)).to.deep.equal(['input', 'change', 'otp-complete']);
    expect(signalOf(0).aborted, 'the request is over').to.be.true;
    // One code, one request: no second one while web-otp stays set.
    await el.updateComplete;
    expect(requests).to.have.length(1);
  });

  it('stops asking when web-otp is removed, and asks again when it is set', async () => {
    const el = await fixture<OtpInput>(html`<otp-input web-otp></otp-input>`);
    await waitUntil(() => requests.length === 1);
    el.webOtp = false;
    await el.updateComplete;
    expect(signalOf(0).aborted).to.be.true;
    el.webOtp = true;
    await el.updateComplete;
    expect(requests).to.have.length(2);
    expect(signalOf(1).aborted).to.be.false;
    // A code for the request that was aborted is not taken.
    requests[0].resolve({type: 'otp', code: '111111'});
    requests[1].resolve({type: 'otp', code: '222222'});
    await waitUntil(() => el.value !== '');
    expect(el.value).to.equal('222222');
  });

  it('stops asking when disabled, or disconnected', async () => {
    const el = await fixture<OtpInput>(html`<otp-input web-otp></otp-input>`);
    await waitUntil(() => requests.length === 1);
    el.disabled = true;
    await el.updateComplete;
    expect(signalOf(0).aborted).to.be.true;
    el.disabled = false;
    await el.updateComplete;
    expect(requests).to.have.length(2);
    const parent = el.parentElement!;
    el.remove();
    expect(signalOf(1).aborted).to.be.true;
    parent.append(el);
    expect(requests).to.have.length(3);
    expect(signalOf(2).aborted).to.be.false;
  });

  it('stops asking inside a fieldset that gets disabled', async () => {
    const fieldset = await fixture<HTMLFieldSetElement>(
      html`<fieldset><otp-input web-otp></otp-input></fieldset>`,
    );
    await waitUntil(() => requests.length === 1);
    fieldset.disabled = true;
    await fieldset.querySelector('otp-input')!.updateComplete;
    expect(signalOf(0).aborted).to.be.true;
  });

  it('toggles fast without leaving a request open or a rejection unhandled', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    for (let i = 0; i < 5; i++) {
      el.webOtp = !el.webOtp;
      await el.updateComplete;
    }
    expect(requests).to.have.length(3);
    expect(requests.map((_, i) => signalOf(i).aborted)).to.deep.equal([
      true,
      true,
      false,
    ]);
    el.webOtp = false;
    await el.updateComplete;
    expect(signalOf(2).aborted).to.be.true;
  });

  it('gives up quietly when the browser refuses, and does not ask again by itself', async () => {
    const el = await fixture<OtpInput>(html`<otp-input web-otp></otp-input>`);
    await waitUntil(() => requests.length === 1);
    requests[0].reject(new DOMException('Not allowed', 'NotAllowedError'));
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
    expect(requests).to.have.length(1);
    expect(el.value).to.equal('');
  });

  it('does not ask without the attribute', async () => {
    const el = await fixture<OtpInput>(html`<otp-input></otp-input>`);
    await el.updateComplete;
    expect(requests).to.have.length(0);
  });

  it('does not ask where the browser has no WebOTP', async () => {
    const otpCredential = Object.getOwnPropertyDescriptor(window, 'OTPCredential')!;
    delete (window as unknown as Record<string, unknown>).OTPCredential;
    try {
      const el = await fixture<OtpInput>(html`<otp-input web-otp></otp-input>`);
      await el.updateComplete;
      expect(requests).to.have.length(0);
    } finally {
      Object.defineProperty(window, 'OTPCredential', otpCredential);
    }
  });
});
