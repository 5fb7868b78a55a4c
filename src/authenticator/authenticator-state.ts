/**
 * The authenticator's part of the step's state (`method="authenticator"`), and
 * the rules read off it. No DOM: the flow (authenticator-flow.ts) changes it,
 * the dialog (otp-step-authenticator.ts) draws it.
 */
import type {AlphabetName} from '../code/alphabets.js';

/**
 * Where the person is: signing in with the app's code (or a recovery code), or
 * setting an app up: proving the app they have now (`current`, when the server
 * asks for it), scanning the QR code, typing the app's first code, saving
 * the recovery codes.
 */
export type AuthenticatorStage =
  'sign-in' | 'current' | 'scan' | 'first-code' | 'recovery-codes';

/** An enrolment the server made, waiting for the app's first code. */
export interface Enrollment {
  readonly id: string;
  /** The `otpauth://totp/…` URI the QR code holds. */
  readonly uri: string;
  /** The secret in Base32, for typing into an app that cannot scan. */
  readonly secret: string;
  /** Epoch ms: until when the first code is taken. */
  readonly expiresAt: number;
}

export interface AuthenticatorState {
  readonly stage: AuthenticatorStage;
  /** Signing in, or proving the current app: the entry takes a recovery code in place of the app's. */
  readonly recovery: boolean;
  /** While setting up: the enrolment, secret included. Gone once the codes are saved. */
  readonly enrollment?: Enrollment;
  /** Shown once, after the first code: gone when the person is done. */
  readonly recoveryCodes?: readonly string[];
}

/** The app's codes: RFC 6238's 6 digits, what every app shows. */
export const APP_CODE = {length: 6, alphabet: 'numeric'} as const;
/** A recovery code: 10 characters of Crockford's Base32, shown XXXXX-XXXXX. */
export const RECOVERY_CODE = {length: 10, alphabet: 'alphanumeric'} as const;

/** The shape of what the entry takes now. */
export const entryShape = ({
  stage,
  recovery,
}: AuthenticatorState): {length: number; alphabet: AlphabetName} =>
  takesRecoveryCode(stage) && recovery ? RECOVERY_CODE : APP_CODE;

/** The stages that prove the app the person has (signing in, or before replacing it): a recovery code may stand in. */
export const takesRecoveryCode = (stage: AuthenticatorStage): boolean =>
  stage === 'sign-in' || stage === 'current';

/** A cleaned recovery code as the server hands them out: `XXXXX-XXXXX`. */
export const recoveryCodeText = (code: string): string =>
  `${code.slice(0, 5)}-${code.slice(5)}`;

/**
 * The secret in groups of four (`JBSW Y3DP EHPK 3PXP`), as apps and password
 * managers show it: easier to read off and type. Copying gives it whole.
 */
export const groupSecret = (secret: string): string =>
  secret.replace(/(.{4})(?=.)/g, '$1 ');

/** The text of the recovery codes' file and of their copy: a line each, with what they are. */
export const recoveryCodesFile = (heading: string, codes: readonly string[]): string =>
  `${heading}\n\n${codes.join('\n')}\n`;
