import {atOnce} from '../at-once.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {json, problem} from '../problem.js';
import {planDelivery} from './delivery.js';
import {issueAnswer, writeChallenge} from './challenge.js';
import {
  checkBackoff,
  takeAccountEarly,
  takeAddressWindow,
  takeIssueWindows,
  type EarlyAccountPlace,
} from './limits.js';
import {sendNotification} from './notification.js';
import {isRefusal, type Refusal} from './refusal.js';
import {claimIdempotencyKey} from './replay.js';
import {lookUpUser} from './user.js';
import {checkIssueRequest} from './request.js';
import {checkSession} from './session.js';
import {Undo} from './undo.js';
import {revokedAt} from '../revocation.js';
import {humanCheck} from './human-check.js';
import {takeSpend} from './spend.js';
import type {IssueConfig} from './request.js';
import type {ServerRecord} from '../handler-context.js';

/**
 * `POST …/codes`, in the order its stages run: read and check the request
 * (request.ts) → the session (session.ts) → the limits (limits.ts, with the
 * Idempotency-Key's replay, replay.ts) → the user (user.ts) → the challenge
 * (challenge.ts) → the notification (notification.ts). Each limit is reserved
 * before it is relied on and put on one undo list; a request refused at any
 * point hands it back here, in one place, so refusals use up nothing (but the
 * windows, once the user was looked up: see undo.ts).
 */
export async function issueCode(
  ctx: HandlerContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  const checked = await checkIssueRequest(ctx, request);
  if (checked instanceof OtpAnswer) return checked;
  ctx.requestLabels.set(request, checked.config);
  // A channel the server does not send on is a fact about the server, the same for every user.
  if (checked.channel && ctx.notifier && !ctx.notifier.channels.includes(checked.channel))
    return problem(
      422,
      'channel-unavailable',
      `This server does not send codes by ${checked.channel}; ask for one of: ${ctx.notifier.channels.join(', ')}.`,
    );
  const session = await checkSession(ctx, request, checked.config);
  if (session instanceof OtpAnswer) return session;
  const config = session;

  const undo = new Undo();
  /** The account's place if taken early, while it is not on `undo` yet (an empty list once it is). */
  let taking: Promise<EarlyAccountPlace> | undefined;
  const early = async () => (await taking?.catch(() => undefined))?.undo;
  const refuse = async ({refused, windows}: Refusal) => {
    await (await early())?.handBack('give back');
    await undo.handBack(windows);
    return refused;
  };
  /** Whether the user was looked up: from then on, a failure keeps the windows taken. */
  let lookedUp = false;
  try {
    // The back-off's read, the Idempotency-Key's claim and the address's place
    // touch three keys and stand on nothing before them: made at once (one
    // round trip on Redis), then judged in this order, each refusal handing
    // back what the others took. The account's window waits for the address's
    // verdict (limits.ts).
    // The user's revocation (revokeUser) is read beside them: a pending code it
    // voided is replaced as a canceled one is.
    // Where this process knows the address has room, the account's place is
    // taken with them too (limits.ts takeAccountEarly).
    taking = takeAccountEarly(ctx, request, config);
    const [backoff, claim, place, revoked, taken] = await atOnce([
      checkBackoff(ctx, config),
      claimIdempotencyKey(ctx, {...checked, config}, undo),
      takeAddressWindow(ctx, request, undo),
      revokedAt(ctx, config.user),
      taking,
    ]);
    if (backoff) return await refuse({refused: backoff, windows: 'give back'});
    // A replay, or a key still in use or reused, takes no place.
    if (claim instanceof OtpAnswer)
      return await refuse({refused: claim, windows: 'give back'});
    const human = humanCheck(ctx);
    const windows = await takeIssueWindows(ctx, request, config, undo, {
      human,
      humanToken: checked.humanToken,
      address: {place},
      early: taken,
    });
    if (isRefusal(windows)) return await refuse(windows);

    lookedUp = true;
    const user = await lookUpUser(ctx, request, config);
    if (isRefusal(user)) return await refuse(user);
    const spent = await takeSpend(
      ctx,
      request,
      config,
      user,
      planDelivery(ctx, config.account, user.known, user.destination, checked.channel),
      {undo, human, humanToken: checked.humanToken, accountIssues: windows.accountIssues},
    );
    if (isRefusal(spent)) return await refuse(spent);
    const plan = spent;
    const issued = await writeChallenge(ctx, config, user.known, undo, plan, revoked);
    if (isRefusal(issued)) return await refuse(issued);
    if (ctx.events.watched) tellIssued(ctx, request, config, issued.record, user.known);
    await sendNotification(ctx, config, issued, user, {
      plan,
      acceptLanguage: request.header('accept-language'),
    });

    const answer = issueAnswer(
      issued.record,
      issued.record.issuedAt,
      ctx.notifier ? plan : undefined,
    );
    // What is kept for a retry never holds the code.
    await claim?.keep(answer);
    const answered = json(201, answer);
    if (!user.known || !ctx.options.testMode) return answered;
    // In test mode the code goes with the answer, last, as `{...answer, code}` would put it.
    const withCode = `${answered.body.slice(0, -1)},"code":${JSON.stringify(issued.code)}}`;
    return new OtpAnswer(201, answered.headers, withCode);
  } catch (error) {
    // Taken early and not yet on `undo`: the request never got as far as the user.
    await (await early())?.handBack('give back');
    await undo.handBack(lookedUp ? 'keep' : 'give back');
    throw error;
  }
}

/**
 * Tells the observers of a code issued: `issued` for a user the app knows,
 * `unknown_user` for a decoy (so decoys skew no conversion rate), and, for a
 * send a budget cut, `delivery_failed` with the budget as the reason.
 */
function tellIssued(
  ctx: HandlerContext,
  request: OtpRequest,
  config: IssueConfig,
  record: ServerRecord,
  known: boolean,
): void {
  const fact = {
    at: record.issuedAt,
    requestId: record.requestId,
    user: config.user,
    account: config.account,
    client: config.client,
    stepName: config.stepName,
    channel: record.channel ?? record.notifiedOn,
    destinationHint: record.destinationHint,
    country: record.country,
    address: ctx.clientAddress(request),
    expiresAt: record.expiresAt,
  };
  if (!known) return ctx.events.emit({...fact, type: 'unknown_user'});
  ctx.events.emit({...fact, type: 'issued'});
  if (record.cut) ctx.events.emit({...fact, type: 'delivery_failed', reason: record.cut});
}
