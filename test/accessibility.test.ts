import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  dialogOf,
  dialogRoot,
  enterCode,
  fakeClock,
  focusedInside,
  guardUncaughtErrors,
  part,
  text,
  uniqueUser,
  visible,
  wrongCode,
} from './helpers.js';

guardUncaughtErrors();

const step = (extra = '') =>
  fixture<OtpStep>(
    html`<otp-step
      demo
      user=${uniqueUser()}
      max-attempts="2"
      lifetime="2m"
      ?no-auto-confirm=${extra === 'manual'}
    ></otp-step>`,
  );

/** The element focused inside the dialog, if any. */

describe('<otp-step> accessibility', () => {
  describe('passes axe in every state', () => {
    it('idle', async () => {
      await expect(await step()).to.be.accessible();
    });

    it('open', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      await expect(el).to.be.accessible();
    });

    it('invalid', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      await enterCode(el, wrongCode(el.forTestCode));
      expect(part(el, 'input').getAttribute('aria-invalid')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('locked', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      await enterCode(el, wrongCode(el.forTestCode));
      await enterCode(el, wrongCode(el.forTestCode));
      expect(el.matches(':state(locked)')).to.be.true;
      await expect(el).to.be.accessible();
    });

    it('confirmed', async () => {
      const el = await step();
      await clickTriggerForCode(el);
      await enterCode(el, el.forTestCode);
      expect(el.matches(':state(confirmed)')).to.be.true;
      await expect(el).to.be.accessible();
    });

    it('expired', async () => {
      const clock = fakeClock();
      try {
        const el = await step();
        await clickTriggerForCode(el);
        clock.tick(120_000);
        await el.updateComplete;
        expect(el.matches(':state(expired)')).to.be.true;
        await expect(el).to.be.accessible();
      } finally {
        clock.restore();
      }
    });
  });

  it('labels and describes the dialog, and labels the input with the code length', async () => {
    const el = await step();
    await clickTriggerForCode(el);
    const dialog = dialogOf(el)!;
    const byId = (id: string) => dialogRoot(el)!.getElementById(id)!;
    expect(byId(dialog.getAttribute('aria-labelledby')!).textContent).to.equal(
      'Enter the one-time code',
    );
    expect(
      visible(byId(dialog.getAttribute('aria-describedby')!).textContent),
    ).to.include('6-digit code');
    const input = part<HTMLInputElement>(el, 'input');
    expect(visible(input.labels![0].textContent)).to.equal('6-digit code');
    expect(byId('message').getAttribute('aria-live')).to.equal('polite');
    // The message is in the step's shadow root and the input in the entry's, so
    // no id reaches across: the input is described by the message's text.
    await enterCode(el, wrongCode(el.forTestCode));
    expect(text(el, 'message')).to.include('not right');
    await waitUntil(
      () => visible(input.getAttribute('aria-description')) === text(el, 'message'),
      'input not described by the message',
    );
  });

  it('moves focus in, keeps it in the dialog, and gives it back on close', async () => {
    const el = await step();
    part(el, 'trigger').focus();
    await clickTriggerForCode(el);
    expect(focusedInside(el)).to.equal(part(el, 'input'));
    // A modal dialog makes the rest of the page inert: Tab cycles among its own controls.
    for (let i = 0; i < 8; i++) {
      await sendKeys({press: 'Tab'});
      // The code's input is in the entry's shadow root, the entry in the dialog's.
      let owner = focusedInside(el);
      while (owner && owner.getRootNode() !== dialogRoot(el)) {
        const root = owner.getRootNode();
        if (!(root instanceof ShadowRoot) || root === el.shadowRoot) break;
        owner = root.host;
      }
      if (owner) expect(dialogOf(el)!.contains(owner), owner.outerHTML).to.be.true;
    }
    await sendKeys({press: 'Escape'});
    await waitUntil(() => !dialogOf(el)!.open);
    expect(focusedInside(el)).to.equal(part(el, 'trigger'));
  });

  it('does not close on Escape while a confirmation is running', async () => {
    const el = await step();
    await clickTriggerForCode(el);
    const running = el.confirmCode(el.forTestCode);
    const cancel = new Event('cancel', {cancelable: true});
    dialogOf(el)!.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).to.be.true;
    await running;
  });

  it('completes the whole flow with the keyboard alone', async () => {
    const el = await step();
    part(el, 'trigger').focus();
    const issued = oneEvent(el, 'otp-issued');
    await sendKeys({press: 'Enter'});
    await issued;
    await el.updateComplete;
    expect(focusedInside(el)).to.equal(part(el, 'input'));
    const confirmed = oneEvent(el, 'otp-confirmed');
    for (const key of el.forTestCode) await sendKeys({type: key});
    await confirmed;
    await waitUntil(() => focusedInside(el) === part(el, 'trigger'));
    expect(text(el, 'status')).to.equal('Code confirmed.');
  });

  it('announces the countdown at a few milestones, never every second', async () => {
    const clock = fakeClock();
    try {
      const el = await step();
      await clickTriggerForCode(el);
      const region = [...dialogRoot(el)!.querySelectorAll('[aria-live]')].find(
        (r) => r.id !== 'message',
      )!;
      const heard = new Set<string>();
      for (let s = 0; s < 120; s++) {
        clock.tick(1000);
        await el.updateComplete;
        if (visible(region.textContent)) heard.add(visible(region.textContent));
      }
      expect([...heard]).to.deep.equal([
        '1 minute left',
        '30 seconds left',
        '10 seconds left',
      ]);
      expect(text(el, 'message')).to.equal('This code has expired — send a new code.');
    } finally {
      clock.restore();
    }
  });
});

describe('<otp-step> sizes', () => {
  it('draws smaller and larger boxes for size="small" and size="large"', async () => {
    const widths: Record<string, number> = {};
    for (const size of ['small', 'medium', 'large']) {
      const el = await fixture<OtpStep>(
        html`<otp-step demo size=${size} user=${uniqueUser()}></otp-step>`,
      );
      await clickTriggerForCode(el);
      widths[size] = part(el, 'box').getBoundingClientRect().width;
      el.close();
    }
    expect(widths.small).to.be.below(widths.medium);
    expect(widths.medium).to.be.below(widths.large);
  });
});
