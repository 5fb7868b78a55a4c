import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import {sendKeys} from '@web/test-runner-commands';
import type {ChallengeView} from '../../src/challenge/challenge.js';
import type {DialogEventMap} from '../../src/dialog/dialog-events.js';
import '../../src/dialog/otp-step-dialog.js';
import type {OtpStepDialog} from '../../src/dialog/otp-step-dialog.js';
import {idleState, type StepState} from '../../src/flow/step-state.js';
import type {OtpInput} from '../../src/input/otp-input.js';
import {loadMessages, messagesFor} from '../../src/messages/index.js';
import {resolveStepConfig, type StepConfig} from '../../src/step/step-config.js';
import {guardUncaughtErrors} from '../helpers.js';

// <otp-step-dialog> alone, in a plain page: the state goes in as a property,
// what the person did comes out as dialog-* events. No <otp-step> around it.

const NOW = Date.UTC(2026, 11, 2, 9, 0, 0);

function configFor(user: string): StepConfig {
  const result = resolveStepConfig({
    stepName: 'login',
    sourceStep: '',
    user,
    client: 'web',
    lifetime: 300,
    length: 6,
    alphabet: 'numeric',
    maxAttempts: 5,
    resendAfter: 30,
    maxResends: 3,
  });
  if (!result.ok) throw new Error(result.error);
  return result.config;
}

const challenge = (patch: Partial<ChallengeView> = {}): ChallengeView => ({
  requestId: 'r1',
  issuedAt: NOW,
  expiresAt: NOW + 300_000,
  resendAt: NOW + 30_000,
  attemptsLeft: 5,
  resendsLeft: 3,
  status: 'pending',
  ...patch,
});

/** A code shown in the open dialog, as the step hands it over. */
const pending = (patch: Partial<StepState> = {}): StepState => ({
  ...idleState(NOW),
  config: configFor('ada'),
  challenge: challenge(),
  forTestCode: '482913',
  open: true,
  ...patch,
});

const root = (el: OtpStepDialog) => el.shadowRoot!;
const partOf = <T extends Element = HTMLElement>(el: OtpStepDialog, name: string) => {
  const found = root(el).querySelector<T>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part "${name}"`);
  return found;
};
const textOf = (el: OtpStepDialog, name: string) =>
  partOf(el, name).textContent!.replace(/\s+/g, ' ').trim();
const dialogOf = (el: OtpStepDialog) => partOf<HTMLDialogElement>(el, 'dialog');
const entryOf = (el: OtpStepDialog) => root(el).querySelector('otp-input') as OtpInput;

/** Every dialog-* event that reached `el`, with its detail, in order. */
function told(el: OtpStepDialog) {
  const seen: {type: keyof DialogEventMap; detail: unknown}[] = [];
  const types: (keyof DialogEventMap)[] = [
    'dialog-input',
    'dialog-confirm',
    'dialog-resend',
    'dialog-retry',
    'dialog-close',
    'dialog-cancel',
    'dialog-act',
  ];
  for (const type of types)
    el.addEventListener(type, (e) =>
      seen.push({type, detail: (e as CustomEvent).detail}),
    );
  return seen;
}

async function dialog(state: StepState, extra: Partial<OtpStepDialog> = {}) {
  const el = await fixture<OtpStepDialog>(
    html`<otp-step-dialog .state=${state}></otp-step-dialog>`,
  );
  Object.assign(el, extra);
  await el.updateComplete;
  await entryOf(el).updateComplete;
  return el;
}

async function typeCode(code: string) {
  for (const key of code) await sendKeys({type: key});
}

describe('<otp-step-dialog> on its own', () => {
  guardUncaughtErrors();

  before(() => loadMessages('pt'));

  it('draws the state it is given: the code, what to enter and for whom, time and attempts left', async () => {
    const el = await dialog(pending());
    expect(dialogOf(el).open).to.be.true;
    expect(textOf(el, 'title')).to.equal('Enter the one-time code');
    expect(textOf(el, 'description')).to.equal(
      'Enter the \u20686\u2069-digit code sent for \u2068ada\u2069.',
    );
    expect(textOf(el, 'code')).to.equal('482913');
    expect(textOf(el, 'timer')).to.equal('Expires in \u20685:00\u2069');
    expect(textOf(el, 'attempts')).to.equal('\u20685\u2069 attempts left');
    expect(textOf(el, 'resend')).to.equal('Resend in \u206830\u2069 s');
    expect(partOf<HTMLButtonElement>(el, 'resend').disabled).to.be.true;
    // Its parts are the step's too.
    expect(el.getAttribute('exportparts')).to.include('code');
  });

  it('opens and closes as state.open says, and focuses the entry on opening', async () => {
    const el = await dialog(pending({open: false}));
    expect(dialogOf(el).open).to.be.false;
    el.state = pending();
    await el.updateComplete;
    expect(dialogOf(el).open).to.be.true;
    expect(root(el).activeElement).to.equal(entryOf(el));
    el.state = pending({open: false});
    await el.updateComplete;
    expect(dialogOf(el).open).to.be.false;
  });

  it('tells what is typed, and asks to confirm a full code by itself', async () => {
    const el = await dialog(pending());
    const seen = told(el);
    const confirmed = oneEvent(el, 'dialog-confirm');
    await typeCode('482913');
    await confirmed;
    expect(seen.filter((e) => e.type === 'dialog-input').at(-1)).to.deep.equal({
      type: 'dialog-input',
      detail: {entry: '482913'},
    });
    expect(seen.filter((e) => e.type === 'dialog-confirm')).to.deep.equal([
      {type: 'dialog-confirm', detail: {code: '482913', submit: false}},
    ]);
  });

  it('with noAutoConfirm, waits for Enter, and says the confirmation came from Enter', async () => {
    const el = await dialog(pending(), {noAutoConfirm: true});
    const seen = told(el);
    await typeCode('482913');
    // Every key is handled by the time sendKeys returns: nothing asked yet.
    expect(seen.some((e) => e.type === 'dialog-confirm')).to.be.false;
    const confirmed = oneEvent(el, 'dialog-confirm');
    await sendKeys({press: 'Enter'});
    expect((await confirmed).detail).to.deep.equal({code: '482913', submit: true});
  });

  it('offers Resend once the cooldown is over, and tells when it is clicked', async () => {
    const el = await dialog(pending({now: NOW + 31_000}));
    const resend = partOf<HTMLButtonElement>(el, 'resend');
    expect(resend.disabled).to.be.false;
    expect(textOf(el, 'resend')).to.equal('Resend code');
    const asked = oneEvent(el, 'dialog-resend');
    resend.click();
    expect((await asked).detail).to.equal(null);
  });

  it('disables Confirm and Resend while the step is busy', async () => {
    const el = await dialog(pending({now: NOW + 31_000, busy: true}));
    expect(partOf<HTMLButtonElement>(el, 'resend').disabled).to.be.true;
    expect(partOf<HTMLButtonElement>(el, 'confirm').disabled).to.be.true;
  });

  it('closes on Close and tells; on Escape it asks, and stays open when refused', async () => {
    const el = await dialog(pending());
    const seen = told(el);
    el.addEventListener('dialog-cancel', (e) => e.preventDefault(), {once: true});
    const refused = oneEvent(el, 'dialog-cancel');
    await sendKeys({press: 'Escape'});
    await refused;
    expect(dialogOf(el).open).to.be.true;
    const closed = oneEvent(el, 'dialog-close');
    partOf<HTMLButtonElement>(el, 'close').click();
    await closed;
    expect(dialogOf(el).open).to.be.false;
    expect(seen.map((e) => e.type)).to.deep.equal(['dialog-cancel', 'dialog-close']);
  });

  it('shows a failure in its message line, with a Retry that tells', async () => {
    const el = await dialog(
      pending({
        notice: {key: 'error', code: 'network-error'},
        invalid: true,
        retry: {at: NOW, inDialog: true},
      }),
    );
    expect(textOf(el, 'message')).to.equal(
      'The server could not be reached: check the connection and retry.',
    );
    expect(entryOf(el).invalid).to.be.true;
    const retried = oneEvent(el, 'dialog-retry');
    partOf<HTMLButtonElement>(el, 'retry').click();
    expect((await retried).detail).to.equal(null);
  });

  it('disables the entry and moves focus to Resend once the code expired', async () => {
    const el = await dialog(pending());
    el.state = pending({
      challenge: challenge({status: 'expired'}),
      notice: {key: 'expired'},
    });
    await el.updateComplete;
    await entryOf(el).updateComplete;
    expect(entryOf(el).disabled).to.be.true;
    expect(textOf(el, 'message')).to.equal('This code has expired — send a new code.');
    expect(root(el).activeElement).to.equal(partOf(el, 'resend'));
  });

  it('tells whether the test code was copied', async () => {
    const el = await dialog(pending());
    const copied = oneEvent(el, 'dialog-act');
    partOf<HTMLButtonElement>(el, 'copy').click();
    // Headless browsers may refuse the clipboard: either way the step is told which.
    expect((await copied).detail).to.be.oneOf(['copied', 'copy-failed']);
  });

  it('speaks the messages and language it is given, English until then', async () => {
    const el = await dialog(pending());
    expect(textOf(el, 'confirm')).to.equal('Confirm');
    el.messages = messagesFor('pt');
    el.language = 'pt';
    await el.updateComplete;
    expect(textOf(el, 'confirm')).to.equal('Confirmar');
  });
});
