import {expect, fixture, fixtureSync, html, oneEvent, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import sinon from 'sinon';
import {resetSharedChallengeStore} from '../src/challenge/challenge-store.js';
import {ALPHABETS} from '../src/code/alphabets.js';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {tickListenerCount} from '../src/ticker.js';
import {
  clickTriggerForCode,
  dialogOf,
  dialogRoot,
  enterCode,
  fakeClock,
  guardUncaughtErrors,
  part,
  parts,
  recordEvents,
  text,
  uniqueUser,
  visible,
  wrongCode,
} from './helpers.js';

guardUncaughtErrors();

const step = (user = uniqueUser()) =>
  fixture<OtpStep>(
    html`<otp-step demo step-name="login" user=${user} client="web"></otp-step>`,
  );

// `fixture()` of a plain element waits for an animation frame, which never comes
// to a page the browser runs in the background; so such fixtures here are made
// with `fixtureSync()` and the elements awaited themselves.

describe('<otp-step>', () => {
  describe('when idle', () => {
    it('renders only its trigger, with no dialog and no timer', async () => {
      const el = await step();
      expect(text(el, 'trigger')).to.equal('Get code');
      expect(dialogOf(el)).to.be.null;
      expect(tickListenerCount()).to.equal(0);
      await expect(el).to.be.accessible();
    });

    it('starts from a trigger of the page’s own, in the trigger slot', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()}
          ><button slot="trigger">Sign in with a code</button></otp-step
        >`,
      );
      const issued = oneEvent(el, 'otp-issued');
      el.querySelector('button')!.click();
      await issued;
      expect(dialogOf(el)!.open).to.be.true;
    });
  });

  describe('getting a code', () => {
    it('asks first, issues a code, keeps it in forTestCode and shows it in a modal', async () => {
      const user = uniqueUser('alice');
      const el = await step(user);
      const events = recordEvents(el, 'otp-request', 'otp-issued');
      await clickTriggerForCode(el);

      expect(events.map((e) => e.type)).to.deep.equal(['otp-request', 'otp-issued']);
      expect(events[0].detail).to.deep.equal({
        stepName: 'login',
        user,
        client: 'web',
        resend: false,
      });
      expect(events[1].detail).to.include({
        stepName: 'login',
        user,
        client: 'web',
        attemptsLeft: 5,
      });
      expect(
        (events[1].detail as {expiresAt: number}).expiresAt - Date.now(),
      ).to.be.within(299_000, 300_000);
      expect(events[1].bubbles && events[1].composed).to.be.true;

      expect(el.forTestCode).to.match(/^\d{6}$/);
      const dialog = dialogOf(el)!;
      expect(dialog.open).to.be.true;
      expect(dialog.matches(':modal')).to.be.true;
      expect(text(el, 'code')).to.equal(el.forTestCode);
      expect(text(el, 'test-code')).to.include('testing only');
      expect(text(el, 'attempts')).to.equal('5 attempts left');
      expect(text(el, 'timer')).to.match(/^Expires in (5:00|4:59)$/);
      const input = part<HTMLInputElement>(el, 'input');
      expect(input.getAttribute('autocomplete')).to.equal('one-time-code');
      expect(input.inputMode).to.equal('numeric');
      expect(input.dir).to.equal('ltr');
      await expect(el).to.be.accessible();
    });

    it('issues one code for a double click on the trigger', async () => {
      const el = await step();
      const events = recordEvents(el, 'otp-request', 'otp-issued', 'otp-error');
      part(el, 'trigger').click();
      part(el, 'trigger').click();
      await waitUntil(() => dialogOf(el)?.open);
      await el.updateComplete;
      // Counted once the code is out: a second ask would have fired its
      // otp-request while the first code was still being made.
      expect(events.map((e) => e.type)).to.deep.equal(['otp-request', 'otp-issued']);
    });

    it('issues nothing when the page cancels otp-request', async () => {
      const el = await step();
      const issued = recordEvents(el, 'otp-issued');
      el.addEventListener('otp-request', (e) => e.preventDefault());
      part(el, 'trigger').click();
      // The click's request is still under way: this gets its answer, once it is settled.
      expect(await el.requestCode()).to.be.false;
      expect(issued).to.have.length(0);
      expect(el.forTestCode).to.equal('');
      expect(dialogOf(el)).to.be.null;
    });

    it('draws alphanumeric codes without look-alike characters', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step
          demo
          user=${uniqueUser()}
          alphabet="alphanumeric"
          length="8"
        ></otp-step>`,
      );
      await clickTriggerForCode(el);
      expect(el.forTestCode).to.have.length(8);
      for (const c of el.forTestCode) expect(ALPHABETS.alphanumeric).to.include(c);
      expect(part<HTMLInputElement>(el, 'input').inputMode).to.equal('text');
      expect(text(el, 'description')).to.include('8-character code');
    });
  });

  describe('the code entry', () => {
    /** How many boxes each group of the dialog's entry holds. */
    const groupsOf = (el: OtpStep) =>
      [...part(el, 'boxes').children].map(
        (g) => g.querySelectorAll('[part~="box"]').length,
      );

    it('draws the boxes in groups as group says, 123 456 by default, and confirms a code typed across the gap', async () => {
      const cases = [
        [6, null, [3, 3]],
        [8, null, [4, 4]],
        [10, null, [10]],
        [6, '0', [6]],
        [10, '5', [5, 5]],
        [7, '3', [3, 3, 1]],
        [6, 'x', [3, 3]],
      ] as const;
      for (const [length, group, expected] of cases) {
        const el = fixtureSync<OtpStep>(
          html`<otp-step demo user=${uniqueUser()} length=${length}></otp-step>`,
        );
        if (group !== null) el.setAttribute('group', group);
        await el.updateComplete;
        await clickTriggerForCode(el);
        expect(groupsOf(el), `length ${length}, group ${group}`).to.deep.equal(expected);
        if (length === 10) {
          const event = await enterCode(el, el.forTestCode);
          expect(event.type).to.equal('otp-confirmed');
          expect(el.value, 'no space in the code confirmed').to.equal(el.forTestCode);
        }
      }
    });

    it('follows group while the dialog is open', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      el.group = 2;
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([2, 2, 2]);
      el.setAttribute('group', '0');
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([6]);
      el.removeAttribute('group');
      await el.updateComplete;
      expect(groupsOf(el)).to.deep.equal([3, 3]);
    });

    it('leaves room in the dialog for a password manager’s badge', async () => {
      // 1Password's button, as it appends it to <body> when the entry has focus.
      const badge = document.createElement('com-1password-button');
      document.body.append(badge);
      try {
        const el = await step();
        await clickTriggerForCode(el);
        const input = part(el, 'input');
        const last = () => parts(el, 'box').at(-1)!.getBoundingClientRect().right;
        await waitUntil(
          () => input.getBoundingClientRect().right - last() >= 39.5,
          'room for the badge',
          {timeout: 3000},
        );
        const dialog = dialogOf(el)!.getBoundingClientRect();
        expect(input.getBoundingClientRect().right).to.be.at.most(dialog.right);
        const event = await enterCode(el, el.forTestCode);
        expect(event.type).to.equal('otp-confirmed');
      } finally {
        badge.remove();
      }
    });
  });

  describe('confirming', () => {
    it('confirms the code typed with spaces and dashes, then completes the step', async () => {
      const user = uniqueUser();
      const el = await step(user);
      await clickTriggerForCode(el);
      const code = el.forTestCode;
      const events = recordEvents(el, 'otp-confirmed', 'step-complete');
      const verdict = await enterCode(el, `${code.slice(0, 3)} - ${code.slice(3)}`);

      expect(verdict.type).to.equal('otp-confirmed');
      await waitUntil(() => events.length === 2);
      expect(events.map((e) => e.type)).to.deep.equal(['otp-confirmed', 'step-complete']);
      expect(events[1].detail).to.include({stepName: 'login', user, client: 'web'});
      expect(dialogOf(el)!.open).to.be.false;
      expect(text(el, 'status')).to.equal('Code confirmed.');
      await expect(el).to.be.accessible();
    });

    it('accepts lower-case letters for an alphanumeric code', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()} alphabet="alphanumeric"></otp-step>`,
      );
      await clickTriggerForCode(el);
      const verdict = await enterCode(el, el.forTestCode.toLowerCase());
      expect(verdict.type).to.equal('otp-confirmed');
    });

    it('accepts a code only once', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      const code = el.forTestCode;
      expect(await el.confirmCode(code)).to.deep.equal({status: 'confirmed'});
      const rejected = oneEvent(el, 'otp-rejected');
      expect(await el.confirmCode(code)).to.deep.equal({
        status: 'rejected',
        reason: 'used',
        attemptsLeft: 5,
      });
      expect((await rejected).detail.reason).to.equal('used');
    });

    it('rejects a wrong code, says how many attempts are left, and lets the person retry', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      const verdict = await enterCode(el, wrongCode(el.forTestCode));

      expect(verdict.type).to.equal('otp-rejected');
      expect((verdict as CustomEvent).detail).to.include({
        reason: 'invalid',
        attemptsLeft: 4,
      });
      expect(text(el, 'message')).to.equal('That code is not right. 4 attempts left.');
      // Said once, in the message: the attempts line steps aside for it.
      expect(text(el, 'attempts')).to.equal('');
      expect(dialogOf(el)!.textContent!.split('attempts left')).to.have.length(2);
      const input = part<HTMLInputElement>(el, 'input');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.value).to.equal('');
      await expect(el).to.be.accessible();

      const retry = await enterCode(el, el.forTestCode);
      expect(retry.type).to.equal('otp-confirmed');
    });

    it('locks after max-attempts wrong codes and then refuses even the right one', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()} max-attempts="3"></otp-step>`,
      );
      await clickTriggerForCode(el);
      const code = el.forTestCode;
      const rejections = recordEvents(el, 'otp-rejected');
      for (let i = 0; i < 3; i++) await enterCode(el, wrongCode(code));

      expect(
        rejections.map((e) => [e.detail.reason, e.detail.attemptsLeft]),
      ).to.deep.equal([
        ['invalid', 2],
        ['invalid', 1],
        ['locked', 0],
      ]);
      expect(text(el, 'message')).to.match(
        /^Too many wrong codes\. You can ask for a new code at \d/,
      );
      expect(part<HTMLInputElement>(el, 'input').disabled).to.be.true;
      expect(part<HTMLButtonElement>(el, 'confirm').disabled).to.be.true;
      expect(part<HTMLButtonElement>(el, 'resend').disabled).to.be.true;
      expect(await el.confirmCode(code)).to.include({reason: 'locked'});
      await expect(el).to.be.accessible();
    });

    it('refuses a malformed code without using an attempt', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      const verdict = await enterCode(el, '12', {enter: true});
      expect(verdict.type).to.equal('otp-error');
      expect((verdict as CustomEvent).detail.code).to.equal('malformed-code');
      expect(text(el, 'message')).to.include('Enter the whole code');
      expect(text(el, 'attempts')).to.equal('5 attempts left');
    });

    it('says there is nothing to confirm before a code is requested', async () => {
      const el = await step();
      const error = oneEvent(el, 'otp-error');
      expect(await el.confirmCode('123456')).to.be.undefined;
      expect((await error).detail.code).to.equal('no-pending-code');
    });
  });

  describe('over time', () => {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = fakeClock();
    });
    afterEach(() => clock.restore());

    it('counts the lifetime down as text and as a bar', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      clock.tick(60_000);
      await el.updateComplete;
      expect(text(el, 'timer')).to.equal('Expires in 4:00');
      const progress = part<HTMLProgressElement>(el, 'progress');
      expect(progress.max).to.equal(300);
      expect(progress.value).to.equal(240);
    });

    it('expires the code at the end of its lifetime and offers a new one', async () => {
      const el = await fixture<OtpStep>(
        html`<otp-step demo user=${uniqueUser()} lifetime="90s"></otp-step>`,
      );
      await clickTriggerForCode(el);
      const code = el.forTestCode;
      const expired = recordEvents(el, 'otp-expired');
      clock.tick(89_000);
      await el.updateComplete;
      expect(expired).to.have.length(0);
      clock.tick(1_000);
      await el.updateComplete;

      expect(expired).to.have.length(1);
      expect(text(el, 'message')).to.equal('This code has expired — send a new code.');
      expect(part<HTMLInputElement>(el, 'input').disabled).to.be.true;
      expect(part<HTMLButtonElement>(el, 'resend').disabled).to.be.false;
      expect(await el.confirmCode(code)).to.include({reason: 'expired'});
      expect(tickListenerCount()).to.equal(0);
      await expect(el).to.be.accessible();

      const issued = oneEvent(el, 'otp-issued');
      part(el, 'resend').click();
      await issued;
      await el.updateComplete;
      expect(text(el, 'attempts')).to.equal('5 attempts left');
      expect(part<HTMLInputElement>(el, 'input').disabled).to.be.false;
    });

    it('holds Resend back for the cooldown, then sends a new code that replaces the old', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      const first = el.forTestCode;
      await enterCode(el, wrongCode(first));
      const resend = part<HTMLButtonElement>(el, 'resend');
      expect(resend.disabled).to.be.true;
      expect(visible(resend.textContent)).to.equal('Resend in 30 s');
      clock.tick(20_000);
      await el.updateComplete;
      expect(visible(resend.textContent)).to.equal('Resend in 10 s');
      clock.tick(10_000);
      await el.updateComplete;
      expect(resend.disabled).to.be.false;

      const events = recordEvents(el, 'otp-request', 'otp-issued');
      resend.click();
      await waitUntil(() => events.length === 2);
      await el.updateComplete;
      expect(events[0].detail).to.include({resend: true});
      expect(text(el, 'message')).to.equal('A new code was sent.');
      // A resend does not give back the attempt already used (NIST SP 800-63B-4).
      expect(text(el, 'attempts')).to.equal('4 attempts left');
      if (el.forTestCode !== first) {
        expect(await el.confirmCode(first)).to.include({reason: 'invalid'});
      }
      expect(await el.confirmCode(el.forTestCode)).to.deep.equal({status: 'confirmed'});
    });

    it('picks up the open challenge after a reload, with its time and attempts', async () => {
      const user = uniqueUser('reload');
      const first = await step(user);
      await clickTriggerForCode(first);
      await first.confirmCode(wrongCode(first.forTestCode));
      clock.tick(60_000);
      first.remove();

      // A new element for the same step, user and client: what a reload gives.
      const restored = await step(user);
      await waitUntil(() => dialogOf(restored)?.open);
      await restored.updateComplete;
      expect(text(restored, 'timer')).to.equal('Expires in 4:00');
      expect(text(restored, 'attempts')).to.equal('4 attempts left');
      // The code itself was never stored, so it cannot be shown again.
      expect(restored.forTestCode).to.equal('');
    });
  });

  describe('the dialog', () => {
    it('closes on Escape and on Close, gives focus back, and reopens on the same code', async () => {
      const el = await step();
      part(el, 'trigger').focus();
      await clickTriggerForCode(el);
      const code = el.forTestCode;
      await sendKeys({press: 'Escape'});
      await waitUntil(() => !dialogOf(el)!.open);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'trigger'));

      const issued = recordEvents(el, 'otp-issued');
      part(el, 'trigger').click();
      await waitUntil(() => dialogOf(el)!.open);
      expect(issued).to.have.length(0);
      expect(el.forTestCode).to.equal(code);

      part(el, 'close').click();
      expect(dialogOf(el)!.open).to.be.false;
    });

    it('copies the test code, or says it could not', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      const errors = recordEvents(el, 'otp-error');
      part(el, 'copy').click();
      await waitUntil(() => errors.length > 0 || text(el, 'message') !== '');
      if (errors.length) expect(errors[0].detail.code).to.equal('copy-failed');
      else expect(text(el, 'message')).to.equal('Test code copied.');
    });
  });

  describe('without a code source', () => {
    const sourceless = (user = uniqueUser()) =>
      fixture<OtpStep>(html`<otp-step step-name="login" user=${user}></otp-step>`);

    it('issues nothing and tells the developer to set endpoint or demo', async () => {
      const el = await sourceless();
      const events = recordEvents(el, 'otp-request', 'otp-issued', 'otp-error');
      const consoleError = sinon.stub(console, 'error');
      try {
        expect(await el.requestCode()).to.be.false;
        await el.updateComplete;
        expect(events.map((e) => e.type)).to.deep.equal(['otp-error']);
        const {detail} = events[0] as CustomEvent<{code: string; message: string}>;
        expect(detail.code).to.equal('no-source');
        expect(detail.message).to.include('endpoint').and.to.include('demo');
        expect(consoleError.calledWith(detail.message)).to.be.true;
      } finally {
        consoleError.restore();
      }
      expect(text(el, 'error')).to.equal('This sign-in step is not set up correctly.');
      expect(el.forTestCode).to.equal('');
      expect(dialogOf(el)).to.be.null;
      await expect(el).to.be.accessible();
    });

    it('picks up nothing, silently, where a demo challenge was left pending', async () => {
      const user = uniqueUser();
      const first = await fixture<OtpStep>(
        html`<otp-step demo step-name="login" user=${user}></otp-step>`,
      );
      await clickTriggerForCode(first);
      first.remove();
      const errors: Event[] = [];
      const listen = (e: Event) => errors.push(e);
      document.addEventListener('otp-error', listen);
      try {
        const el = await sourceless(user);
        // The element decides after its first update that it has nothing to
        // pick up; a pick-up it started would hold updateComplete (the flow loads).
        await el.updateComplete;
        expect(errors).to.deep.equal([]);
        expect(text(el, 'error')).to.equal('');
        expect(dialogOf(el)?.open ?? false).to.be.false;
      } finally {
        document.removeEventListener('otp-error', listen);
      }
    });

    it('says in the dialog, with demo, that codes are made and checked in this browser', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      expect(text(el, 'demo-note')).to.equal(
        'Demo: codes are made and checked in this browser.',
      );
    });
  });

  describe('bad input', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['a missing user', {user: ''}, 'user-required'],
      ['a blank user', {user: '   '}, 'user-required'],
      ['a zero lifetime', {lifetime: '0'}, 'invalid-lifetime'],
      ['a negative lifetime', {lifetime: '-5m'}, 'invalid-lifetime'],
      ['an unparseable lifetime', {lifetime: 'soon'}, 'invalid-lifetime'],
      ['a lifetime over 24 hours', {lifetime: '25h'}, 'invalid-lifetime'],
      ['a length under 4', {length: '3'}, 'invalid-length'],
      ['a length over 10', {length: '11'}, 'invalid-length'],
      ['an unknown alphabet', {alphabet: 'emoji'}, 'invalid-alphabet'],
    ];
    for (const [what, attributes, code] of cases) {
      it(`refuses ${what} with ${code}: a generic line for the person, the detail for the developer`, async () => {
        const el = await step();
        for (const [name, value] of Object.entries(attributes))
          el.setAttribute(name, value);
        const consoleError = sinon.stub(console, 'error');
        try {
          const events = recordEvents(el, 'otp-error', 'otp-issued');
          part(el, 'trigger').click();
          await waitUntil(() => events.length > 0);
          await el.updateComplete;
          expect(events.map((e) => e.type)).to.deep.equal(['otp-error']);
          const {detail} = events[0] as CustomEvent<{code: string; message: string}>;
          expect(detail.code).to.equal(code);
          expect(text(el, 'error')).to.equal(
            'This sign-in step is not set up correctly.',
          );
          // The developer's detail names the attribute, and stays out of the page.
          expect(detail.message).to.match(/^otp-step: /);
          expect(detail.message).to.include(
            code === 'user-required' ? 'user' : code.slice(8),
          );
          expect(el.shadowRoot!.textContent).not.to.include(detail.message);
          expect(dialogRoot(el)?.textContent ?? '').not.to.include(detail.message);
          expect(consoleError.calledWith(detail.message)).to.be.true;
          expect(dialogOf(el)).to.be.null;
          expect(el.forTestCode).to.equal('');
        } finally {
          consoleError.restore();
        }
        await expect(el).to.be.accessible();
      });
    }

    it('shows the generic line in Portuguese and German too', async () => {
      for (const [lang, line] of [
        ['pt-BR', 'Esta etapa de acesso não está configurada corretamente.'],
        ['de', 'Dieser Anmeldeschritt ist nicht richtig eingerichtet.'],
      ]) {
        const el = await step();
        el.lang = lang;
        el.lifetime = 'soon';
        // The language's messages load first; a line already shown stays in its language.
        await el.updateComplete;
        const consoleError = sinon.stub(console, 'error');
        try {
          const error = oneEvent(el, 'otp-error');
          part(el, 'trigger').click();
          expect((await error).detail.message).to.include('lifetime must be');
          await el.updateComplete;
          expect(text(el, 'error'), lang).to.equal(line);
        } finally {
          consoleError.restore();
        }
      }
    });

    it('warns, citing NIST SP 800-63B-4, of a lifetime over 10 minutes or a code under 6, and still works', async () => {
      const warn = sinon.stub(console, 'warn');
      try {
        const el = await fixture<OtpStep>(
          html`<otp-step demo user=${uniqueUser()} lifetime="15m" length="4"></otp-step>`,
        );
        await clickTriggerForCode(el);
        expect(el.forTestCode).to.match(/^\d{4}$/);
        const warnings = warn.getCalls().map((call) => String(call.args[0]));
        expect(warnings.filter((w) => w.includes('NIST SP 800-63B-4'))).to.have.length(2);
        expect(warnings.some((w) => w.includes('10 minutes'))).to.be.true;
        expect(warnings.some((w) => w.includes('six digits'))).to.be.true;
      } finally {
        warn.restore();
      }
    });
  });

  describe('chained steps', () => {
    it('starts when its source form is submitted, with the user the form gives', async () => {
      const user = uniqueUser('form');
      const root = fixtureSync<HTMLDivElement>(html`
        <div>
          <form id="user-info">
            <input name="user" .value=${user} />
            <button type="submit">Get user info</button>
          </form>
          <otp-step
            demo
            source-step="user-info"
            step-name="login"
            client="web"
          ></otp-step>
        </div>
      `);
      const el = root.querySelector('otp-step')!;
      await el.updateComplete;
      const issued = oneEvent(el, 'otp-issued');
      root.querySelector<HTMLButtonElement>('button')!.click();
      expect((await issued).detail.user).to.equal(user);
      expect(el.user).to.equal(user);
    });

    it('starts when the step before it completes, and completes for the one after it', async () => {
      const user = uniqueUser('chain');
      const root = fixtureSync<HTMLDivElement>(html`
        <div>
          <otp-step demo id="first" step-name="first" user=${user}></otp-step>
          <otp-step demo id="second" step-name="second" source-step="first"></otp-step>
        </div>
      `);
      const [first, second] = root.querySelectorAll('otp-step');
      await first.updateComplete;
      await clickTriggerForCode(first);
      const started = oneEvent(second, 'otp-issued');
      await first.confirmCode(first.forTestCode);
      const detail = (await started).detail;
      expect(detail).to.include({stepName: 'second', user});
    });
  });

  describe('without IndexedDB', () => {
    const open = IDBFactory.prototype.open;
    beforeEach(() => {
      resetSharedChallengeStore();
      IDBFactory.prototype.open = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
    });
    afterEach(() => {
      IDBFactory.prototype.open = open;
      resetSharedChallengeStore();
    });

    it('says so and keeps working from memory', async () => {
      // The element looks for an open challenge as soon as it is connected, so listen from before.
      const errors = recordEvents(document, 'otp-error');
      const el = await step();
      await clickTriggerForCode(el);
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['storage-unavailable']);
      expect(await el.confirmCode(el.forTestCode)).to.deep.equal({status: 'confirmed'});
    });
  });
});
