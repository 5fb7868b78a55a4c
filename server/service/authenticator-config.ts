import type {OtpAuthenticatorOptions} from '../options.js';
import {ConfigError} from './config-error.js';

/** The side service's authenticator factor, as its environment sets it. */
export interface AuthenticatorConfig {
  /** OTP_AUTHENTICATOR_ISSUER: the factor's `authenticator` option; off when unset. */
  authenticator?: OtpAuthenticatorOptions;
}

/** Longest issuer taken: apps show it in one line above the account; a QR code of a longer URI grows dense. */
export const ISSUER_MAX_LENGTH = 64;

/**
 * Reads OTP_AUTHENTICATOR_ISSUER. The factor enrols an app for the user the
 * request names, so without OTP_USER_HEADER (the service's `authenticate`)
 * anyone could enrol a phone for any account: the start stops, saying what
 * to set. An issuer an app would misread stops it too.
 */
export function authenticatorConfig(
  get: (name: string) => string | undefined,
  userHeader: string | undefined,
): AuthenticatorConfig {
  const issuer = get('OTP_AUTHENTICATOR_ISSUER');
  if (issuer === undefined) return {authenticator: undefined};
  const problem = issuerProblem(issuer);
  if (problem)
    throw new ConfigError(
      `OTP_AUTHENTICATOR_ISSUER ${problem}, not ${JSON.stringify(issuer)}: give the name an authenticator app shows above the account, such as Acme`,
    );
  if (userHeader === undefined)
    throw new ConfigError(
      "OTP_AUTHENTICATOR_ISSUER needs OTP_USER_HEADER: an authenticator is enrolled, removed and given new recovery codes only for the signed-in user, or anyone could enrol a phone for any account; set OTP_USER_HEADER to the header the app's proxy sets to the signed-in user (with OTP_TRUSTED_PROXIES)",
    );
  return {authenticator: {issuer}};
}

/**
 * What is wrong with an issuer, or undefined. The Key URI format's label is
 * `issuer:account`: a colon in the issuer would move the split, and apps
 * drop or mangle control characters.
 */
function issuerProblem(issuer: string): string | undefined {
  if (issuer.includes(':'))
    return 'must not hold a colon (apps read it as the end of the issuer)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(issuer))
    return 'must not hold control characters';
  if ([...issuer].length > ISSUER_MAX_LENGTH)
    return `must be at most ${ISSUER_MAX_LENGTH} characters`;
  return undefined;
}
