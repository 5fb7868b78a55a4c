import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer as createTcpServer, type AddressInfo, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {before, describe, it} from 'node:test';
import {simpleParser} from 'mailparser';
import {SMTPServer, type SMTPServerOptions} from 'smtp-server';
import {smtpChannel} from '../smtp-channel.js';
import {OtpDeliveryError, type OtpMessageInput} from '../types.js';
import {renderOtpMessage} from '../render.js';
import {createNotifier} from '../notifier.js';

const notification: OtpMessageInput = {
  user: 'maria',
  client: 'web',
  code: '493817',
  expiresAt: new Date(Date.now() + 600_000),
  requestId: 'r1',
  channel: 'email',
  to: {email: 'maria@example.com'},
  language: 'pt',
  destinationHint: 'm•••@example.com',
};
const message = renderOtpMessage('email', notification, {appName: 'Loja <b>'});
const signal = () => AbortSignal.timeout(10_000);

/** A self-signed certificate for 127.0.0.1, made by openssl for this run. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'otp-smtp-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      {stdio: 'ignore'},
    );
    return {
      key: readFileSync(join(dir, 'key.pem')),
      cert: readFileSync(join(dir, 'cert.pem')),
    };
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

interface Received {
  raw: Buffer;
  secure: boolean;
  mailFrom: string;
  rcptTo: string[];
}

async function startServer(options: SMTPServerOptions) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          raw: Buffer.concat(chunks),
          secure: session.secure,
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.server.address() as AddressInfo;
  return {received, port, close: () => new Promise<void>((r) => server.close(() => r()))};
}

describe('smtpChannel against a real SMTP server', () => {
  let tls: {key: Buffer; cert: Buffer};
  before(() => {
    tls = certificate();
  });

  it('delivers subject, text and HTML from the right sender, over STARTTLS when offered', async () => {
    const server = await startServer({key: tls.key, cert: tls.cert});
    const channel = smtpChannel({
      url: `smtp://127.0.0.1:${server.port}`,
      from: '"Loja" <no-reply@loja.example>',
      tls: {ca: tls.cert},
    });
    try {
      await channel.verify!();
      await channel.send(message, notification, signal());
      assert.equal(server.received.length, 1);
      const [mail] = server.received;
      assert.equal(mail.secure, true, 'upgraded with STARTTLS without requireTLS');
      assert.equal(mail.mailFrom, 'no-reply@loja.example');
      assert.deepEqual(mail.rcptTo, ['maria@example.com']);
      const parsed = await simpleParser(mail.raw);
      assert.equal(parsed.subject, message.subject);
      assert.equal(parsed.text?.trim(), message.text.trim());
      assert.equal(parsed.html && parsed.html.trim(), message.html!.trim());
      assert.ok(parsed.html && parsed.html.includes('Loja &lt;b&gt;'));
      assert.equal(parsed.from?.value[0].address, 'no-reply@loja.example');
      assert.equal(parsed.from?.value[0].name, 'Loja');
    } finally {
      await channel.close!();
      await server.close();
    }
  });

  it('sends in plain text to a server without STARTTLS, and refuses it with requireTLS', async () => {
    const server = await startServer({disabledCommands: ['STARTTLS']});
    const plain = smtpChannel({
      url: `smtp://127.0.0.1:${server.port}`,
      from: 'a@b.example',
    });
    const strict = smtpChannel({
      url: `smtp://127.0.0.1:${server.port}`,
      from: 'a@b.example',
      requireTLS: true,
    });
    try {
      await plain.send(message, notification, signal());
      assert.equal(server.received[0].secure, false);
      await assert.rejects(
        strict.send(message, notification, signal()),
        OtpDeliveryError,
      );
      assert.equal(server.received.length, 1);
    } finally {
      await plain.close!();
      await strict.close!();
      await server.close();
    }
  });

  it('signs with DKIM when given keys', async () => {
    const server = await startServer({disabledCommands: ['STARTTLS']});
    const channel = smtpChannel({
      url: `smtp://127.0.0.1:${server.port}`,
      from: 'no-reply@loja.example',
      dkim: {
        domainName: 'loja.example',
        keySelector: 'otp',
        privateKey: tls.key.toString(),
      },
    });
    try {
      await channel.send(message, notification, signal());
      assert.match(
        server.received[0].raw.toString(),
        /^DKIM-Signature: .*d=loja\.example/m,
      );
    } finally {
      await channel.close!();
      await server.close();
    }
  });

  it('calls a server that is down a transient failure', async () => {
    const server = await startServer({});
    const port = server.port;
    await server.close();
    const channel = smtpChannel({url: `smtp://127.0.0.1:${port}`, from: 'a@b.example'});
    try {
      const error = await channel.send(message, notification, signal()).then(
        () => assert.fail('sent'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof OtpDeliveryError);
      assert.equal(error.permanent, false, error.message);
      await assert.rejects(channel.verify!(), OtpDeliveryError);
    } finally {
      await channel.close!();
    }
  });

  it('calls a 550 on RCPT permanent, without the address in the message', async () => {
    const server = await startServer({
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('No such user'), {responseCode: 550}));
      },
    });
    const channel = smtpChannel({
      url: `smtp://127.0.0.1:${server.port}`,
      from: 'a@b.example',
    });
    try {
      const error = await channel.send(message, notification, signal()).then(
        () => assert.fail('sent'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof OtpDeliveryError);
      assert.equal(error.permanent, true);
      assert.match(error.message, /550/);
      assert.ok(!error.message.includes('maria@example.com'));
    } finally {
      await channel.close!();
      await server.close();
    }
  });

  it('calls a 451 on RCPT transient', async () => {
    const server = await startServer({
      disabledCommands: ['STARTTLS'],
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('Try later'), {responseCode: 451}));
      },
    });
    const channel = smtpChannel({
      url: `smtp://127.0.0.1:${server.port}`,
      from: 'a@b.example',
    });
    try {
      await assert.rejects(
        channel.send(message, notification, signal()),
        (e: unknown) => e instanceof OtpDeliveryError && !e.permanent,
      );
    } finally {
      await channel.close!();
      await server.close();
    }
  });

  it('calls failed authentication (535) permanent', async () => {
    const server = await startServer({
      key: tls.key,
      cert: tls.cert,
      authOptional: false,
      onAuth(_auth, _session, callback) {
        callback(Object.assign(new Error('Invalid credentials'), {responseCode: 535}));
      },
    });
    const channel = smtpChannel({
      url: `smtp://user:wrong@127.0.0.1:${server.port}`,
      from: 'a@b.example',
      tls: {ca: tls.cert},
    });
    try {
      const error = await channel.send(message, notification, signal()).then(
        () => assert.fail('sent'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof OtpDeliveryError);
      assert.equal(error.permanent, true);
      assert.match(error.message, /EAUTH|535/);
      assert.ok(!error.message.includes('wrong'));
    } finally {
      await channel.close!();
      await server.close();
    }
  });

  it('gives up on a server that accepts the connection and never greets, as a transient failure', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const {port} = silent.address() as AddressInfo;
    const channel = smtpChannel({url: `smtp://127.0.0.1:${port}`, from: 'a@b.example'});
    const started = Date.now();
    try {
      await assert.rejects(
        channel.send(message, notification, AbortSignal.timeout(300)),
        (e: unknown) => e instanceof OtpDeliveryError && !e.permanent,
      );
      assert.ok(Date.now() - started < 3_000);
    } finally {
      await channel.close!();
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('through the notifier: fails over from a server that is down to one that is up', async () => {
    const down = await startServer({});
    const downPort = down.port;
    await down.close();
    const up = await startServer({disabledCommands: ['STARTTLS']});
    const lines: string[] = [];
    const logger = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    const first = smtpChannel({url: `smtp://127.0.0.1:${downPort}`, from: 'a@b.example'});
    const second = smtpChannel({url: `smtp://127.0.0.1:${up.port}`, from: 'a@b.example'});
    const notifier = createNotifier({channels: [first, second], appName: 'Loja', logger});
    try {
      const result = await notifier.deliver(notification, {
        deadline: Date.now() + 10_000,
        signal: new AbortController().signal,
      });
      assert.equal(result.provider, 'smtp');
      assert.equal(up.received.length, 1);
      const parsed = await simpleParser(up.received[0].raw);
      assert.match(parsed.subject ?? '', /^493817 é o seu código de Loja$/);
      assert.ok(lines.some((l) => l.includes('transient')));
      for (const line of lines) {
        assert.ok(!line.includes('493817') && !line.includes('maria@example.com'), line);
      }
    } finally {
      await notifier.close();
      await up.close();
    }
  });

  it('refuses bad options at creation', () => {
    assert.throws(() => smtpChannel({from: 'a@b.example'}), /url/);
    assert.throws(() => smtpChannel({url: 'http://x', from: 'a@b.example'}), /smtp:\/\//);
    assert.throws(() => smtpChannel({url: 'smtp://x', from: 'nobody'}), /from/);
  });
});
