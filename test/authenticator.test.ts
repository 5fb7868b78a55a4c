// <otp-step method="authenticator"> against the reference server's authenticator
// (the dev server's /api/totp), as a person with an authenticator app uses it:
// the QR code read from the pixels the element drew, the app's codes computed
// from the secret in it, typed one key at a time.
import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  appCode,
  appStep,
  enrolOnServer,
  ENDPOINT,
  openDialog,
  readQr,
  typeCode,
  verify,
} from './authenticator-helpers.js';
import {
  dialogOf,
  focusedInside,
  guardUncaughtErrors,
  part,
  parts,
  recordEvents,
  text,
  uniqueUser,
  visible,
} from './helpers.js';

guardUncaughtErrors();

describe('<otp-step method="authenticator">', () => {
  it('enrols an app from the QR code it shows, and gives the recovery codes and otp-enrolled {user} only', async () => {
    const user = uniqueUser('enrol');
    const el = await appStep(user, {enroll: true});
    const enrolled = recordEvents(el, 'otp-enrolled');
    await openDialog(el, 'qr');
    expect(dialogOf(el)!.open).to.be.true;

    // What a phone reads off the screen: an otpauth URI with the issuer, the account and the secret.
    const uri = new URL(await readQr(part<SVGSVGElement & HTMLElement>(el, 'qr')));
    expect(uri.protocol).to.equal('otpauth:');
    expect(uri.searchParams.get('issuer')).to.equal('otp-step demo');
    expect(decodeURIComponent(uri.pathname)).to.include(user);
    const secret = uri.searchParams.get('secret')!;
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    // The text alternative is the same secret, in groups of four.
    expect(text(el, 'secret')).to.equal(secret.replace(/(.{4})(?=.)/g, '$1 '));

    part(el, 'next').click();
    await waitUntil(() => parts(el, 'input').length > 0, 'no entry');
    await waitUntil(() => focusedInside(el) === part(el, 'input'), 'entry not focused');
    const event = await typeCode(el, await appCode(secret));
    expect(event.type).to.equal('otp-enrolled');
    expect(Object.keys((event as CustomEvent).detail)).to.deep.equal(['user']);
    expect((event as CustomEvent).detail).to.deep.equal({user});
    expect(enrolled).to.have.length(1);

    const codes = parts(el, 'recovery-codes')[0].querySelectorAll('li');
    expect(codes).to.have.length(10);
    for (const li of codes)
      expect(visible(li.textContent)).to.match(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    // The file to download holds every code, through a blob URL.
    const href = part<HTMLAnchorElement>(el, 'download').href;
    expect(href).to.match(/^blob:/);
    const file = await (await fetch(href)).text();
    for (const li of codes) expect(file).to.include(visible(li.textContent));
    expect(part<HTMLAnchorElement>(el, 'download').download).to.equal(
      'recovery-codes.txt',
    );

    part(el, 'done').click();
    await waitUntil(() => !dialogOf(el)!.open, 'dialog still open');
    // Done: nothing of the secret or the codes is left in the element.
    expect(el.shadowRoot!.innerHTML).not.to.include(secret);
  });

  it('re-enrols over an app only with a code of it: asked first, then the new QR code; the old app is then refused', async () => {
    const user = uniqueUser('reenrol');
    // The first app, set up through the element, its secret read off the QR code.
    const first = await appStep(user, {enroll: true});
    await openDialog(first, 'qr');
    const oldSecret = new URL(
      await readQr(part<SVGSVGElement & HTMLElement>(first, 'qr')),
    ).searchParams.get('secret')!;
    part(first, 'next').click();
    await waitUntil(() => parts(first, 'input').length > 0, 'no entry');
    expect((await typeCode(first, await appCode(oldSecret))).type).to.equal(
      'otp-enrolled',
    );
    part(first, 'done').click();
    await waitUntil(() => !dialogOf(first)!.open, 'dialog still open');

    // A new phone: the dialog asks for a code of the current app before any QR code.
    const el = await appStep(user, {enroll: true});
    await openDialog(el, 'switch-entry');
    expect(text(el, 'description')).to.equal(
      'You already have an authenticator app. Enter a code from it to set up a new one.',
    );
    expect(parts(el, 'qr')).to.have.length(0);
    expect(text(el, 'switch-entry')).to.equal('Use a recovery code');
    // A wrong code is said as at sign-in.
    const right = await appCode(oldSecret, true);
    const wrong = right.replace(/^./, (c) => String((Number(c) + 1) % 10));
    const refused = (await typeCode(el, wrong)) as CustomEvent;
    expect(refused.type).to.equal('otp-rejected');
    expect(refused.detail.reason).to.equal('invalid');
    expect(text(el, 'message')).to.match(/not right/i);
    expect(parts(el, 'qr')).to.have.length(0);
    // The old app's code, at a later step than its first: on to the QR code.
    part<HTMLInputElement>(el, 'input').focus();
    for (const key of right) await sendKeys({type: key});
    await waitUntil(() => parts(el, 'qr').length > 0, 'no QR code after the proof', {
      timeout: 5000,
    });
    const newSecret = new URL(
      await readQr(part<SVGSVGElement & HTMLElement>(el, 'qr')),
    ).searchParams.get('secret')!;
    expect(newSecret).not.to.equal(oldSecret);
    part(el, 'next').click();
    await waitUntil(() => parts(el, 'input').length > 0, 'no entry');
    expect((await typeCode(el, await appCode(newSecret, true))).type).to.equal(
      'otp-enrolled',
    );
    part(el, 'done').click();
    await waitUntil(() => !dialogOf(el)!.open, 'dialog still open');

    // Sign-in: the old app's code is refused, the new app's signs in.
    const signIn = await appStep(user);
    await openDialog(signIn);
    const old = (await typeCode(signIn, await appCode(oldSecret, true))) as CustomEvent;
    expect(old.type).to.equal('otp-rejected');
    expect(old.detail.reason).to.equal('invalid');
    const fresh = (await typeCode(signIn, await appCode(newSecret))) as CustomEvent;
    expect(fresh.type).to.equal('otp-confirmed');
    expect(fresh.detail.method).to.equal('authenticator');
  });

  it('signs in with the app’s code: otp-confirmed says authenticator, and the value is a confirmation the server accepts', async () => {
    const user = uniqueUser('app');
    const {secret} = await enrolOnServer(user);
    const el = await appStep(user);
    await openDialog(el);
    expect(parts(el, 'timer')).to.have.length(0);
    expect(parts(el, 'resend')).to.have.length(0);
    expect(parts(el, 'test-code')).to.have.length(0);
    const completed = recordEvents(el, 'step-complete');
    const event = (await typeCode(el, await appCode(secret, true))) as CustomEvent;
    expect(event.type).to.equal('otp-confirmed');
    expect(event.detail.method).to.equal('authenticator');
    expect(event.detail.user).to.equal(user);
    expect(el.value).to.equal(event.detail.confirmation);
    expect(completed).to.have.length(1);
    expect(dialogOf(el)!.open).to.be.false;
    expect(text(el, 'trigger')).to.equal('Code confirmed');
    const claims = await verify(el.value, user);
    expect(claims?.method).to.equal('authenticator');
    expect(claims?.user).to.equal(user);
  });

  it('takes a recovery code once, typed in lower case with its dash; its second use is refused as used', async () => {
    const user = uniqueUser('recovery');
    const {recoveryCodes} = await enrolOnServer(user);
    const el = await appStep(user);
    await openDialog(el);
    part(el, 'switch-entry').click();
    await waitUntil(() => text(el, 'label') === 'Recovery code', 'no recovery entry');
    expect(text(el, 'switch-entry')).to.equal("Use the app's code");
    const first = (await typeCode(el, recoveryCodes[0].toLowerCase())) as CustomEvent;
    expect(first.type).to.equal('otp-confirmed');
    expect(first.detail.method).to.equal('recovery-code');
    expect((await verify(el.value, user))?.method).to.equal('recovery-code');

    const again = await appStep(user);
    await openDialog(again);
    part(again, 'switch-entry').click();
    await waitUntil(() => text(again, 'label') === 'Recovery code', 'no recovery entry');
    const second = (await typeCode(again, recoveryCodes[0])) as CustomEvent;
    expect(second.type).to.equal('otp-rejected');
    expect(second.detail.reason).to.equal('used');
    expect(text(again, 'message')).to.equal(
      'This recovery code was already used: enter another one.',
    );
    expect(again.value).to.equal('');
  });

  it('says a wrong code is not right, with the attempts left, and clears the entry for the next', async () => {
    const user = uniqueUser('wrong');
    const {secret} = await enrolOnServer(user);
    const el = await appStep(user);
    await openDialog(el);
    const right = await appCode(secret, true);
    const wrong = right.replace(/^./, (c) => String((Number(c) + 1) % 10));
    const event = (await typeCode(el, wrong)) as CustomEvent;
    expect(event.type).to.equal('otp-rejected');
    expect(event.detail.reason).to.equal('invalid');
    expect(event.detail.attemptsLeft).to.be.a('number').and.above(0);
    expect(text(el, 'message')).to.match(
      /^That code is not right\. \d+ attempts? left\.$/,
    );
    expect(part<HTMLInputElement>(el, 'input').value).to.equal('');
    await waitUntil(() => focusedInside(el) === part(el, 'input'), 'entry lost focus');
    // The right code still signs in.
    expect((await typeCode(el, right)).type).to.equal('otp-confirmed');
  });

  it('refuses the app’s code a second time in its time step: wait for the next one', async () => {
    const user = uniqueUser('replay');
    const {secret} = await enrolOnServer(user);
    const code = await appCode(secret, true);
    const first = await appStep(user);
    await openDialog(first);
    expect((await typeCode(first, code)).type).to.equal('otp-confirmed');
    const second = await appStep(user);
    await openDialog(second);
    const event = (await typeCode(second, code)) as CustomEvent;
    expect(event.type).to.equal('otp-rejected');
    expect(event.detail.reason).to.equal('used');
    expect(text(second, 'message')).to.equal(
      'This code was already used: wait for the next one in the app.',
    );
  });

  it('a user with no app set up: not-enrolled, said in the dialog and in otp-error', async () => {
    const el = await appStep(uniqueUser('none'));
    await openDialog(el);
    const event = (await typeCode(el, '123456')) as CustomEvent;
    expect(event.type).to.equal('otp-error');
    expect(event.detail.code).to.equal('not-enrolled');
    expect(text(el, 'message')).to.equal(
      'No authenticator app is set up for this account. Use another way to sign in.',
    );
  });

  it('enrolment without a session: unauthenticated, beside the trigger', async () => {
    const el = await fixture<OtpStep>(
      html`<otp-step
        method="authenticator"
        enroll
        endpoint=${ENDPOINT}
        user="nobody"
      ></otp-step>`,
    );
    const error = oneEvent(el, 'otp-error');
    part(el, 'trigger').click();
    expect((await error).detail.code).to.equal('unauthenticated');
    await el.updateComplete;
    expect(dialogOf(el)?.open ?? false).to.be.false;
    expect(text(el, 'error')).to.include('sign in again');
  });

  it('without an endpoint (demo): otp-error endpoint-required, and no dialog', async () => {
    const el = await fixture<OtpStep>(
      html`<otp-step method="authenticator" demo user=${uniqueUser()}></otp-step>`,
    );
    const error = oneEvent(el, 'otp-error');
    part(el, 'trigger').click();
    const {detail} = await error;
    expect(detail.code).to.equal('endpoint-required');
    expect(detail.message).to.include('endpoint');
    expect(dialogOf(el)?.open ?? false).to.be.false;
  });

  it('a method it does not know: otp-error invalid-method', async () => {
    const el = await fixture<OtpStep>(
      html`<otp-step method="sms" demo user=${uniqueUser()}></otp-step>`,
    );
    const error = oneEvent(el, 'otp-error');
    part(el, 'trigger').click();
    expect((await error).detail.code).to.equal('invalid-method');
  });

  it('a network fault offers Retry, which signs in once the server answers', async () => {
    const user = uniqueUser('offline');
    const {secret} = await enrolOnServer(user);
    const el = await appStep(user);
    await openDialog(el);
    el.endpoint = '/api/nowhere-at-all';
    const event = (await typeCode(el, await appCode(secret, true))) as CustomEvent;
    expect(event.type).to.equal('otp-error');
    expect(['request-failed', 'bad-response', 'network-error']).to.include(
      event.detail.code,
    );
    el.endpoint = ENDPOINT;
    await el.updateComplete;
    const confirmed = oneEvent(el, 'otp-confirmed');
    part(el, 'retry').click();
    expect((await confirmed).detail.method).to.equal('authenticator');
  });

  it('by keyboard alone: open, switch to a recovery code and back, type, confirm with Enter', async () => {
    const user = uniqueUser('keys');
    const {recoveryCodes} = await enrolOnServer(user);
    const el = await fixture<OtpStep>(
      html`<otp-step
        method="authenticator"
        no-auto-confirm
        endpoint=${ENDPOINT}
        user=${user}
        .headers=${{'x-session-user': user}}
      ></otp-step>`,
    );
    part(el, 'trigger').focus();
    await sendKeys({press: 'Enter'});
    await waitUntil(() => focusedInside(el) === part(el, 'input'), 'entry not focused');
    await sendKeys({press: 'Tab'});
    expect(focusedInside(el)).to.equal(part(el, 'switch-entry'));
    await sendKeys({press: 'Enter'});
    await waitUntil(
      () => focusedInside(el) === part(el, 'input'),
      'entry not focused again',
    );
    expect(text(el, 'label')).to.equal('Recovery code');
    const confirmed = oneEvent(el, 'otp-confirmed');
    for (const key of recoveryCodes[1]) await sendKeys({type: key});
    await sendKeys({press: 'Enter'});
    expect((await confirmed).detail.method).to.equal('recovery-code');
  });

  it('enrols by keyboard alone: Next, the first code, the codes’ buttons, Done, focus back on the trigger', async () => {
    const user = uniqueUser('enrol-keys');
    const el = await appStep(user, {enroll: true});
    part(el, 'trigger').focus();
    await sendKeys({press: 'Enter'});
    await waitUntil(() => parts(el, 'next').length > 0, 'no QR code', {timeout: 5000});
    await waitUntil(() => focusedInside(el) === part(el, 'next'), 'Next not focused');
    const secret = text(el, 'secret').replace(/ /g, '');
    await sendKeys({press: 'Enter'});
    await waitUntil(
      () => parts(el, 'input').length > 0 && focusedInside(el) === part(el, 'input'),
      'entry not focused',
    );
    const enrolled = oneEvent(el, 'otp-enrolled');
    for (const key of await appCode(secret)) await sendKeys({type: key});
    await enrolled;
    await waitUntil(
      () => focusedInside(el) === part(el, 'copy-codes'),
      'Copy not focused',
    );
    await sendKeys({press: 'Tab'});
    expect(focusedInside(el)).to.equal(part(el, 'download'));
    await sendKeys({press: 'Tab'});
    expect(focusedInside(el)).to.equal(part(el, 'done'));
    await sendKeys({press: 'Enter'});
    await waitUntil(() => !dialogOf(el)!.open, 'dialog still open');
    await waitUntil(
      () => el.shadowRoot!.activeElement === part(el, 'trigger'),
      'focus lost',
    );
  });

  it('copies the secret whole, without the spaces it is shown with', async () => {
    const user = uniqueUser('copy');
    const el = await appStep(user, {enroll: true});
    await openDialog(el, 'secret');
    const written: string[] = [];
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {writeText: async (t: string) => void written.push(t)},
    });
    try {
      part(el, 'copy-secret').click();
      await waitUntil(() => text(el, 'message') === 'Key copied.', 'not copied');
    } finally {
      delete (navigator as unknown as Record<string, unknown>).clipboard;
      if (clipboard) Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    }
    expect(written).to.deep.equal([text(el, 'secret').replace(/ /g, '')]);
    expect(written[0]).to.match(/^[A-Z2-7]{32}$/);
  });
});
