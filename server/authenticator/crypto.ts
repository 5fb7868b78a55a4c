import {deriveKey} from '../derive-key.js';
import {sealer} from '../issue/sealed-code.js';
import {indexOfDigest, recoveryDigest} from './recovery-codes.js';

/** The labels of the authenticator's keys, each derived from the server's secret for this use alone. */
const SECRET_LABEL = 'otp-step authenticator secret';
const RECOVERY_LABEL = 'otp-step recovery code';

/**
 * The authenticator's keys, from the server's secret: the app's secret is
 * sealed at rest (AES-256-GCM) with the user as associated data, so a record
 * copied onto another user's key does not open; recovery codes are kept as
 * HMACs bound to the user. Rotating the server's secret makes every enrolled
 * app unusable, as it does every pending code and token: users enrol again.
 */
export function authenticatorCrypto(serverSecret: Uint8Array) {
  const secrets = sealer(deriveKey(serverSecret, SECRET_LABEL), SECRET_LABEL);
  const recoveryKey = deriveKey(serverSecret, RECOVERY_LABEL);
  return {
    /** The app's secret sealed for `user` (its bytes as base64url, sealed). */
    sealSecret: (user: string, secret: Uint8Array) =>
      secrets.seal(user, Buffer.from(secret).toString('base64url')),
    /** The secret's bytes, or undefined for a sealed value that does not open for `user`. */
    openSecret(user: string, sealed: string): Uint8Array | undefined {
      const opened = secrets.open(user, sealed);
      return opened === undefined ? undefined : Buffer.from(opened, 'base64url');
    },
    recoveryDigest: (user: string, code: string) =>
      recoveryDigest(recoveryKey, user, code),
    indexOfDigest,
  };
}

export type AuthenticatorCrypto = ReturnType<typeof authenticatorCrypto>;
