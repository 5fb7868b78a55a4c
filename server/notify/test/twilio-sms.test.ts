import {after, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {twilioSmsChannel} from '../twilio-sms.js';
import {
  OtpDeliveryError,
  type OtpMessageInput,
  type OtpRenderedMessage,
} from '../types.js';
import {
  startTwilioContractServer,
  type TwilioContractServer,
} from './twilio-contract-server.js';

const accountSid = 'AC' + 'a1b2c3d4'.repeat(4);
const authToken = 'f'.repeat(32);
const serviceSid = 'MG' + '0123456789abcdef'.repeat(2);
const phone = '+5511987651234';
const code = '482913';

function notification(overrides: Partial<OtpMessageInput> = {}): OtpMessageInput {
  return {
    user: 'ana',
    client: 'web',
    code,
    expiresAt: new Date(Date.now() + 300_000),
    requestId: 'req-1',
    channel: 'sms',
    to: {phone},
    language: 'pt',
    destinationHint: '+55 ••• •••• 1234',
    ...overrides,
  };
}
const message: OtpRenderedMessage = {
  text: `${code} é o seu código do Acme.\n\n@acme.example #${code}`,
};
const signal = () => AbortSignal.timeout(5000);

async function sendError(
  channel: ReturnType<typeof twilioSmsChannel>,
): Promise<OtpDeliveryError> {
  const error = await channel.send(message, notification(), signal()).then(
    () => assert.fail('the send should have failed'),
    (e: unknown) => e,
  );
  assert.ok(
    error instanceof OtpDeliveryError,
    `an OtpDeliveryError, got ${String(error)}`,
  );
  assert.ok(
    !error.message.includes(phone.slice(1)),
    `no phone number in: ${error.message}`,
  );
  assert.ok(!error.message.includes(code), `no code in: ${error.message}`);
  assert.ok(!error.message.includes(authToken), `no token in: ${error.message}`);
  return error;
}

describe('twilioSmsChannel against a Twilio contract server', () => {
  let twilio: TwilioContractServer;
  before(async () => {
    twilio = await startTwilioContractServer({accountSid, authToken});
  });
  after(() => twilio.close());
  beforeEach(() => {
    twilio.received.length = 0;
    twilio.refused.length = 0;
    twilio.fault = 'none';
  });

  it('sends To, Body and From as a form POST with Basic auth', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    assert.equal(channel.channel, 'sms');
    assert.equal(channel.provider, 'twilio');
    await channel.send(message, notification(), signal());
    assert.deepEqual(twilio.refused, []);
    assert.equal(twilio.received.length, 1);
    assert.deepEqual(twilio.received[0].fields, {
      To: phone,
      Body: message.text,
      From: '+15017122661',
    });
  });

  it('sends MessagingServiceSid in place of From, and StatusCallback when given', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      messagingServiceSid: serviceSid,
      statusCallback: 'https://app.example/twilio/status',
      endpoint: twilio.endpoint,
    });
    await channel.send(message, notification(), signal());
    assert.deepEqual(twilio.received[0].fields, {
      To: phone,
      Body: message.text,
      MessagingServiceSid: serviceSid,
      StatusCallback: 'https://app.example/twilio/status',
    });
  });

  it('takes an alphanumeric sender id as From', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: 'Acme 2FA',
      endpoint: twilio.endpoint,
    });
    await channel.send(message, notification(), signal());
    assert.equal(twilio.received[0].fields.From, 'Acme 2FA');
  });

  it('is refused by the contract server with a wrong auth token: the check can fail', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken: 'e'.repeat(32),
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    const error = await sendError(channel);
    assert.equal(error.permanent, true);
    assert.match(error.message, /20003/);
    assert.deepEqual(twilio.refused, ['authentication']);
    assert.equal(twilio.received.length, 0);
  });

  it('verify() fetches the account with the credentials, and fails permanently with wrong ones', async () => {
    const good = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    await good.verify?.();
    const bad = twilioSmsChannel({
      accountSid,
      authToken: 'e'.repeat(32),
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    const error = await bad.verify?.().catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError && error.permanent);
    assert.match(error.message, /20003/);
    assert.ok(!error.message.includes('e'.repeat(32)));
  });

  it('is refused by the contract server for another account (wrong path)', async () => {
    const other = 'AC' + '9'.repeat(32);
    const channel = twilioSmsChannel({
      accountSid: other,
      authToken,
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    const error = await sendError(channel);
    assert.equal(error.permanent, true);
    assert.match(twilio.refused[0], /^path /);
  });

  for (const [fault, twilioCode] of [
    ['invalid-to', 21211],
    ['unsubscribed', 21610],
    ['not-mobile', 21614],
    ['region', 21408],
  ] as const) {
    it(`takes ${twilioCode} (${fault}) as permanent, without Twilio's message that quotes the number`, async () => {
      twilio.fault = fault;
      const channel = twilioSmsChannel({
        accountSid,
        authToken,
        from: '+15017122661',
        endpoint: twilio.endpoint,
      });
      const error = await sendError(channel);
      assert.equal(error.permanent, true);
      assert.match(error.message, new RegExp(String(twilioCode)));
    });
  }

  for (const [fault, pattern] of [
    ['429', /20429/],
    ['503', /HTTP 503/],
    ['html-502', /HTTP 502/],
  ] as const) {
    it(`takes ${fault} as transient`, async () => {
      twilio.fault = fault;
      const channel = twilioSmsChannel({
        accountSid,
        authToken,
        from: '+15017122661',
        endpoint: twilio.endpoint,
      });
      const error = await sendError(channel);
      assert.equal(error.permanent, false);
      assert.match(error.message, pattern);
    });
  }

  it('takes a refused connection as transient', async () => {
    const closed = await startTwilioContractServer({accountSid, authToken});
    const endpoint = closed.endpoint;
    await closed.close();
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      endpoint,
    });
    const error = await sendError(channel);
    assert.equal(error.permanent, false);
    assert.match(error.message, /could not reach/);
  });

  it('gives up on a peer that never answers when the signal times out, as transient', async () => {
    twilio.fault = 'hang';
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    const started = Date.now();
    const error = await channel
      .send(message, notification(), AbortSignal.timeout(200))
      .catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError);
    assert.equal(error.permanent, false);
    assert.ok(Date.now() - started < 2000, 'stopped at the signal, not later');
  });

  it('stops when the signal aborts, as a transient failure', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    });
    const controller = new AbortController();
    const sending = channel.send(message, notification(), controller.signal);
    controller.abort();
    const error = await sending.catch((e: unknown) => e);
    assert.ok(error instanceof OtpDeliveryError);
    assert.equal(error.permanent, false);
  });

  it('refuses a body over 1600 characters and a missing phone before sending anything', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    const long = await channel
      .send({text: 'x'.repeat(1601)}, notification(), signal())
      .catch((e: unknown) => e);
    assert.ok(long instanceof OtpDeliveryError && long.permanent);
    const none = await channel
      .send(message, notification({to: {email: 'a@example.com'}}), signal())
      .catch((e: unknown) => e);
    assert.ok(none instanceof OtpDeliveryError && none.permanent);
    assert.match(none.message, /\+55 ••• •••• 1234/);
    assert.equal(twilio.received.length, 0);
    assert.deepEqual(twilio.refused, []);
  });

  it('the contract server refuses requests Twilio would refuse', async () => {
    const post = (body: string, type = 'application/x-www-form-urlencoded') =>
      fetch(`${twilio.endpoint}/2010-04-01/Accounts/${accountSid}/Messages.json`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': type,
        },
        body,
      }).then(async (r) => [r.status, ((await r.json()) as {code: number}).code]);
    const from = 'From=%2B15017122661';
    assert.deepEqual(await post(`${from}&Body=hi`), [400, 21604]);
    assert.deepEqual(await post(`To=015112345678&${from}&Body=hi`), [400, 21211]);
    assert.deepEqual(await post(`To=%2B4915112345678&Body=hi`), [400, 21603]);
    assert.deepEqual(
      await post(`To=%2B4915112345678&${from}&MessagingServiceSid=${serviceSid}&Body=hi`),
      [400, 21603],
    );
    assert.deepEqual(
      await post(`To=%2B4915112345678&${from}&Body=${'x'.repeat(1601)}`),
      [400, 21617],
    );
    assert.deepEqual(
      await post(`To=%2B4915112345678&${from}&Body=hi&To=%2B1`),
      [400, 21201],
    );
    assert.deepEqual(
      await post(
        JSON.stringify({To: '+4915112345678', From: '+15017122661', Body: 'hi'}),
        'application/json',
      ),
      [400, 20001],
    );
    assert.equal(twilio.refused.length, 7);
    assert.equal(twilio.received.length, 0);
  });

  it('sends twenty messages at once, each received once', async () => {
    const channel = twilioSmsChannel({
      accountSid,
      authToken,
      from: '+15017122661',
      endpoint: twilio.endpoint,
    });
    await Promise.all(
      Array.from({length: 20}, (_, i) =>
        channel.send({text: `${i}`}, notification(), signal()),
      ),
    );
    assert.deepEqual(
      twilio.received.map((r) => Number(r.fields.Body)).sort((a, b) => a - b),
      Array.from({length: 20}, (_, i) => i),
    );
  });
});

describe('twilioSmsChannel options', () => {
  const base = {accountSid, authToken, from: '+15017122661'};
  for (const [name, options, pattern] of [
    ['a short accountSid', {...base, accountSid: 'AC123'}, /accountSid/],
    [
      'an API key as accountSid',
      {...base, accountSid: 'SK' + '0'.repeat(32)},
      /accountSid/,
    ],
    ['an empty authToken', {...base, authToken: ''}, /authToken/],
    [
      'neither from nor messagingServiceSid',
      {accountSid, authToken},
      /exactly one of from .* messagingServiceSid/,
    ],
    [
      'both from and messagingServiceSid',
      {...base, messagingServiceSid: serviceSid},
      /exactly one of from/,
    ],
    ['a national number as from', {...base, from: '015017122661'}, /from must be/],
    ['a sender id of 12 characters', {...base, from: 'AcmeAcmeAcme'}, /from must be/],
    ['a digits-only sender id', {...base, from: '12345'}, /from must be/],
    [
      'a bad messagingServiceSid',
      {accountSid, authToken, messagingServiceSid: 'MG12'},
      /messagingServiceSid/,
    ],
    ['an endpoint that is no URL', {...base, endpoint: 'api.twilio.com'}, /endpoint/],
    ['an ftp endpoint', {...base, endpoint: 'ftp://api.twilio.com'}, /endpoint/],
  ] as const) {
    it(`refuses ${name}, naming the option`, () => {
      assert.throws(
        () => twilioSmsChannel(options as Parameters<typeof twilioSmsChannel>[0]),
        pattern,
      );
    });
  }

  it('keeps only the origin of endpoint, so a regional one is written as Twilio gives it', async () => {
    let seen = '';
    const channel = twilioSmsChannel({
      ...base,
      endpoint: 'https://api.dublin.ie1.twilio.com/',
      fetch: async (url) => {
        seen = String(url);
        return new Response('{"sid":"SM1"}', {status: 201});
      },
    });
    await channel.send(message, notification(), signal());
    assert.equal(
      seen,
      `https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`,
    );
  });
});
