import type {OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {problem} from '../problem.js';
import type {OtpDestination} from '../notify/types.js';
import type {Refusal} from './refusal.js';
import type {IssueConfig} from './request.js';

/**
 * Stage 4, the user: `lookupUser` ("get user info", given the user exactly as
 * the app names it), after the limits, so that
 * asking about users is as slow as asking for codes. An unknown user goes on
 * as a decoy (answered as a known one, sent nothing), unless
 * `revealUnknownUsers`; that refusal keeps the windows taken, or it would be a
 * free oracle.
 */
export async function lookUpUser(
  ctx: HandlerContext,
  request: OtpRequest,
  config: IssueConfig,
): Promise<LookedUp | Refusal> {
  const {options} = ctx;
  // A test user is an account by configuration: it needs no directory and is sent nothing.
  if (ctx.testUsers.has(config.account)) return {known: true, destination: {}};
  const found = options.lookupUser
    ? await options.lookupUser(config.user, config.client, request.web())
    : true;
  const known = !!found;
  if (!known && options.revealUnknownUsers)
    return {
      refused: problem(404, 'unknown-user', 'There is no such user.'),
      windows: 'keep',
    };
  return {known, destination: known ? destinationOf(found) : {}};
}

/** The user as looked up: known or not, and where their codes may go. */
export interface LookedUp {
  known: boolean;
  destination: OtpDestination;
}

/** The destination fields of a `lookupUser` answer; anything else in it is the app's own. */
function destinationOf(found: unknown): OtpDestination {
  if (typeof found !== 'object' || found === null) return {};
  const {email, phone, language} = found as Record<string, unknown>;
  const destination: OtpDestination = {};
  if (typeof email === 'string' && email.includes('@')) destination.email = email;
  if (typeof phone === 'string' && /^\+[1-9]\d{6,14}$/.test(phone))
    destination.phone = phone;
  if (typeof language === 'string' && language.length <= 35)
    destination.language = language;
  return destination;
}
