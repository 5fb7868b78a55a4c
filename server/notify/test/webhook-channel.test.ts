import assert from 'node:assert/strict';
import {createServer, type IncomingMessage} from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, it} from 'node:test';
import {verifyWebhook} from '../../webhook-signature.js';
import {webhookChannel} from '../webhook-channel.js';
import {OtpDeliveryError, type OtpMessageInput} from '../types.js';

const notification: OtpMessageInput = {
  user: 'maria',
  client: 'web',
  code: '493817',
  expiresAt: new Date(Date.UTC(2026, 0, 1)),
  requestId: 'r1',
  channel: 'sms',
  to: {phone: '+5511987654321'},
  language: 'pt',
  destinationHint: '+55 ••• •••• 4321',
};
const message = {text: '493817 é o seu PIN de Loja.'};

async function receiver(status: number) {
  const requests: {body: string; headers: IncomingMessage['headers']}[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      requests.push({body: Buffer.concat(chunks).toString(), headers: request.headers});
      response.writeHead(
        status,
        status === 302 ? {location: 'http://elsewhere.example/'} : {},
      );
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('webhookChannel', () => {
  it('posts the notification and the message, signed so verifyWebhook accepts it', async () => {
    const app = await receiver(204);
    try {
      const channel = webhookChannel({url: app.url, secret: 's3cret', channel: 'sms'});
      await channel.send(message, notification, AbortSignal.timeout(5000));
      const [{body, headers}] = app.requests;
      assert.ok(verifyWebhook(body, headers['otp-step-signature'] as string, 's3cret'));
      assert.ok(!verifyWebhook(body, headers['otp-step-signature'] as string, 'other'));
      const parsed = JSON.parse(body);
      assert.equal(parsed.event, 'notify');
      assert.equal(parsed.code, '493817');
      assert.deepEqual(parsed.to, {phone: '+5511987654321'});
      assert.deepEqual(parsed.message, message);
      assert.equal(channel.channel, 'sms');
    } finally {
      await app.close();
    }
  });

  for (const [status, permanent] of [
    [400, true],
    [404, true],
    [302, true],
    [408, false],
    [429, false],
    [500, false],
    [503, false],
  ] as const) {
    it(`calls HTTP ${status} ${permanent ? 'permanent' : 'transient'}`, async () => {
      const app = await receiver(status);
      try {
        const channel = webhookChannel({url: app.url, secret: 's', channel: 'sms'});
        await assert.rejects(
          channel.send(message, notification, AbortSignal.timeout(5000)),
          (e: unknown) =>
            e instanceof OtpDeliveryError &&
            e.permanent === permanent &&
            e.message === `webhook: HTTP ${status}`,
        );
      } finally {
        await app.close();
      }
    });
  }

  it('calls a refused connection transient', async () => {
    const app = await receiver(200);
    await app.close();
    const channel = webhookChannel({url: app.url, secret: 's', channel: 'email'});
    await assert.rejects(
      channel.send(message, notification, AbortSignal.timeout(5000)),
      (e: unknown) => e instanceof OtpDeliveryError && !e.permanent,
    );
  });

  it('refuses bad options at creation', () => {
    assert.throws(
      () => webhookChannel({url: 'ftp://x', secret: 's', channel: 'sms'}),
      /url/,
    );
    assert.throws(
      () => webhookChannel({url: 'http://x', secret: '', channel: 'sms'}),
      /secret/,
    );
    assert.throws(
      () => webhookChannel({url: 'http://x', secret: 's', channel: 'fax' as never}),
      /channel/,
    );
  });
});
