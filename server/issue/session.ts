import {OtpAnswer, type OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {problem} from '../problem.js';
import type {IssueConfig} from './request.js';

/**
 * Stage 2, the session: with `authenticate`, only the signed-in user may ask
 * for their own codes (401 without a session, 403 for another account). From
 * here the user is the one `authenticate` named, exactly: a request may spell
 * it another way (`Bob` for `bob`), but what is sent, confirmed and signed is
 * the app's own identifier, never the request's spelling of it.
 */
export async function checkSession(
  ctx: HandlerContext,
  request: OtpRequest,
  config: IssueConfig,
): Promise<OtpAnswer | IssueConfig> {
  const signedIn = await ctx.signedIn(request);
  if (signedIn === undefined) return config;
  if (signedIn instanceof OtpAnswer) return signedIn;
  if (ctx.normalize(signedIn) !== config.account)
    return problem(403, 'forbidden', 'This session cannot use codes for that user.');
  return signedIn === config.user ? config : {...config, user: signedIn};
}
