import type {OtpAuthenticatorOptions, OtpHandlerOptions} from '../options.js';

/** Longest issuer: apps show it above the account, and it goes into every URI and QR code. */
const MAX_ISSUER_LENGTH = 64;

/**
 * The `authenticator` option checked at start-up, or undefined when it is not
 * given. Stops the start-up, saying what to change, for an issuer an app
 * could not show (empty, too long, with a ':' that would split the URI's
 * label, or a control character) and for a handler without `authenticate`:
 * enrolment must be the signed-in user's, or anyone could enrol their own
 * phone for any account.
 */
export function checkedAuthenticator(
  options: OtpHandlerOptions,
): OtpAuthenticatorOptions | undefined {
  const given = options.authenticator as unknown;
  if (given === undefined) return undefined;
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new Error("otp-step: authenticator must be an object such as {issuer: 'Acme'}");
  const {issuer} = given as {issuer?: unknown};
  if (
    typeof issuer !== 'string' ||
    issuer.trim() === '' ||
    issuer.length > MAX_ISSUER_LENGTH ||
    issuer.includes(':') ||
    /\p{Cc}/u.test(issuer)
  )
    throw new Error(
      `otp-step: authenticator.issuer must be the name apps show above the account, such as 'Acme': a non-empty string of at most ${MAX_ISSUER_LENGTH} characters, without ':' or control characters`,
    );
  const {accountLabel} = given as {accountLabel?: unknown};
  if (accountLabel !== undefined && typeof accountLabel !== 'function')
    throw new Error(
      'otp-step: authenticator.accountLabel must be a function (user) => the name the app on the phone shows, such as the e-mail address',
    );
  if (typeof options.authenticate !== 'function')
    throw new Error(
      'otp-step: authenticator needs authenticate(request): enrolment, removal and new recovery codes are for the signed-in user only, or anyone could enrol their own phone for any account',
    );
  return {issuer, accountLabel: accountLabel as OtpAuthenticatorOptions['accountLabel']};
}
