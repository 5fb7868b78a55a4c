// The side service's delivery settings (issue 18): providers from the
// environment, each half-given one refused in one line naming the variable,
// and a service that e-mails a real SMTP server on loopback and learns the
// destination from the app's signed lookup webhook.
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {after, describe, it} from 'node:test';
import {simpleParser} from 'mailparser';
import {SMTPServer} from 'smtp-server';
import {verifyWebhook} from '../index.js';
import {memoryOtpStore} from '../store.js';
import {ConfigError, serviceConfig} from '../service/config.js';
import {createService} from '../service/service.js';
import {issueBody} from './helpers.js';

const SECRET = 'a service secret that is long enough to key';
const HOOK_SECRET = 'a webhook secret that is long enough, 32+';
const base = {
  NODE_ENV: 'production',
  OTP_SECRET: SECRET,
  OTP_WEBHOOK_SECRET: HOOK_SECRET,
};
const smtpEnv = {
  OTP_SMTP_URL: 'smtp://127.0.0.1:2525',
  OTP_EMAIL_FROM: 'codes@app.example',
};
const twilioEnv = {
  OTP_TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  OTP_TWILIO_AUTH_TOKEN: 'token',
  OTP_TWILIO_FROM: '+15005550006',
};
const noFiles = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};
const refuses = (env: Record<string, string>, message: RegExp) =>
  assert.throws(
    () => serviceConfig(env, noFiles),
    (error: Error) =>
      error instanceof ConfigError &&
      message.test(error.message) &&
      !error.message.includes('\n'),
  );

describe('the service’s delivery settings', () => {
  it('configures channels from the environment, in OTP_CHANNELS order, without OTP_NOTIFY_URL', () => {
    const config = serviceConfig(
      {...base, ...smtpEnv, ...twilioEnv, OTP_CHANNELS: 'sms,email'},
      noFiles,
    );
    assert.deepEqual(config.delivery?.channels, ['sms', 'email']);
    assert.equal(config.delivery?.twilio?.from, '+15005550006');
    const mg = serviceConfig(
      {...base, ...twilioEnv, OTP_TWILIO_FROM: `MG${'a'.repeat(32)}`},
      noFiles,
    );
    assert.equal(mg.delivery?.twilio?.messagingServiceSid, `MG${'a'.repeat(32)}`);
    assert.deepEqual(serviceConfig({...base, ...smtpEnv}, noFiles).delivery?.channels, [
      'email',
    ]);
  });

  it('refuses half-given providers and impossible orders in one line naming the variable', () => {
    refuses(
      {...base, OTP_SMTP_URL: 'smtp://x'},
      /OTP_EMAIL_FROM is required with OTP_SMTP_URL/,
    );
    refuses(
      {...base, OTP_TWILIO_ACCOUNT_SID: 'AC1'},
      /OTP_TWILIO_AUTH_TOKEN is required/,
    );
    refuses(
      {...base, OTP_AWS_REGION: 'eu-west-1'},
      /OTP_AWS_SMS_ORIGINATION is required/,
    );
    refuses({...base, ...smtpEnv, OTP_CHANNELS: 'email,sms'}, /OTP_CHANNELS names sms/);
    refuses({...base, ...smtpEnv, OTP_CHANNELS: 'fax'}, /OTP_CHANNELS names "fax"/);
    refuses(
      {...base, ...smtpEnv, OTP_SMTP_URL: 'http://mail'},
      /OTP_SMTP_URL must be an smtp/,
    );
    refuses(
      {...base, ...smtpEnv, OTP_NOTIFY_URL: 'https://app/notify'},
      /unset OTP_NOTIFY_URL/,
    );
    refuses({...base}, /OTP_NOTIFY_URL is required when no delivery channel/);
    refuses(
      {...base, OTP_NOTIFY_URL: 'https://a/n', OTP_APP_NAME: 'Shop'},
      /OTP_APP_NAME is set but no channel/,
    );
    refuses(
      {...base, ...smtpEnv, OTP_TEST_USERS_FILE: '/nope.json'},
      /OTP_TEST_USERS_FILE cannot be read/,
    );
  });

  it('e-mails the code to the address the lookup webhook gives, and answers an unknown user alike', async () => {
    const inbox: {to: string; text: string}[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            inbox.push({to: session.envelope.rcptTo[0].address, text: mail.text ?? ''});
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const lookups: unknown[] = [];
    const app = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const signed = verifyWebhook(
          body,
          req.headers['otp-step-signature'] as string,
          HOOK_SECRET,
        );
        lookups.push({signed, ...JSON.parse(body)});
        const {user} = JSON.parse(body) as {user: string};
        if (user !== 'maria') return res.writeHead(404).end();
        res.writeHead(200, {'content-type': 'application/json'});
        res.end(JSON.stringify({email: 'maria@app.example', language: 'de'}));
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    after(() => new Promise<void>((resolve) => app.close(() => resolve())));
    const config = serviceConfig(
      {
        ...base,
        OTP_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as {port: number}).port}`,
        OTP_EMAIL_FROM: 'codes@app.example',
        OTP_LOOKUP_URL: `http://127.0.0.1:${(app.address() as {port: number}).port}/lookup`,
        OTP_APP_NAME: 'App',
      },
      noFiles,
    );
    const lines: string[] = [];
    const logger = {
      log: (_level: string, msg: string, fields?: object) =>
        void lines.push(msg + JSON.stringify(fields ?? {})),
      info: (m: string) => void lines.push(m),
      warn: (m: string) => void lines.push(m),
      error: (m: string) => void lines.push(m),
    };
    const service = createService(config, memoryOtpStore(), logger as never);
    const address = await service.listen(0, '127.0.0.1');
    after(() => service.close());
    const issue = async (user: string) => {
      const response = await fetch(`http://127.0.0.1:${address.port}/codes`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify(issueBody(user)),
      });
      return {
        status: response.status,
        json: (await response.json()) as Record<string, unknown>,
      };
    };
    const known = await issue('maria');
    const unknown = await issue('nobody');
    assert.equal(known.status, 201);
    assert.equal(unknown.status, 201);
    assert.equal(known.json.destinationHint, 'm•••@app.example');
    assert.deepEqual(Object.keys(known.json).sort(), Object.keys(unknown.json).sort());
    for (let i = 0; i < 100 && !inbox.length; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].to, 'maria@app.example');
    assert.match(inbox[0].text, /\d{6}/);
    assert.ok(
      lookups.every((l) => (l as {signed: boolean}).signed),
      'each lookup is signed',
    );
    const code = /\d{6}/.exec(inbox[0].text)![0];
    assert.ok(!lines.join('\n').includes(code), 'the code is in no log line');
    assert.ok(!lines.join('\n').includes('maria@app.example'), 'nor the address');
  });
});
