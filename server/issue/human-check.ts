import type {OtpAnswer, OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {logSafe} from '../log-safe.js';
import {problem} from '../problem.js';

/** One request's bot check: asked for at most once, however many stages find it suspicious. */
export interface HumanCheck {
  /**
   * Undefined when the request may go on: no `verifyHuman`, or its token
   * passed; else the 428 that asks for one.
   */
  require(request: OtpRequest, token: string | undefined): Promise<OtpAnswer | undefined>;
}

/**
 * The bot check of `verifyHuman` (otp-step/server/human), asked for only under
 * suspicion, before a hard limit would refuse: the request is answered 428
 * `human-check-required` and sent again with `humanToken`. A provider that
 * fails or throws counts as a check not passed: under suspicion the server
 * fails closed, and the hard limits still stand behind it.
 */
export function humanCheck(ctx: HandlerContext): HumanCheck {
  const verify = ctx.options.verifyHuman;
  let verdict: Promise<boolean> | undefined;
  return {
    async require(request, token) {
      if (!verify) return undefined;
      if (token) {
        verdict ??= Promise.resolve()
          .then(() => verify(token, request.web()))
          .then(
            (passed) => passed === true,
            (error: unknown) => {
              ctx.logger.error(
                `otp-step: verifyHuman failed: ${logSafe(error instanceof Error ? error.message : error)}`,
              );
              return false;
            },
          );
        if (await verdict) return undefined;
      }
      return problem(
        428,
        'human-check-required',
        token
          ? 'The bot check did not pass; take it again and send its token as "humanToken".'
          : 'Take the bot check and send its token as "humanToken" with this request.',
      );
    },
  };
}
