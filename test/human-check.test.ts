// Issue 19's bot check, end to end: the real reference server with
// `verifyHuman: turnstile(…)` against a loopback Turnstile stand-in
// (scripts/otp-human-middleware.mjs). Each test has a slot, a client address of
// its own with `issuesPerAddress: 2`; one issue from it first puts the next
// under suspicion, so the server answers that one 428 `human-check-required`.
import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  guardUncaughtErrors,
  part,
  recordEvents,
  text,
  uniqueUser,
} from './helpers.js';

guardUncaughtErrors();

const slotEndpoint = () =>
  `/api/human/${Math.random().toString(36).slice(2, 10)}/otp` as const;

/** One issue from the slot's address, as an earlier visitor there would have made. */
async function useHalf(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/codes`, {
    method: 'POST',
    headers: {'content-type': 'application/json', 'idempotency-key': uniqueUser('key')},
    body: JSON.stringify({
      user: uniqueUser('earlier'),
      client: 'web',
      lifetime: 300,
      stepName: 'login',
      sourceStep: '',
      length: 6,
      alphabet: 'numeric',
    }),
  });
  expect(response.status, 'the earlier issue').to.equal(201);
}

const verifiedCount = async (token: string): Promise<number> =>
  ((await (await fetch(`/api/human/verified?token=${token}`)).json()) as {count: number})
    .count;

async function suspiciousStep(humanCheck?: () => Promise<string>): Promise<OtpStep> {
  const endpoint = slotEndpoint();
  await useHalf(endpoint);
  const el = await fixture<OtpStep>(
    html`<otp-step
      endpoint=${endpoint}
      user=${uniqueUser()}
      step-name="login"
    ></otp-step>`,
  );
  if (humanCheck) el.humanCheck = humanCheck;
  return el;
}

describe('<otp-step> bot check (humanCheck)', () => {
  it('runs the page’s check when the server asks, and gets the code with its token', async () => {
    const token = uniqueUser('human');
    let calls = 0;
    const el = await suspiciousStep(async () => {
      calls++;
      return token;
    });
    const errors = recordEvents(el, 'otp-error');
    const {detail} = await clickTriggerForCode(el);
    expect(detail.requestId).to.be.a('string');
    expect(errors).to.have.length(0);
    expect(calls, 'humanCheck calls').to.equal(1);
    // The server asked the provider about exactly this token, once.
    expect(await verifiedCount(token)).to.equal(1);
    // The dialog shows the code and the entry for it.
    expect(el.forTestCode).to.match(/^\d{6}$/);
    expect(text(el, 'code')).to.equal(el.forTestCode);
    expect(part(el, 'input')).to.exist;
  });

  it('a token the provider refuses ends in otp-error human-check-required, shown beside the trigger', async () => {
    const token = uniqueUser('bot');
    let calls = 0;
    const el = await suspiciousStep(async () => {
      calls++;
      return token;
    });
    const failed = oneEvent(el, 'otp-error');
    part(el, 'trigger').click();
    const {detail} = await failed;
    await el.updateComplete;
    expect(detail.code).to.equal('human-check-required');
    expect(calls, 'asked once, not again after the refusal').to.equal(1);
    expect(await verifiedCount(token)).to.equal(1);
    expect(text(el, 'error')).to.equal(
      'We could not check that you are a person. Try again.',
    );
    expect(el.forTestCode).to.equal('');
  });

  it('without humanCheck, the server’s 428 reaches the page as otp-error human-check-required', async () => {
    const el = await suspiciousStep();
    const errors = recordEvents(el, 'otp-error');
    part(el, 'trigger').click();
    await waitUntil(() => errors.length > 0, 'otp-error', {timeout: 5000});
    expect(errors[0].detail.code).to.equal('human-check-required');
    await el.updateComplete;
    expect(text(el, 'error')).to.match(/person/);
  });

  it('does not run the check when the server does not ask for one', async () => {
    let calls = 0;
    const el = await fixture<OtpStep>(
      html`<otp-step
        endpoint=${slotEndpoint()}
        user=${uniqueUser()}
        step-name="login"
      ></otp-step>`,
    );
    el.humanCheck = async () => {
      calls++;
      return uniqueUser('human');
    };
    await clickTriggerForCode(el);
    expect(calls).to.equal(0);
    expect(el.forTestCode).to.match(/^\d{6}$/);
  });

  it('a check that throws ends the same way, and is not retried by itself', async () => {
    let calls = 0;
    const el = await suspiciousStep(async () => {
      calls++;
      throw new Error('the widget did not load');
    });
    const failed = oneEvent(el, 'otp-error');
    part(el, 'trigger').click();
    expect((await failed).detail.code).to.equal('human-check-required');
    expect(calls).to.equal(1);
  });
});
