// The element's side of issue 18 against the stand-in sending routes in
// scripts/otp-dev-middleware.mjs (/api/delivery/…): the channel asked for, the
// hint shown, and the delivery status read while the dialog is open.
import {aTimeout, expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  guardUncaughtErrors,
  visible,
  part,
  parts,
  rawText,
  recordEvents,
  text,
  uniqueUser,
} from './helpers.js';

guardUncaughtErrors();

interface Seen {
  channel: string;
  reads: number;
}
const seen = async (requestId: string): Promise<Seen> =>
  (await (await fetch(`/api/delivery/log?requestId=${requestId}`)).json()) as Seen;

const step = (mode: string, user: string, lang = 'en', channel = 'email') =>
  fixture<OtpStep>(
    html`<otp-step
      lang=${lang}
      endpoint=${`/api/delivery/${mode}/otp`}
      channel=${channel}
      user=${user}
      step-name="login"
    ></otp-step>`,
  );

async function open(el: OtpStep): Promise<string> {
  const issued = oneEvent(el, 'otp-issued');
  part(el, 'trigger').click();
  const {detail} = await issued;
  await el.updateComplete;
  return detail.requestId;
}

describe('<otp-step> says where the code went', () => {
  it('sends the channel attribute and shows the hint, isolated, in four languages', async () => {
    const expected: Record<string, RegExp> = {
      en: /We sent a 6-digit code to \+55 ••• •••• 1234/,
      pt: /Enviamos um código de 6 dígitos para \+55 ••• •••• 1234/,
      de: /an \+55 ••• •••• 1234 gesendet/,
      ar: /إلى \+55 ••• •••• 1234/,
    };
    for (const [lang, sentence] of Object.entries(expected)) {
      const el = await step('sent', uniqueUser(), lang, 'sms');
      const id = await open(el);
      expect((await seen(id)).channel).to.equal('sms');
      expect(text(el, 'description'), lang).to.match(sentence);
      expect(rawText(el, 'description'), lang).to.contain(
        '\u2068+55 ••• •••• 1234\u2069',
      );
    }
  });

  it('refuses a channel it does not know with invalid-channel', async () => {
    const el = await step('sent', uniqueUser(), 'en', 'pigeon');
    const events = recordEvents(el, 'otp-error');
    part(el, 'trigger').click();
    await waitUntil(() => events.length > 0, 'otp-error');
    expect(events[0].detail.code).to.equal('invalid-channel');
  });

  it('a failed delivery says so and enables Resend at once', async () => {
    const el = await step('failed', uniqueUser());
    await open(el);
    expect(part<HTMLButtonElement>(el, 'resend').disabled).to.equal(true);
    await waitUntil(
      () => parts<HTMLButtonElement>(el, 'resend').some((b) => !b.disabled),
      'Resend enabled after the failure',
      {timeout: 6000, interval: 100},
    );
    expect(text(el, 'message')).to.match(/could not be sent/);
  });

  it('reads the status when the page becomes visible again', async () => {
    const el = await step('sent', uniqueUser());
    const id = await open(el);
    expect((await seen(id)).reads).to.equal(0);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(async () => (await seen(id)).reads === 1, 'one read', {
      timeout: 2000,
    });
  });

  it('a server without the status route: one read, no error, the dialog goes on', async () => {
    const el = await step('nostatus', uniqueUser());
    const events = recordEvents(el, 'otp-error');
    const id = await open(el);
    await waitUntil(async () => (await seen(id)).reads === 1, 'the first read', {
      timeout: 5000,
    });
    await aTimeout(300);
    expect(events).to.have.length(0);
    expect(text(el, 'message')).to.equal('');
    expect(part<HTMLButtonElement>(el, 'confirm').disabled).to.equal(false);
  });
});

describe('<otp-step> another channel', () => {
  it('"Send by SMS instead" waits for the resend cooldown, as Resend does', async () => {
    const el = await step('sent', uniqueUser());
    await open(el);
    const other = part<HTMLButtonElement>(el, 'other-channel');
    expect(visible(other.textContent)).to.equal('Send by SMS instead');
    expect(other.disabled).to.equal(true);
  });

  it('issues a new code on sms, and the hint and the button change', async () => {
    const el = await step('sent', uniqueUser('switch'));
    const first = await open(el);
    expect(text(el, 'description')).to.contain('•••@example.com');
    expect((await seen(first)).channel).to.equal('email');
    const issued = oneEvent(el, 'otp-issued');
    part(el, 'other-channel').click();
    const {detail} = await issued;
    await el.updateComplete;
    expect((await seen(detail.requestId)).channel).to.equal('sms');
    expect(text(el, 'description')).to.contain('+55 ••• •••• 1234');
    expect(text(el, 'other-channel')).to.equal('Send by e-mail instead');
    expect(el.channel).to.equal('sms');
  });

  it('names the other channel in pt, de and ar', async () => {
    const names: Record<string, string> = {
      pt: 'Enviar por SMS',
      de: 'Stattdessen per SMS senden',
      ar: 'الإرسال عبر رسالة نصية بدلًا من ذلك',
    };
    for (const [lang, name] of Object.entries(names)) {
      const el = await step('sent', uniqueUser(), lang);
      await open(el);
      expect(text(el, 'other-channel'), lang).to.equal(name);
    }
  });
});
