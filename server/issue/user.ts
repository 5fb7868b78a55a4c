import type {StepConfig} from '../../src/step/step-config.js';
import type {OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {problem} from '../problem.js';
import type {Refusal} from './refusal.js';

/**
 * Stage 4, the user: `lookupUser` ("get user info"), after the limits, so that
 * asking about users is as slow as asking for codes. An unknown user goes on
 * as a decoy (answered as a known one, sent nothing), unless
 * `revealUnknownUsers`; that refusal keeps the windows taken, or it would be a
 * free oracle.
 */
export async function lookUpUser(
  ctx: HandlerContext,
  request: OtpRequest,
  config: StepConfig,
): Promise<{known: boolean} | Refusal> {
  const {options} = ctx;
  const known =
    !options.lookupUser ||
    !!(await options.lookupUser(config.user, config.client, request.web()));
  if (!known && options.revealUnknownUsers)
    return {
      refused: problem(404, 'unknown-user', 'There is no such user.'),
      windows: 'keep',
    };
  return {known};
}
