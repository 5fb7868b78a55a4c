/**
 * What the step's two flows share (the sent code's, step-flow.ts, and the
 * authenticator's): checking the page's parameters, the identity every event
 * carries, and what a newly shown dialog starts from. Loaded with the flow.
 */
import {OtpStepError} from '../errors.js';
import type {StepIdentity} from '../events.js';
import {developerMessages, warnings} from '../messages/developer.js';
import {
  checkChannel,
  resolveStepConfig,
  type StepConfig,
  type StepOptions,
} from '../step/step-config.js';
import type {StepState} from './step-state.js';

export const identityOf = ({stepName, user, client}: StepConfig): StepIdentity => ({
  stepName,
  user,
  client,
});

/** What a newly shown challenge starts from: nothing typed, said or confirmed yet. */
export const FRESH = {
  value: '',
  entry: '',
  invalid: false,
  notice: undefined,
  problem: undefined,
  announcement: undefined,
  authenticator: undefined,
} satisfies Partial<StepState>;

/** The page's mistake, with the developer's detail. */
export const misconfigured = (code: keyof typeof developerMessages): OtpStepError =>
  new OtpStepError(code, developerMessages[code]);

/** Whether the step signs in with an authenticator app; a `method` we do not know is the page's mistake. */
export function usesAuthenticator({method}: StepOptions): boolean {
  if (method === 'authenticator') return true;
  if (method && method !== 'code') throw misconfigured('invalid-method');
  return false;
}

/** The parameters checked, or the page's mistake, with the developer's detail, thrown. */
export function checked(options: StepOptions): StepConfig {
  if (checkChannel(options.channel) === false) throw misconfigured('invalid-channel');
  const result = resolveStepConfig(options);
  if (!result.ok) throw misconfigured(result.error);
  for (const warning of result.warnings) console.warn(warnings[warning]);
  return result.config;
}
