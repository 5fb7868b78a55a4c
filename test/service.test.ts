import {expect, fixture, html, waitUntil} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  enterCode,
  guardUncaughtErrors,
  text,
  uniqueUser,
} from './helpers.js';

guardUncaughtErrors();

interface Delivery {
  path: string;
  signed: boolean;
  body: Record<string, unknown>;
}

/** What the app's webhook receiver got for a request (web-test-runner.config.mjs). */
const webhooksFor = async (requestId: string): Promise<Delivery[]> =>
  (
    await fetch(`/api/service-webhooks?requestId=${encodeURIComponent(requestId)}`)
  ).json();

describe('<otp-step> through the side service (otp-step-server)', () => {
  it('issues and confirms, and the app hears of both by signed webhooks', async () => {
    const user = uniqueUser();
    const el = await fixture<OtpStep>(
      html`<otp-step
        endpoint="/api/service"
        step-name="login"
        user=${user}
        client="web"
      ></otp-step>`,
    );
    const issued = await clickTriggerForCode(el);
    const {requestId} = issued.detail;
    expect(el.forTestCode).to.match(/^\d{6}$/);
    expect(text(el, 'code')).to.equal(el.forTestCode);

    const verdict = await enterCode(el, el.forTestCode);
    expect(verdict.type).to.equal('otp-confirmed');
    const token = (verdict as CustomEvent<{confirmation?: string}>).detail.confirmation;
    expect(token).to.match(/^v1\.[\w-]+\.[\w-]+$/);

    let hooks: Delivery[] = [];
    await waitUntil(async () => (hooks = await webhooksFor(requestId)).length === 2);
    const [notify, confirmed] = hooks;
    expect([notify.path, notify.signed]).to.deep.equal(['/notify', true]);
    expect(notify.body).to.include({event: 'notify', user, code: el.forTestCode});
    expect([confirmed.path, confirmed.signed]).to.deep.equal(['/confirmed', true]);
    expect(confirmed.body).to.include({
      event: 'confirmed',
      user,
      client: 'web',
      stepName: 'login',
      requestId,
    });
  });
});
