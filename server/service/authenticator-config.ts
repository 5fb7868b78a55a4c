import {checkedAuthenticator} from '../authenticator/options.js';
import type {OtpAuthenticatorOptions} from '../options.js';
import {ConfigError} from './config-error.js';

/** The side service's authenticator factor, as its environment sets it. */
export interface AuthenticatorConfig {
  /** OTP_AUTHENTICATOR_ISSUER: the factor's `authenticator` option; off when unset. */
  authenticator?: OtpAuthenticatorOptions;
  /**
   * OTP_AUTHENTICATOR_LABEL: what the phone shows under the issuer: `user`
   * (the user header's value, by default) or `email` (the user's address, from
   * OTP_LOOKUP_URL), for an app whose user ids mean nothing to a person.
   */
  accountLabel: 'user' | 'email';
}

/**
 * Reads OTP_AUTHENTICATOR_ISSUER and OTP_AUTHENTICATOR_LABEL. The factor
 * enrols an app for the user the request names, so without OTP_USER_HEADER
 * (the service's `authenticate`) anyone could enrol a phone for any account:
 * the start stops, saying what to set. The issuer is checked by the handler's
 * own rule, named as the variable, so the two cannot disagree on what an app
 * would misread.
 */
export function authenticatorConfig(
  get: (name: string) => string | undefined,
  {userHeader, lookupUrl}: {userHeader?: string; lookupUrl?: string},
): AuthenticatorConfig {
  const issuer = get('OTP_AUTHENTICATOR_ISSUER');
  const label = get('OTP_AUTHENTICATOR_LABEL');
  if (issuer === undefined) {
    if (label !== undefined)
      throw new ConfigError(
        'OTP_AUTHENTICATOR_LABEL is set but OTP_AUTHENTICATOR_ISSUER is not: set the issuer to turn the authenticator factor on, or unset the label',
      );
    return {authenticator: undefined, accountLabel: 'user'};
  }
  if (userHeader === undefined)
    throw new ConfigError(
      "OTP_AUTHENTICATOR_ISSUER needs OTP_USER_HEADER: an authenticator is enrolled, removed and given new recovery codes only for the signed-in user, or anyone could enrol a phone for any account; set OTP_USER_HEADER to the header the app's proxy sets to the signed-in user (with OTP_TRUSTED_PROXIES)",
    );
  try {
    // The service's `authenticate` is the header, there now: only the issuer is left to judge.
    checkedAuthenticator({secret: '', authenticate: () => null, authenticator: {issuer}});
  } catch (error) {
    throw new ConfigError(
      `${(error as Error).message.replace(/^otp-step: authenticator\.issuer/, 'OTP_AUTHENTICATOR_ISSUER')}, not ${JSON.stringify(issuer)}`,
    );
  }
  if (label !== undefined && label !== 'user' && label !== 'email')
    throw new ConfigError(
      `OTP_AUTHENTICATOR_LABEL must be user or email, not ${JSON.stringify(label)}`,
    );
  if (label === 'email' && !lookupUrl)
    throw new ConfigError(
      "OTP_AUTHENTICATOR_LABEL=email needs OTP_LOOKUP_URL: the address comes from the app's lookup webhook",
    );
  return {authenticator: {issuer}, accountLabel: label ?? 'user'};
}
