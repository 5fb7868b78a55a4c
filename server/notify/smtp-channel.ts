import type {ConnectionOptions} from 'node:tls';
import type {Transporter} from 'nodemailer';
import {OtpDeliveryError, type OtpChannel} from './types.js';

/** The options of `smtpChannel`. */
export interface SmtpChannelOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS when offered) or
   * `smtps://user:pass@host:465` (TLS from the first byte); nodemailer's URL form.
   */
  url?: string;
  /** A nodemailer transporter of your own, instead of `url`. */
  transport?: Transporter;
  /** The From header, e.g. `"Example" <no-reply@example.com>`. */
  from: string;
  /** Refuse to send over a server that does not offer STARTTLS. */
  requireTLS?: boolean;
  /** DKIM-sign every message. */
  dkim?: {domainName: string; keySelector: string; privateKey: string};
  /** TLS options for the connection (e.g. `ca` for a private CA), as node:tls takes them. */
  tls?: ConnectionOptions;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
}

/**
 * Whether retrying could help, from nodemailer's `code` and the server's
 * reply: failed authentication (EAUTH, 535) and a 5xx refusal are final;
 * network failures and 4xx ("try again later", RFC 5321 §4.2.1) are not.
 * The message carries only those codes: nodemailer's own quotes the address.
 */
export function classifySmtpError(error: unknown): OtpDeliveryError {
  const {code, responseCode} = (error ?? {}) as SmtpError;
  const what = ['smtp', code, responseCode].filter(Boolean).join(' ');
  const permanent =
    code === 'EAUTH' ||
    responseCode === 535 ||
    (typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600);
  return new OtpDeliveryError(what === 'smtp' ? 'smtp failure' : what, {
    permanent,
    cause: error,
  });
}

async function loadNodemailer() {
  try {
    return await import('nodemailer');
  } catch (error) {
    throw new Error(
      'smtpChannel needs the "nodemailer" package: npm install nodemailer',
      {cause: error},
    );
  }
}

/**
 * E-mail over SMTP with nodemailer (an optional peer, imported on first use):
 * a pooled transport, STARTTLS whenever the server offers it (nodemailer's
 * default), required only with `requireTLS`, DKIM when given keys.
 */
export function smtpChannel(options: SmtpChannelOptions): OtpChannel {
  if (!options || (!options.url && !options.transport))
    throw new TypeError('smtpChannel: give `url` (smtp://… or smtps://…) or `transport`');
  if (options.url && options.transport)
    throw new TypeError('smtpChannel: give `url` or `transport`, not both');
  if (options.url && !/^smtps?:\/\//i.test(options.url))
    throw new TypeError('smtpChannel: `url` must start with smtp:// or smtps://');
  if (typeof options.from !== 'string' || !options.from.includes('@'))
    throw new TypeError(
      'smtpChannel: `from` must be an address, e.g. "App <no-reply@example.com>"',
    );
  let transporter: Promise<Transporter> | undefined;
  const get = () =>
    (transporter ??= options.transport
      ? Promise.resolve(options.transport)
      : loadNodemailer().then((nodemailer) =>
          // nodemailer reads host, port, auth and `?tls.…` parameters from the URL itself.
          nodemailer.createTransport({
            pool: true,
            url: options.url,
            requireTLS: options.requireTLS ?? false,
            dkim: options.dkim,
            tls: options.tls,
          }),
        ));
  return {
    channel: 'email',
    provider: 'smtp',
    async send(message, notification, signal) {
      const transport = await get();
      if (!notification.to.email)
        throw new OtpDeliveryError('smtp: no e-mail address', {permanent: true});
      signal.throwIfAborted();
      // nodemailer takes no signal: an abort stops the wait, the pool finishes or drops the message.
      const sent = transport.sendMail({
        from: options.from,
        to: notification.to.email,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
      let stop: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        stop = () => reject(new OtpDeliveryError('smtp: timed out', {permanent: false}));
        signal.addEventListener('abort', stop, {once: true});
      });
      try {
        await Promise.race([sent, aborted]);
      } catch (error) {
        if (error instanceof OtpDeliveryError) throw error;
        throw classifySmtpError(error);
      } finally {
        signal.removeEventListener('abort', stop!);
        sent.catch(() => {});
      }
    },
    async verify() {
      try {
        await (await get()).verify();
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    async close() {
      if (transporter) (await transporter).close();
    },
  };
}
