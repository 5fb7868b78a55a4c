import type {OtpAnswer} from '../exchange.js';

/**
 * A refusal by a stage that runs once windows are taken: the answer, and
 * whether the places taken in the rate windows go back with it (see undo.ts).
 */
export interface Refusal {
  refused: OtpAnswer;
  windows: 'give back' | 'keep';
}

export const isRefusal = (outcome: object): outcome is Refusal => 'refused' in outcome;
