import {randomUUID} from 'node:crypto';
import {
  newRecord,
  planIssue,
  viewOf,
  type ChallengeView,
  type IssuePlan,
} from '../../src/challenge/challenge.js';
import {ALPHABETS} from '../../src/code/alphabets.js';
import {generateCode} from '../../src/code/generate-code.js';
import type {IssueResponseBody} from '../../src/sources/protocol.js';
import type {OtpAnswer} from '../exchange.js';
import {
  EXPIRED_GRACE_MS,
  type HandlerContext,
  type ServerRecord,
} from '../handler-context.js';
import {challengeStoreKey, requestKey} from '../keys.js';
import {withRevocation} from '../revocation.js';
import {problem} from '../problem.js';
import {pooledRandomBytes} from '../random-bytes.js';
import type {DeliveryPlan} from './delivery.js';
import type {Refusal} from './refusal.js';
import type {IssueConfig} from './request.js';
import type {Undo} from './undo.js';

/** A challenge just written: its record and the code, which is kept nowhere. */
export interface Issued {
  record: ServerRecord;
  code: string;
}

/**
 * Stage 5, the challenge: a new code, or a resend in place of the pending one
 * (which keeps its failures and waits for its cooldown), written with the
 * HMAC of the code, never the code, and its request id. Undoing puts back the
 * code this one replaced, with the time it had left. A canceled code (or one a
 * revocation voided) is replaced at once, as an expired one is. A challenge that may not
 * be issued (locked, cooling down, out of resends) is refused before anything
 * was sent, so the windows go back.
 */
export async function writeChallenge(
  ctx: HandlerContext,
  config: IssueConfig,
  known: boolean,
  undo: Undo,
  plan?: DeliveryPlan,
  /** When the user was last revoked (revocation.ts): a code alive then is replaced as a canceled one. */
  revoked?: number,
): Promise<Issued | Refusal> {
  const {store, now} = ctx;
  // A test user's fixed code (options.testUsers), else a fresh one.
  const fixed = known ? ctx.testUsers.get(config.account) : undefined;
  const fresh =
    fixed ?? generateCode(config.length, ALPHABETS[config.alphabet], pooledRandomBytes);
  const reuse = ctx.resendStrategy === 'reuse' && known && fixed === undefined;
  let code = fresh;
  const requestId = randomUUID();
  const at = now();
  const key = challengeStoreKey(config);
  const keepFor = config.lifetimeSeconds * 1000 + EXPIRED_GRACE_MS;
  // The request id's key is written beside the challenge, in the same round
  // trip: it names a fresh id, which no one can confirm before the answer.
  const writing = store.update<
    | {record: ServerRecord; previous: ServerRecord | undefined}
    | Extract<IssuePlan, {ok: false}>
  >(key, (value) => {
    const previous = value as ServerRecord | undefined;
    const issuePlan = planIssue(previous && withRevocation(previous, revoked), at);
    if (!issuePlan.ok) return [value, issuePlan];
    const {stepName, user, client} = config;
    // Filled in one by one rather than spread: one is made per code issued.
    const record = newRecord(
      {requestId, stepName, user, client},
      config,
      issuePlan,
      at,
    ) as ServerRecord;
    // A resend of a live code under 'reuse' sends that code again (sealed-code.ts).
    code =
      (reuse && issuePlan.resends > 0 && previous?.sealed
        ? ctx.sealer.open(previous.requestId, previous.sealed)
        : undefined) ?? fresh;
    record.digest = ctx.mac(requestId, code);
    record.length = config.length;
    record.alphabet = config.alphabet;
    if (!known) record.decoy = true;
    if (reuse) record.sealed = ctx.sealer.seal(requestId, code);
    if (ctx.notifier && plan?.channel) {
      record.channel = plan.channel;
      record.destinationHint = plan.destinationHint;
    } else if (plan?.channel) record.notifiedOn = plan.channel;
    // Every code is sent behind its answer (delivery.ts), decoys' "sending" too.
    record.delivery = 'queued';
    if (plan?.spend) record.spend = plan.spend;
    if (plan?.country) record.country = plan.country;
    if (plan?.cut) {
      record.cut = plan.cut;
      record.delivery = 'failed';
    }
    return [record, {record, previous}, keepFor];
  });
  const indexing = store.update(requestKey(requestId), () => [key, undefined, keepFor]);
  const [challenge, index] = await Promise.allSettled([writing, indexing]);
  // What was written goes on the undo list before anything is judged: the
  // challenge (putting back the one it replaced), then the request id's key
  // (dropped first; whether or not its write went through, it names only this id).
  if (challenge.status === 'fulfilled' && !('ok' in challenge.value)) {
    const {previous} = challenge.value;
    undo.write(() =>
      store.update(key, (value) => {
        if ((value as ServerRecord | undefined)?.requestId !== requestId)
          return [value, undefined];
        const left = previous ? previous.expiresAt + EXPIRED_GRACE_MS - now() : 0;
        return left > 0 ? [previous, undefined, left] : [undefined, undefined];
      }),
    );
  }
  undo.write(() => store.update(requestKey(requestId), () => [undefined, undefined]));
  if (challenge.status === 'rejected') throw challenge.reason;
  if (index.status === 'rejected') throw index.reason;
  const written = challenge.value;
  if ('ok' in written) return {refused: planRefusal(written), windows: 'give back'};
  return {record: written.record, code};
}

function planRefusal(plan: Extract<IssuePlan, {ok: false}>): OtpAnswer {
  if (plan.code === 'locked')
    return problem(
      423,
      'locked',
      'Too many wrong codes: wait until the locked code expires.',
      {
        attemptsLeft: 0,
      },
    );
  if (plan.code === 'resend-limit')
    return problem(429, 'resend-limit', 'No more codes can be sent for this challenge.');
  return problem(429, 'resend-cooldown', 'A new code can be sent shortly.', {
    retryAfter: plan.retryAfterSeconds,
  });
}

/** The issue answer: the challenge as the browser keeps it, with durations beside the times. */
export function issueAnswer(
  record: ServerRecord,
  at: number,
  plan?: DeliveryPlan,
): IssueResponseBody {
  const view: ChallengeView = viewOf(record, at);
  const answer: IssueResponseBody = {
    requestId: view.requestId,
    issuedAt: new Date(view.issuedAt).toISOString(),
    expiresAt: new Date(view.expiresAt).toISOString(),
    expiresIn: Math.round((view.expiresAt - at) / 1000),
    resendAt: new Date(view.resendAt).toISOString(),
    resendIn: Math.round((view.resendAt - at) / 1000),
    attemptsLeft: view.attemptsLeft,
    resendsLeft: view.resendsLeft,
  };
  if (plan?.channel) {
    answer.channel = plan.channel;
    answer.destinationHint = plan.destinationHint;
    answer.channels = plan.channels;
  }
  // A send cut by a budget is answered as any other: it is `failed` only in its status.
  if (record.delivery) answer.delivery = record.cut ? 'queued' : record.delivery;
  return answer;
}
