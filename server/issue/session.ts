import type {StepConfig} from '../../src/step/step-config.js';
import type {OtpAnswer, OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';

/**
 * Stage 2, the session: with `authenticate`, only the signed-in user may ask
 * for their own codes (401 without a session, 403 for another user).
 */
export function checkSession(
  ctx: HandlerContext,
  request: OtpRequest,
  config: StepConfig,
): Promise<OtpAnswer | undefined> {
  return ctx.refuseSession(request, config.user);
}
