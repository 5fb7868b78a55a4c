import type {OtpChannelName} from '../notify/types.js';
import {ConfigError} from './config-error.js';

/** Delivery as the environment configures it: which providers, in which order, with which words. */
export interface DeliveryConfig {
  smtp?: {url: string; from: string};
  twilio?: {
    accountSid: string;
    authToken: string;
    from?: string;
    messagingServiceSid?: string;
  };
  aws?: {region: string; originationIdentity: string};
  /** The kinds of destination, in order of preference (OTP_CHANNELS). */
  channels: OtpChannelName[];
  appName?: string;
  webOtpDomain?: string;
  templatesDir?: string;
}

type Get = (name: string) => string | undefined;

/**
 * Reads OTP_SMTP_URL, OTP_EMAIL_FROM, OTP_TWILIO_*, OTP_AWS_*, OTP_CHANNELS,
 * OTP_APP_NAME, OTP_WEBOTP_DOMAIN and OTP_TEMPLATES_DIR. A provider given
 * half (a URL without a sender, a SID without a token) and OTP_CHANNELS naming
 * one with no provider are refused with the variable to set. Undefined when no
 * channel is configured (the notify webhook then does the sending).
 */
export function deliveryConfig(get: Get, secretOf: Get): DeliveryConfig | undefined {
  const together = (names: string[]) => {
    const given = names.filter((name) => get(name) ?? secretOf(name));
    if (given.length && given.length < names.length)
      throw new ConfigError(
        `${names.find((name) => !given.includes(name))} is required with ${given.join(' and ')}`,
      );
    return given.length === names.length;
  };
  const config: DeliveryConfig = {channels: []};
  if (together(['OTP_SMTP_URL', 'OTP_EMAIL_FROM'])) {
    const url = get('OTP_SMTP_URL')!;
    if (!/^smtps?:\/\//.test(url))
      throw new ConfigError('OTP_SMTP_URL must be an smtp:// or smtps:// URL');
    config.smtp = {url, from: get('OTP_EMAIL_FROM')!};
  }
  if (together(['OTP_TWILIO_ACCOUNT_SID', 'OTP_TWILIO_AUTH_TOKEN', 'OTP_TWILIO_FROM'])) {
    const from = get('OTP_TWILIO_FROM')!;
    // A Messaging Service SID (MG…) sends from the service's own pool of numbers.
    config.twilio = {
      accountSid: get('OTP_TWILIO_ACCOUNT_SID')!,
      authToken: secretOf('OTP_TWILIO_AUTH_TOKEN')!,
      ...(/^MG[0-9a-f]{32}$/i.test(from) ? {messagingServiceSid: from} : {from}),
    };
  }
  if (together(['OTP_AWS_REGION', 'OTP_AWS_SMS_ORIGINATION']))
    config.aws = {
      region: get('OTP_AWS_REGION')!,
      originationIdentity: get('OTP_AWS_SMS_ORIGINATION')!,
    };
  const available: OtpChannelName[] = [];
  if (config.smtp) available.push('email');
  if (config.twilio || config.aws) available.push('sms');
  const order = get('OTP_CHANNELS');
  if (order !== undefined) {
    const named = order.split(',').map((name) => name.trim());
    for (const name of named) {
      if (name !== 'email' && name !== 'sms')
        throw new ConfigError(
          `OTP_CHANNELS names ${JSON.stringify(name)}: use email and sms`,
        );
      if (!available.includes(name))
        throw new ConfigError(
          name === 'email'
            ? 'OTP_CHANNELS names email: set OTP_SMTP_URL and OTP_EMAIL_FROM'
            : 'OTP_CHANNELS names sms: set OTP_TWILIO_ACCOUNT_SID, OTP_TWILIO_AUTH_TOKEN and OTP_TWILIO_FROM, or OTP_AWS_REGION and OTP_AWS_SMS_ORIGINATION',
        );
    }
    if (new Set(named).size !== named.length)
      throw new ConfigError('OTP_CHANNELS names a channel twice');
    config.channels = named as OtpChannelName[];
  } else config.channels = available;
  const appName = get('OTP_APP_NAME');
  if (appName !== undefined) config.appName = appName;
  const webOtpDomain = get('OTP_WEBOTP_DOMAIN');
  if (webOtpDomain !== undefined) config.webOtpDomain = webOtpDomain;
  const templatesDir = get('OTP_TEMPLATES_DIR');
  if (templatesDir !== undefined) config.templatesDir = templatesDir;
  if (!config.channels.length) {
    const orphan = ['OTP_APP_NAME', 'OTP_WEBOTP_DOMAIN', 'OTP_TEMPLATES_DIR'].find(get);
    if (orphan)
      throw new ConfigError(
        `${orphan} is set but no channel is: set OTP_SMTP_URL and OTP_EMAIL_FROM, or an SMS provider`,
      );
    return undefined;
  }
  return config;
}
