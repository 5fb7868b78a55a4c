import {isAlphabetName, type AlphabetName} from '../code/alphabets.js';
import {parseLifetime} from './parse-lifetime.js';

/** The kinds of destination a server can send a code to (protocol.ts's DeliveryChannel). */
export type ChannelName = 'email' | 'sms';

/** The step's parameters as a page sets them, before they are checked. */
export interface StepOptions {
  stepName: string;
  sourceStep: string;
  user: string;
  client: string;
  lifetime: string | number;
  length: number;
  alphabet: string;
  maxAttempts: number;
  resendAfter: number;
  maxResends: number;
  /** `email` or `sms`; empty lets the server choose. */
  channel?: string;
  /** `code` (the default) or `authenticator`. */
  method?: string;
  /** With `method: 'authenticator'`: set an app up rather than sign in with it. */
  enroll?: boolean;
}

/** The step's parameters once checked: everything a code source needs to issue a code. */
export interface StepConfig {
  stepName: string;
  sourceStep: string;
  user: string;
  client: string;
  lifetimeSeconds: number;
  length: number;
  alphabet: AlphabetName;
  maxAttempts: number;
  resendAfterSeconds: number;
  maxResends: number;
  /** Where the server is asked to send the code; absent, the server chooses. */
  channel?: ChannelName;
}

/** Stable codes of the parameters a page can get wrong. */
export type ConfigErrorCode =
  | 'user-required'
  | 'invalid-lifetime'
  | 'invalid-length'
  | 'invalid-alphabet'
  | 'invalid-max-attempts'
  | 'invalid-resend-after'
  | 'invalid-max-resends';

/**
 * A `channel` the element does not know. Not a ConfigErrorCode: the server never
 * answers with it (a channel it cannot use is `channel-unavailable`).
 */
export type ChannelErrorCode = 'invalid-channel';

/** Settings that work but fall short of NIST SP 800-63B-4. */
export type ConfigWarningCode = 'long-lifetime' | 'short-code';

export const MIN_LENGTH = 4;
export const MAX_LENGTH = 10;
/** SP 800-63B-4 §3.1.3: an out-of-band secret SHOULD NOT live longer than 10 minutes. */
export const RECOMMENDED_MAX_LIFETIME_SECONDS = 600;
/** SP 800-63B-4 §3.1.3: at least six decimal digits (20 bits). */
export const RECOMMENDED_MIN_LENGTH = 6;
/** SP 800-63B-4 §3.2.2 allows at most 100 consecutive failed attempts. */
export const MAX_ATTEMPTS_LIMIT = 100;

export type ConfigResult =
  | {ok: true; config: StepConfig; warnings: ConfigWarningCode[]}
  | {ok: false; error: ConfigErrorCode};

/** The channel named, undefined for none (the server chooses), or false for one the element does not know. */
export function checkChannel(value: string | undefined): ChannelName | undefined | false {
  const channel = (value ?? '').trim();
  if (!channel) return undefined;
  return channel === 'email' || channel === 'sms' ? channel : false;
}

const isWhole = (n: number, min: number, max: number) =>
  Number.isInteger(n) && n >= min && n <= max;

/** Checks the step's parameters; the first problem found is the one reported. */
export function resolveStepConfig(options: StepOptions): ConfigResult {
  const user = (options.user ?? '').trim();
  if (!user) return {ok: false, error: 'user-required'};
  const lifetimeSeconds = parseLifetime(options.lifetime);
  if (lifetimeSeconds === undefined) return {ok: false, error: 'invalid-lifetime'};
  if (!isWhole(options.length, MIN_LENGTH, MAX_LENGTH))
    return {ok: false, error: 'invalid-length'};
  if (!isAlphabetName(options.alphabet)) return {ok: false, error: 'invalid-alphabet'};
  if (!isWhole(options.maxAttempts, 1, MAX_ATTEMPTS_LIMIT)) {
    return {ok: false, error: 'invalid-max-attempts'};
  }
  if (!isWhole(options.resendAfter, 0, 86400))
    return {ok: false, error: 'invalid-resend-after'};
  if (!isWhole(options.maxResends, 0, 100))
    return {ok: false, error: 'invalid-max-resends'};
  // The element checks the channel first (checkChannel); the server takes none from here.
  const channel = checkChannel(options.channel);

  const warnings: ConfigWarningCode[] = [];
  if (lifetimeSeconds > RECOMMENDED_MAX_LIFETIME_SECONDS) warnings.push('long-lifetime');
  if (options.length < RECOMMENDED_MIN_LENGTH) warnings.push('short-code');
  return {
    ok: true,
    warnings,
    config: {
      stepName: options.stepName,
      sourceStep: options.sourceStep,
      user,
      client: (options.client ?? '').trim(),
      lifetimeSeconds,
      length: options.length,
      alphabet: options.alphabet,
      maxAttempts: options.maxAttempts,
      resendAfterSeconds: options.resendAfter,
      maxResends: options.maxResends,
      ...(typeof channel === 'string' ? {channel} : {}),
    },
  };
}
