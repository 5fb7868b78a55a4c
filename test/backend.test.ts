import sinon from 'sinon';
import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import {createStore, get} from 'idb-keyval';
import {
  challengeKey,
  DATABASE_NAME,
  STORE_NAME,
} from '../src/challenge/challenge-store.js';
import '../src/otp-step.js';
import {OtpStepError, type CodeSource, type OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  dialogOf,
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

/** An element talking to the reference server the test runner serves at `endpoint`. */
const backed = (endpoint: string, user = uniqueUser(), extra: {timeout?: number} = {}) =>
  fixture<OtpStep>(
    html`<otp-step
      endpoint=${endpoint}
      step-name="login"
      user=${user}
      client="web"
      timeout=${extra.timeout ?? 10}
    ></otp-step>`,
  );

/** Clicks Retry once it can be clicked, as a person would. */
async function clickRetry(el: OtpStep) {
  await waitUntil(() => !parts<HTMLButtonElement>(el, 'retry')[0]?.disabled);
  part(el, 'retry').click();
}

/** Clicks the trigger and waits for the error the backend's fault brings. */
async function clickForError(el: OtpStep) {
  const error = oneEvent(el, 'otp-error');
  part(el, 'trigger').click();
  const event = await error;
  await el.updateComplete;
  return event.detail;
}

describe('<otp-step endpoint> against the reference server', () => {
  it('gets a code from the server, shows its ForTestCode and confirms it', async () => {
    const el = await backed('/api/otp');
    const issued = await clickTriggerForCode(el);
    expect(el.forTestCode).to.match(/^\d{6}$/);
    expect(text(el, 'code')).to.equal(el.forTestCode);
    expect(issued.detail.attemptsLeft).to.equal(5);
    const verdict = await enterCode(el, el.forTestCode);
    expect(verdict.type).to.equal('otp-confirmed');
  });

  it('hands the page and the form the server’s confirmation token, not the spent code', async () => {
    const user = uniqueUser();
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <otp-step
          endpoint="/api/otp"
          name="otp"
          step-name="login"
          user=${user}
          client="web"
        ></otp-step>
      </form>`,
    );
    const el = form.querySelector('otp-step')!;
    await el.updateComplete;
    const events = recordEvents(el, 'otp-confirmed', 'step-complete');
    const issued = await clickTriggerForCode(el);
    const code = el.forTestCode;
    expect((await enterCode(el, code)).type).to.equal('otp-confirmed');
    await el.updateComplete;
    const [confirmed, complete] = events.map((e) => e.detail);
    const token = confirmed.confirmation!;
    // v1.<claims>.<signature>, signed by the server; the claims name this user and request.
    expect(token).to.match(/^v1\.[\w-]+\.[\w-]+$/);
    const claims = JSON.parse(
      atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')),
    );
    expect(claims).to.include({
      user,
      client: 'web',
      stepName: 'login',
      requestId: issued.detail.requestId,
    });
    expect(complete.confirmation).to.equal(token);
    expect(el.value).to.equal(token);
    expect(new FormData(form).get('otp')).to.equal(token);
    expect(token).not.to.include(code);

    // The browser restores the token with the form, as it was submitted.
    const again = document.createElement('otp-step');
    again.name = 'otp';
    form.append(again);
    await again.updateComplete;
    again.formStateRestoreCallback(token);
    await again.updateComplete;
    expect(again.value).to.equal(token);
    expect(new FormData(form).getAll('otp')).to.deep.equal([token, token]);
  });

  it('reports the server’s attempts left and lock', async () => {
    const el = await backed('/api/otp');
    await clickTriggerForCode(el);
    const rejected = recordEvents(el, 'otp-rejected');
    for (let i = 0; i < 5; i++) await enterCode(el, wrongCode(el.forTestCode));
    expect(rejected.map((e) => [e.detail.reason, e.detail.attemptsLeft])).to.deep.equal([
      ['invalid', 4],
      ['invalid', 3],
      ['invalid', 2],
      ['invalid', 1],
      ['locked', 0],
    ]);
    expect(el.matches(':state(locked)')).to.be.true;
  });

  it('keeps no code and no digest in IndexedDB, only the request, expiry, cooldown and attempts', async () => {
    const user = uniqueUser();
    const el = await backed('/api/otp', user);
    await clickTriggerForCode(el);
    const record = await get(
      challengeKey({stepName: 'login', user, client: 'web'}),
      createStore(DATABASE_NAME, STORE_NAME),
    );
    expect(record).to.include.keys('requestId', 'expiresAt', 'resendAt', 'maxAttempts');
    expect(record).not.to.have.any.keys('digest', 'salt', 'code');
    expect(JSON.stringify(record)).not.to.include(el.forTestCode);
  });

  it('sets no ForTestCode when the server does not give the code out', async () => {
    const user = uniqueUser();
    const el = await backed('/api/no-test-mode', user);
    await clickTriggerForCode(el);
    expect(el.forTestCode).to.equal('');
    expect(parts(el, 'test-code')).to.have.length(0);
    // The code went out by "SMS" (the server's notify hook); the person types it.
    const {code} = await (
      await fetch(`/api/outbox?user=${encodeURIComponent(user)}`)
    ).json();
    expect((await enterCode(el, code)).type).to.equal('otp-confirmed');
  });

  it('sends the page’s headers, such as a CSRF token', async () => {
    const el = await backed('/api/csrf');
    expect((await clickForError(el)).code).to.equal('request-failed');
    el.headers = {'x-csrf-token': 'let-me-in'};
    await clickTriggerForCode(el);
    expect(el.forTestCode).to.match(/^\d{6}$/);
  });

  it('passes on the server’s unauthenticated and forbidden when codes are bound to a session', async () => {
    const user = uniqueUser();
    const el = await backed('/api/session', user);
    const none = await clickForError(el);
    expect(none.code).to.equal('unauthenticated');
    expect(text(el, 'error')).to.equal(none.message);
    el.headers = {'x-session-user': 'someone-else'};
    expect((await clickForError(el)).code).to.equal('forbidden');
    // The session's own user, in another spelling, is the same account.
    el.headers = {'x-session-user': user.toUpperCase()};
    await clickTriggerForCode(el);
    expect((await enterCode(el, el.forTestCode)).type).to.equal('otp-confirmed');
  });

  it('takes a code source of the page’s own', async () => {
    const calls: string[] = [];
    const now = Date.now();
    const challenge = {
      requestId: 'own-1',
      issuedAt: now,
      expiresAt: now + 60_000,
      resendAt: now + 30_000,
      attemptsLeft: 3,
      resendsLeft: 1,
      status: 'pending' as const,
    };
    const source: CodeSource = {
      issue: async () => (calls.push('issue'), {challenge, code: '424242'}),
      confirm: async (_config, code) => {
        calls.push(`confirm ${code}`);
        return {
          outcome: {status: 'confirmed', confirmation: 'signed-by-my-server'},
          challenge: {...challenge, status: 'confirmed'},
        };
      },
      pending: async () => undefined,
    };
    const el = await fixture<OtpStep>(
      html`<otp-step user=${uniqueUser()} .source=${source}></otp-step>`,
    );
    await clickTriggerForCode(el);
    expect(el.forTestCode).to.equal('424242');
    const confirmed = await enterCode(el, '424242');
    expect(calls).to.deep.equal(['issue', 'confirm 424242']);
    expect((confirmed as CustomEvent).detail.confirmation).to.equal(
      'signed-by-my-server',
    );
    expect(el.value).to.equal('signed-by-my-server');
  });

  it('passes on the stable code a page’s own source refuses with', async () => {
    // The page's source names why it refused; any other error is `source-failed`.
    const refusing = (error: unknown): CodeSource => ({
      issue: async () => {
        throw error;
      },
      confirm: async () => {
        throw error;
      },
      pending: async () => undefined,
    });
    const refusedWith = async (error: unknown) => {
      const el = await fixture<OtpStep>(
        html`<otp-step user=${uniqueUser()} .source=${refusing(error)}></otp-step>`,
      );
      return clickForError(el);
    };
    expect(
      await refusedWith(new OtpStepError('rate-limited', 'Slow down.', 30)),
    ).to.include({code: 'rate-limited', retryAfterSeconds: 30});
    // Thrown by another copy of the step on the page (a second bundle, or one
    // under a query string): another class of the same name.
    class OtherCopysError extends Error {
      readonly code = 'unknown-user';
      override name = 'OtpStepError';
    }
    expect((await refusedWith(new OtherCopysError('No such user.'))).code).to.equal(
      'unknown-user',
    );
    // Any other error is the source's own bug: the page hears source-failed, and
    // the developer gets the error itself in the console.
    const boom = new Error('boom');
    const consoleError = sinon.stub(console, 'error');
    try {
      expect((await refusedWith(boom)).code).to.equal('source-failed');
      expect(consoleError.calledWith(boom)).to.be.true;
    } finally {
      consoleError.restore();
    }
  });
});

describe('<otp-step endpoint> when the backend fails', () => {
  it('gives up after the timeout with a Retry button', async () => {
    const el = await backed('/api/faults/slow', uniqueUser(), {timeout: 1});
    const detail = await clickForError(el);
    expect(detail.code).to.equal('timeout');
    expect(text(el, 'error')).to.equal(detail.message);
    expect(part(el, 'retry')).to.exist;
  });

  it('says so on a 500, and Retry sends the same request again', async () => {
    const el = await backed(`/api/flaky/${uniqueUser()}`);
    const detail = await clickForError(el);
    expect(detail.code).to.equal('server-error');
    const issued = oneEvent(el, 'otp-issued');
    await clickRetry(el);
    await issued;
    expect(dialogOf(el)!.open).to.be.true;
    expect(parts(el, 'retry')).to.have.length(0);
  });

  it('honours Retry-After on a 429', async () => {
    const clock = fakeClock();
    try {
      const el = await backed('/api/faults/429');
      const detail = await clickForError(el);
      expect(detail).to.include({code: 'rate-limited', retryAfterSeconds: 2});
      const retry = part<HTMLButtonElement>(el, 'retry');
      expect(retry.disabled).to.be.true;
      expect(visible(retry.textContent)).to.equal('Retry in 2 s');
      clock.tick(2000);
      await el.updateComplete;
      expect(part<HTMLButtonElement>(el, 'retry').disabled).to.be.false;
    } finally {
      clock.restore();
    }
  });

  it('waits out a short 503 with Retry-After by itself', async () => {
    const el = await backed('/api/faults/503');
    await clickTriggerForCode(el);
    expect(el.forTestCode).to.match(/^\d{6}$/);
  });

  it('says the answer could not be read when it is not JSON, or not of the documented shape', async () => {
    for (const fault of ['garbage', 'shape']) {
      const el = await backed(`/api/faults/${fault}`);
      const detail = await clickForError(el);
      expect(detail.code, fault).to.equal('bad-response');
      expect(part(el, 'retry')).to.exist;
    }
  });

  it('refuses a confirmation that comes without its token, keeping the challenge for Retry', async () => {
    const el = await backed('/api/faults/tokenless');
    await clickTriggerForCode(el);
    const verdict = await enterCode(el, el.forTestCode);
    expect(verdict.type).to.equal('otp-error');
    expect((verdict as CustomEvent<{code: string}>).detail.code).to.equal('bad-response');
    expect(el.value).to.equal('');
    expect(part(el, 'retry')).to.exist;
  });

  it('says so when offline', async () => {
    // Nothing listens on port 9 of this machine: the request fails as it would offline.
    const el = await backed('http://127.0.0.1:9/api/otp');
    expect((await clickForError(el)).code).to.equal('network-error');
    expect(part(el, 'retry')).to.exist;
  });

  it('keeps the challenge and the typed code when confirming fails, and Retry confirms them', async () => {
    const el = await backed(`/api/flaky/${uniqueUser()}`);
    await clickForError(el);
    const issued = oneEvent(el, 'otp-issued');
    await clickRetry(el);
    await issued;
    await el.updateComplete;
    // The first confirmation of this request hits the 500.
    const failed = await enterCode(el, el.forTestCode);
    expect(failed.type).to.equal('otp-error');
    expect((failed as CustomEvent).detail.code).to.equal('server-error');
    expect(dialogOf(el)!.open).to.be.true;
    expect(part<HTMLInputElement>(el, 'input').value).to.equal(el.forTestCode);
    expect(text(el, 'attempts')).to.equal('5 attempts left');
    const confirmed = oneEvent(el, 'otp-confirmed');
    await clickRetry(el);
    await confirmed;
    await waitUntil(() => !dialogOf(el)!.open);
  });
});
