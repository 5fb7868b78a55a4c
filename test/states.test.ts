// Each state of the step where the person can see it: where focus goes, what is
// said and where, and what the trigger does next.
import {expect, fixture, fixtureSync, html, oneEvent, waitUntil} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  dialogOf,
  enterCode,
  fakeClock,
  focusedInside,
  guardUncaughtErrors,
  part,
  parts,
  recordEvents,
  text,
  uniqueUser,
  wrongCode,
} from './helpers.js';

guardUncaughtErrors();

const step = (attributes: {user?: string; maxAttempts?: number} = {}) =>
  fixture<OtpStep>(
    html`<otp-step
      demo
      user=${attributes.user ?? uniqueUser('state')}
      max-attempts=${attributes.maxAttempts ?? 5}
      lifetime="2m"
    ></otp-step>`,
  );

describe('<otp-step> states', () => {
  it('issuing: the trigger turns busy once the wait shows, and a second click asks for nothing more', async () => {
    // A backend that takes 6 s to answer (with a 500), and a timeout of 1 s.
    const el = await fixture<OtpStep>(
      html`<otp-step
        endpoint="/api/faults/slow"
        user=${uniqueUser()}
        timeout="1"
      ></otp-step>`,
    );
    const requests = recordEvents(el, 'otp-request');
    part(el, 'trigger').click();
    expect(part(el, 'trigger').hasAttribute('aria-busy')).to.be.false;
    await waitUntil(
      () => part(el, 'trigger').getAttribute('aria-busy') === 'true',
      'not busy',
    );
    part(el, 'trigger').click();
    const error = await oneEvent(el, 'otp-error');
    expect(error.detail.code).to.equal('timeout');
    expect(requests).to.have.length(1);
    await el.updateComplete;
    expect(part(el, 'trigger').hasAttribute('aria-busy')).to.be.false;
  });

  it('expired: the test code goes, Resend has focus, and Resend brings a new code', async () => {
    const clock = fakeClock();
    try {
      const el = await step();
      await clickTriggerForCode(el);
      const expired = oneEvent(el, 'otp-expired');
      clock.tick(120_000);
      await expired;
      await el.updateComplete;
      expect(el.forTestCode).to.equal('');
      expect(parts(el, 'test-code')).to.have.length(0);
      expect(text(el, 'message')).to.include('expired');
      await waitUntil(
        () => focusedInside(el) === part(el, 'resend'),
        'Resend not focused',
      );
      const issued = oneEvent(el, 'otp-issued');
      part(el, 'resend').click();
      expect((await issued).detail.attemptsLeft).to.be.above(0);
      expect(el.forTestCode).to.match(/^\d{6}$/);
    } finally {
      clock.restore();
    }
  });

  it('locked: says until when, keeps focus in the dialog, and says it beside the trigger once closed', async () => {
    const el = await step({maxAttempts: 1});
    await clickTriggerForCode(el);
    await enterCode(el, wrongCode(el.forTestCode));
    expect(el.matches(':state(locked)')).to.be.true;
    expect(text(el, 'message')).to.match(
      /^Too many wrong codes\. You can ask for a new code at \d/,
    );
    await waitUntil(() => focusedInside(el) === part(el, 'close'), 'Close not focused');
    expect(document.activeElement).not.to.equal(document.body);
    part(el, 'close').click();
    await waitUntil(() => !dialogOf(el)!.open);
    await el.updateComplete;
    expect(text(el, 'error')).to.equal(text(el, 'message'));
  });

  it('wrong code: the attempts left are said once, and the title does not move', async () => {
    const el = await step();
    await clickTriggerForCode(el);
    const title = part(el, 'title').getBoundingClientRect().top;
    await enterCode(el, wrongCode(el.forTestCode));
    expect(text(el, 'message')).to.equal('That code is not right. 4 attempts left.');
    expect(dialogOf(el)!.textContent!.match(/attempts left/g)).to.have.length(1);
    expect(part(el, 'title').getBoundingClientRect().top).to.equal(title);
  });

  it('confirmed: the trigger says so, and a click on it issues no new code', async () => {
    const el = await step();
    await clickTriggerForCode(el);
    await enterCode(el, el.forTestCode);
    expect(text(el, 'trigger')).to.equal('Code confirmed');
    expect(part(el, 'trigger').getAttribute('aria-disabled')).to.equal('true');
    // Still announced, once, by the live region beside it.
    expect(text(el, 'status')).to.equal('Code confirmed.');
    const requests = recordEvents(el, 'otp-request');
    part(el, 'trigger').click();
    await el.updateComplete;
    expect(requests).to.have.length(0);
    expect(dialogOf(el)!.open).to.be.false;
    expect(el.value).to.not.equal('');
    // The page can still ask for a new one.
    expect(await el.requestCode()).to.be.true;
    expect(text(el, 'trigger')).to.equal('Get code');
  });

  it('comes back after a reload in the middle of a source-step chain, and the trigger reopens it', async () => {
    const user = uniqueUser('chain-reload');
    const page = () =>
      fixtureSync<HTMLDivElement>(html`
        <div>
          <form id="user-info-reload">
            <input name="user" value=${user} />
            <button type="submit">Sign in</button>
          </form>
          <otp-step demo source-step="user-info-reload" step-name="login"></otp-step>
        </div>
      `);
    const before = page();
    const first = before.querySelector('otp-step')!;
    await first.updateComplete;
    const issued = oneEvent(first, 'otp-issued');
    before.querySelector('button')!.click();
    await issued;
    before.remove();

    // What a reload gives: the same form, holding the user typed, and a new element.
    const after = page();
    const el = after.querySelector('otp-step')!;
    await waitUntil(() => dialogOf(el)?.open, 'the pending code did not come back');
    expect(el.user).to.equal(user);
    el.close();
    await waitUntil(() => !dialogOf(el)!.open);

    // Signing in again shows the same code, not a refused resend.
    const requests = recordEvents(el, 'otp-request', 'otp-error');
    after.querySelector('button')!.click();
    await waitUntil(() => dialogOf(el)!.open, 'not reopened');
    expect(requests).to.have.length(0);
    part(el, 'trigger').click();
    expect(requests).to.have.length(0);
    expect(text(el, 'attempts')).to.equal('5 attempts left');
  });
});
