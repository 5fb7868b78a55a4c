// How the authenticator's dialog looks and reads, in every state a person can
// see: axe, the layout at a phone's width and a desktop's, left-to-right and
// right-to-left, and the strict CSP with the QR code drawn.
import {expect, oneEvent, waitUntil} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  appCode,
  appStep,
  enrolOnServer,
  ENDPOINT,
  openDialog,
  typeCode,
} from './authenticator-helpers.js';
import {dialogOf, guardUncaughtErrors, part, parts, text, uniqueUser} from './helpers.js';
import {setFrameWidth, viewportFrame} from './viewport-frame.js';

guardUncaughtErrors();

type State =
  | 'sign-in'
  | 'recovery'
  | 'invalid'
  | 'current'
  | 'scan'
  | 'first-code'
  | 'recovery-codes';
const STATES: State[] = [
  'sign-in',
  'current',
  'recovery',
  'invalid',
  'scan',
  'first-code',
  'recovery-codes',
];

/** The states of a step with `enroll`; of a user with no app yet. */
const ENROLLING: State[] = ['current', 'scan', 'first-code', 'recovery-codes'];
const NO_APP: State[] = ['scan', 'first-code', 'recovery-codes'];

/** Brings a step to `state`, its dialog open. */
async function reach(el: OtpStep, state: State, secret?: string) {
  if (state === 'scan' || state === 'first-code' || state === 'recovery-codes') {
    await openDialog(el, 'qr');
    if (state === 'scan') return;
    const shown = text(el, 'secret').replace(/ /g, '');
    part(el, 'next').click();
    await waitUntil(() => parts(el, 'input').length > 0, 'no entry');
    if (state === 'first-code') return;
    await typeCode(el, await appCode(shown));
    await waitUntil(() => parts(el, 'recovery-codes').length > 0, 'no codes');
    return;
  }
  // 'current': setting up a new app over one the user has, a code of that one first.
  await openDialog(el);
  if (state === 'current')
    await waitUntil(
      () => parts(el, 'switch-entry').length > 0,
      'no proof of the current app asked',
    );
  if (state === 'recovery') {
    part(el, 'switch-entry').click();
    await waitUntil(() => text(el, 'label') === 'Recovery code', 'no recovery entry');
  }
  if (state === 'invalid') {
    const right = await appCode(secret!, true);
    await typeCode(
      el,
      right.replace(/^./, (c) => String((Number(c) + 1) % 10)),
    );
  }
}

describe('<otp-step method="authenticator"> looks', () => {
  describe('passes axe in every state', () => {
    for (const state of STATES)
      it(state, async () => {
        const user = uniqueUser('axe');
        const enroll = ENROLLING.includes(state);
        const secret = NO_APP.includes(state)
          ? undefined
          : (await enrolOnServer(user)).secret;
        const el = await appStep(user, {enroll});
        await reach(el, state, secret);
        expect(dialogOf(el)!.open).to.be.true;
        await expect(el).to.be.accessible();
      });
  });

  it('names the QR code, and describes it with the secret people can type', async () => {
    const el = await appStep(uniqueUser('name'), {enroll: true});
    await reach(el, 'scan');
    const qr = part(el, 'qr');
    expect(qr.getAttribute('role')).to.equal('img');
    expect(qr.getAttribute('aria-label')).to.equal('QR code for your authenticator app');
    const root = qr.getRootNode() as ShadowRoot;
    const described = qr
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => root.getElementById(id)?.textContent?.trim());
    expect(described[1]).to.equal(text(el, 'secret'));
    expect(part(el, 'secret').getAttribute('dir')).to.equal('ltr');
    // Dark on light in either scheme, on a light quiet zone.
    expect(getComputedStyle(qr).backgroundColor).to.equal('rgb(255, 255, 255)');
  });

  describe('layout: nothing overflows at 375 px and 1280 px, left-to-right and right-to-left', () => {
    let frame: HTMLIFrameElement;
    before(async () => {
      frame = await viewportFrame();
    });
    after(() => frame.remove());

    for (const width of [375, 1280])
      for (const lang of ['en', 'ar'])
        for (const state of STATES)
          it(`${state}, ${width} px, ${lang}`, async () => {
            await setFrameWidth(frame, width);
            const doc = frame.contentDocument!;
            const user = uniqueUser('firstname.lastname.with-a-long-domain@example.com');
            const enroll = ENROLLING.includes(state);
            const secret = NO_APP.includes(state)
              ? undefined
              : (await enrolOnServer(user)).secret;
            const el = doc.createElement('otp-step') as OtpStep;
            el.setAttribute('method', 'authenticator');
            if (enroll) el.setAttribute('enroll', '');
            el.setAttribute('endpoint', ENDPOINT);
            el.setAttribute('user', user);
            el.setAttribute('lang', lang);
            if (lang === 'ar') el.dir = 'rtl';
            el.headers = {'x-session-user': user};
            doc.body.append(el);
            try {
              await el.updateComplete;
              if (lang === 'ar' && state === 'recovery') {
                await openDialog(el);
                part(el, 'switch-entry').click();
                await waitUntil(
                  () =>
                    parts(el, 'boxes').length > 0 &&
                    text(el, 'label') === 'رمز الاسترداد',
                );
              } else await reach(el, state, secret);
              await el.updateComplete;
              const view = frame.contentWindow!;
              const dialog = dialogOf(el)!;
              const d = dialog.getBoundingClientRect();
              const problems: string[] = [];
              if (d.left < -0.5 || d.right > view.innerWidth + 0.5)
                problems.push(`dialog ${d.left}–${d.right} outside ${view.innerWidth}`);
              if (dialog.scrollWidth > dialog.clientWidth)
                problems.push(
                  `dialog scrolls sideways ${dialog.scrollWidth} > ${dialog.clientWidth}`,
                );
              for (const name of [
                'qr',
                'secret',
                'copy-secret',
                'recovery-codes',
                'box',
                'switch-entry',
                'confirm',
                'close',
                'done',
                'download',
                'next',
                'back',
              ])
                for (const p of parts(el, name)) {
                  const r = p.getBoundingClientRect();
                  if (r.left < d.left - 0.5 || r.right > d.right + 0.5)
                    problems.push(
                      `${name} ${r.left}–${r.right} outside the dialog ${d.left}–${d.right}`,
                    );
                  if (p.scrollWidth > p.clientWidth + 1 && p.localName !== 'svg')
                    problems.push(`${name} clipped: ${p.scrollWidth} > ${p.clientWidth}`);
                }
              expect(problems).to.deep.equal([]);
              expect(getComputedStyle(dialog).direction).to.equal(
                lang === 'ar' ? 'rtl' : 'ltr',
              );
            } finally {
              el.remove();
            }
          });
  });

  it('runs under the strict CSP with the QR code drawn and the codes to download: no violation', async () => {
    const frame = document.createElement('iframe');
    frame.src = new URL('./csp/strict-csp.html', import.meta.url).href;
    frame.style.cssText = 'width: 600px; height: 800px';
    const loaded = oneEvent(frame, 'load');
    document.body.append(frame);
    try {
      await loaded;
      const win = frame.contentWindow as Window & typeof globalThis;
      await win.customElements.whenDefined('otp-step');
      const user = uniqueUser('csp');
      const el = win.document.createElement('otp-step') as OtpStep;
      el.method = 'authenticator';
      el.enroll = true;
      el.endpoint = ENDPOINT;
      el.user = user;
      el.headers = {'x-session-user': user};
      win.document.body.append(el);
      await el.updateComplete;
      await reach(el, 'recovery-codes');
      const link = part<HTMLAnchorElement>(el, 'download');
      expect(link.href).to.match(/^blob:/);
      // The file is there to be saved: read back from the page that made it.
      expect(await (await fetch(link.href)).text()).to.include(
        parts(el, 'recovery-codes')[0].querySelector('code')!.textContent!,
      );
      expect(win.violations).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
