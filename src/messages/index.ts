import {de} from './de.js';
import {en, type OtpStepMessages} from './en.js';
import {pt} from './pt.js';

export type {CodeShape, OtpStepMessages} from './en.js';
export {formatFor, type Format} from './format.js';

const builtIn: Record<string, OtpStepMessages> = {en, pt, de};

/**
 * The messages for a BCP 47 language tag: `pt-BR` gets Portuguese, `de-AT`
 * German, anything else English; `overrides` (a page's own) win over them all.
 */
export function messagesFor(
  lang: string,
  overrides?: Partial<OtpStepMessages>,
): OtpStepMessages {
  const base = builtIn[lang.toLowerCase().split('-')[0]] ?? en;
  return overrides
    ? {...base, ...overrides, errors: {...base.errors, ...overrides.errors}}
    : base;
}

/** Warnings go to the developer's console, so they stay in English. */
export const warnings = {
  'long-lifetime':
    'otp-step: the code lifetime is over 10 minutes; NIST SP 800-63B-4 (§3.1.3) limits out-of-band codes to 10 minutes.',
  'short-code':
    'otp-step: the code is shorter than 6 characters; NIST SP 800-63B-4 (§3.1.3) asks for at least six digits (20 bits).',
} as const;
