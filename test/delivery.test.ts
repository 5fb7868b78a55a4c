// Issue 18 end to end, in every engine: the element's click makes the reference
// server send an e-mail through Nodemailer to a real SMTP server on loopback
// (scripts/loopback-smtp.mjs); the test reads the code from that e-mail, never
// from an answer (these handlers are not in test mode), and types it.
import {expect, fixture, html, oneEvent, waitUntil} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  dialogRoot,
  enterCode,
  guardUncaughtErrors,
  part,
  parts,
  uniqueUser,
  visible,
  wrongCode,
} from './helpers.js';

guardUncaughtErrors();

interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const DEMO_DOMAIN = 'demo.otp-step.test';
const addressOf = (user: string) =>
  `${encodeURIComponent(user.toLowerCase())}@${DEMO_DOMAIN}`;

async function inbox(user: string): Promise<Mail[]> {
  const answer = await fetch(`/api/mail/inbox?to=${encodeURIComponent(addressOf(user))}`);
  return ((await answer.json()) as {messages: Mail[]}).messages;
}

/** The code in the newest of `count` e-mails to the user, once it has arrived. */
async function codeFromMail(
  user: string,
  count = 1,
): Promise<{code: string; mail: Mail}> {
  let mails: Mail[] = [];
  await waitUntil(
    async () => (mails = await inbox(user)).length >= count,
    `no e-mail #${count} for ${user}`,
    {timeout: 8000, interval: 100},
  );
  const mail = mails[count - 1];
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in the e-mail: ${mail.text}`);
  return {code, mail};
}

const step = (endpoint: string, user: string) =>
  fixture<OtpStep>(
    html`<otp-step
      endpoint=${endpoint}
      channel="email"
      step-name="login"
      user=${user}
      client="web"
    ></otp-step>`,
  );

/** All the dialog's visible text, to find what it says without depending on its parts. */
const dialogText = (el: OtpStep) => visible(dialogRoot(el)?.textContent);

async function open(el: OtpStep) {
  const issued = oneEvent(el, 'otp-issued');
  part(el, 'trigger').click();
  await issued;
  await el.updateComplete;
}

describe('<otp-step channel="email"> sends a real e-mail', () => {
  it('delivers the code to the SMTP inbox, says where it went, and confirms it', async () => {
    const user = uniqueUser('mail');
    const el = await step('/api/mail/otp', user);
    await open(el);
    expect(el.forTestCode, 'no code in the answer: it only went by e-mail').to.equal('');
    const {code, mail} = await codeFromMail(user);
    expect(mail.from).to.contain('codes@demo.otp-step.test');
    expect(mail.subject).to.contain('otp-step demo');
    expect(mail.html).to.contain(code);
    const hint = `${user[0]}•••@${DEMO_DOMAIN}`;
    await waitUntil(() => dialogText(el).includes(hint), `the dialog names ${hint}`);
    const confirmed = await enterCode(el, code);
    expect(confirmed.type).to.equal('otp-confirmed');
  });

  it('refuses a wrong code first, then takes the right one from the e-mail', async () => {
    const user = uniqueUser('mail');
    const el = await step('/api/mail/otp', user);
    await open(el);
    const {code} = await codeFromMail(user);
    expect((await enterCode(el, wrongCode(code))).type).to.equal('otp-rejected');
    part<HTMLInputElement>(el, 'input').value = '';
    expect((await enterCode(el, code)).type).to.equal('otp-confirmed');
  });

  it("with resendStrategy 'reuse', a resend e-mails the same code again", async () => {
    const user = uniqueUser('reuse');
    const el = await step('/api/mail/reuse/otp', user);
    await open(el);
    const first = await codeFromMail(user);
    // This handler's resend cooldown is 1 s (scripts/otp-mail-middleware.mjs).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await el.requestCode()).to.equal(true);
    const second = await codeFromMail(user, 2);
    expect(second.code).to.equal(first.code);
    expect((await enterCode(el, first.code)).type).to.equal('otp-confirmed');
  });

  it('a test user gets its fixed code and no e-mail', async () => {
    const el = await step('/api/mail/otp', 'store-reviewer');
    await open(el);
    expect((await enterCode(el, '246810')).type).to.equal('otp-confirmed');
    expect(await inbox('store-reviewer')).to.have.length(0);
  });

  it('with SMTP down, the dialog says the code could not be sent and Resend works at once', async () => {
    const user = uniqueUser('down');
    const el = await step('/api/mail/down/otp', user);
    await open(el);
    await waitUntil(
      () => parts<HTMLButtonElement>(el, 'resend').some((b) => !b.disabled),
      'Resend is enabled once delivery failed',
      {timeout: 12_000, interval: 100},
    );
    expect(dialogText(el)).to.match(/could not be sent/i);
  });

  it('answers before an 800 ms provider has the message, known or unknown alike', async () => {
    const times: Record<'known' | 'unknown', number[]> = {known: [], unknown: []};
    for (let round = 0; round < 4; round++)
      for (const kind of ['known', 'unknown'] as const) {
        const user = uniqueUser(kind === 'known' ? 'slow' : 'unknown-slow');
        const started = performance.now();
        const answer = await fetch('/api/mail/slow/otp/codes', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': crypto.randomUUID(),
          },
          body: JSON.stringify({
            user,
            client: 'web',
            lifetime: 300,
            stepName: 'login',
            sourceStep: '',
            length: 6,
            alphabet: 'numeric',
            channel: 'email',
          }),
        });
        times[kind].push(performance.now() - started);
        const body = (await answer.json()) as Record<string, unknown>;
        expect(answer.status).to.equal(201);
        expect(Object.keys(body).sort()).to.deep.equal([
          'attemptsLeft',
          'channel',
          'channels',
          'delivery',
          'destinationHint',
          'expiresAt',
          'expiresIn',
          'issuedAt',
          'requestId',
          'resendAt',
          'resendIn',
          'resendsLeft',
        ]);
        // The provider holds each message 800 ms: an answer that waited for it would find it delivered.
        if (kind === 'known') expect(await inbox(user)).to.have.length(0);
      }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    // The ordering above is the proof; this only says neither kind waits for the provider.
    expect(Math.abs(median(times.known) - median(times.unknown))).to.be.below(300);
  });
});
