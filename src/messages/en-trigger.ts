import type {OtpStepMessages} from './en.js';
import {isolate} from './isolate.js';

/**
 * The lines the element draws beside its trigger: the trigger, its Retry, the
 * outcome and what the form is told. Every other line, errors
 * included, is for after a code was asked for, so it comes with the dialog and
 * the flow (en.ts) and stays out of what every page loads up front; the one error
 * here is the one shown when that code itself cannot be loaded.
 */
export type TriggerMessages = Pick<
  OtpStepMessages,
  | 'trigger'
  | 'triggerConfirmed'
  | 'confirmed'
  | 'retry'
  | 'retryIn'
  | 'required'
  | 'misconfigured'
> & {errors: Partial<OtpStepMessages['errors']>};

/** English for the trigger's lines, there from the first paint. */
export const enTrigger = {
  trigger: 'Get code',
  triggerConfirmed: 'Code confirmed',
  confirmed: 'Code confirmed.',
  retry: 'Retry',
  retryIn: (seconds: string) => `Retry in ${isolate(seconds)} s`,
  required: 'Confirm a one-time code to continue.',
  misconfigured: 'This sign-in step is not set up correctly.',
  errors: {
    'source-failed': 'The code could not be obtained or checked. Retry.',
  },
} satisfies TriggerMessages;
