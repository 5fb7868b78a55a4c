// A real SMTP server on loopback (the `smtp-server` package), whose mail is
// parsed with `mailparser` and kept in memory: the inbox `npm start` shows on
// the demo page and the end-to-end tests read codes from. Nothing leaves the
// machine: it accepts every recipient and relays nothing.
import {simpleParser} from 'mailparser';
import {SMTPServer} from 'smtp-server';

/** Messages kept per server, newest last; older ones drop off so a long demo stays small. */
const KEPT = 200;

/**
 * Starts the server on 127.0.0.1 (port 0: any free one).
 * `delayMs` holds each message that long before accepting it, as a slow
 * provider would. STARTTLS is not offered: on loopback there is nothing to
 * protect, and a self-signed certificate would make every client turn off
 * its checks.
 * @returns {Promise<{port: number, url: string, inbox: Array<object>, messagesTo(address: string): Array<object>, close(): Promise<void>}>}
 */
export async function startLoopbackSmtp({port = 0, delayMs = 0} = {}) {
  const inbox = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'otp-step loopback SMTP',
    size: 256 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
          inbox.push({
            at: new Date().toISOString(),
            from: mail.from?.text ?? '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          if (inbox.length > KEPT) inbox.splice(0, inbox.length - KEPT);
          callback();
        })
        .catch(callback);
    },
  });
  server.on('error', (error) => console.error(`loopback SMTP: ${error.message}`));
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = server.server.address().port;
  return {
    port: bound,
    url: `smtp://127.0.0.1:${bound}`,
    inbox,
    messagesTo: (address) => inbox.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
