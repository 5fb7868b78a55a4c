import {expect, fixture, html, oneEvent} from '@open-wc/testing';
import {createStore, get} from 'idb-keyval';
import {
  challengeKey,
  DATABASE_NAME,
  STORE_NAME,
} from '../src/challenge/challenge-store.js';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  dialogOf,
  enterCode,
  guardUncaughtErrors,
  recordEvents,
  text,
  uniqueUser,
} from './helpers.js';

guardUncaughtErrors();

const kept = (user: string) =>
  get(
    challengeKey({stepName: 'login', user, client: 'web'}),
    createStore(DATABASE_NAME, STORE_NAME),
  );

/** The reference server's own word on a code, read as the app's server would. */
async function serverStatus(requestId: string) {
  const response = await fetch(`/api/otp/codes/${encodeURIComponent(requestId)}`);
  return ((await response.json()) as {status: string}).status;
}

const element = (user: string, source: 'endpoint' | 'demo') =>
  fixture<OtpStep>(
    source === 'demo'
      ? html`<otp-step demo step-name="login" user=${user} client="web"></otp-step>`
      : html`<otp-step
          endpoint="/api/otp"
          step-name="login"
          user=${user}
          client="web"
        ></otp-step>`,
  );

describe('<otp-step> cancel()', () => {
  it('ends the pending code on the server, forgets it, closes the dialog and fires otp-canceled', async () => {
    const user = uniqueUser();
    const el = await element(user, 'endpoint');
    const issued = await clickTriggerForCode(el);
    const {requestId} = issued.detail;
    const code = el.forTestCode;
    expect(dialogOf(el)!.open).to.be.true;
    expect(await kept(user)).to.not.equal(undefined);

    const canceled = oneEvent(el, 'otp-canceled');
    expect(await el.cancel()).to.be.true;
    const event = await canceled;
    await el.updateComplete;
    expect(event.detail).to.deep.equal({
      stepName: 'login',
      user,
      client: 'web',
      requestId,
    });
    expect(dialogOf(el)!.open).to.be.false;
    expect(el.forTestCode).to.equal('');
    expect(await kept(user)).to.equal(undefined);
    expect(await serverStatus(requestId)).to.equal('canceled');
    // The code the person was sent is of no use any more.
    const confirm = await fetch(`/api/otp/codes/${requestId}/confirm`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({code}),
    });
    expect(confirm.status).to.equal(410);
    expect(((await confirm.json()) as {code: string}).code).to.equal('canceled');
    await expect(el).to.be.accessible();
  });

  it('lets the trigger ask for a new code at once, with no cooldown, and that one confirms', async () => {
    const el = await element(uniqueUser(), 'endpoint');
    const first = await clickTriggerForCode(el);
    await el.cancel();
    const events = recordEvents(el, 'otp-error');
    const second = await clickTriggerForCode(el);
    expect(events).to.have.length(0);
    expect(second.detail.requestId).to.not.equal(first.detail.requestId);
    expect(second.detail.attemptsLeft).to.equal(5);
    const verdict = await enterCode(el, el.forTestCode);
    expect(verdict.type).to.equal('otp-confirmed');
  });

  it('is not what closing the dialog does: the code stays pending and the trigger shows it again', async () => {
    const user = uniqueUser();
    const el = await element(user, 'endpoint');
    const issued = await clickTriggerForCode(el);
    const events = recordEvents(el, 'otp-canceled');
    el.close();
    await el.updateComplete;
    expect(dialogOf(el)!.open).to.be.false;
    expect(events).to.have.length(0);
    expect(await serverStatus(issued.detail.requestId)).to.equal('pending');
    expect(await kept(user)).to.not.equal(undefined);
  });

  it('resolves to false and sends nothing when no code is pending', async () => {
    const el = await element(uniqueUser(), 'endpoint');
    const events = recordEvents(el, 'otp-canceled', 'otp-error');
    expect(await el.cancel()).to.be.false;
    expect(events).to.have.length(0);
  });

  it('tells the person a code canceled elsewhere (the app’s server) is of no use', async () => {
    const el = await element(uniqueUser(), 'endpoint');
    const issued = await clickTriggerForCode(el);
    const code = el.forTestCode;
    // The app's server cancels it behind the page's back.
    const answer = await fetch(`/api/otp/codes/${issued.detail.requestId}/cancel`, {
      method: 'POST',
    });
    expect(answer.status).to.equal(200);
    const verdict = await enterCode(el, code);
    expect(verdict.type).to.equal('otp-rejected');
    expect((verdict as CustomEvent<{reason: string}>).detail.reason).to.equal('canceled');
    expect(text(el, 'message')).to.equal('This code was canceled — send a new code.');
  });

  it('in demo mode, cancels locally: the code is forgotten and a new one comes at once', async () => {
    const user = uniqueUser();
    const el = await element(user, 'demo');
    const first = await clickTriggerForCode(el);
    expect(await kept(user)).to.not.equal(undefined);
    const canceled = oneEvent(el, 'otp-canceled');
    expect(await el.cancel()).to.be.true;
    expect((await canceled).detail.requestId).to.equal(first.detail.requestId);
    expect(await kept(user)).to.equal(undefined);
    expect(dialogOf(el)!.open).to.be.false;
    const second = await clickTriggerForCode(el);
    expect(second.detail.requestId).to.not.equal(first.detail.requestId);
    const verdict = await enterCode(el, el.forTestCode);
    expect(verdict.type).to.equal('otp-confirmed');
  });
});
