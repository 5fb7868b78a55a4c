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
 * code this one replaced, with the time it had left. A challenge that may not
 * be issued (locked, cooling down, out of resends) is refused before anything
 * was sent, so the windows go back.
 */
export async function writeChallenge(
  ctx: HandlerContext,
  config: IssueConfig,
  known: boolean,
  undo: Undo,
  plan?: DeliveryPlan,
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
  const written = await store.update<
    | {record: ServerRecord; previous: ServerRecord | undefined}
    | Extract<IssuePlan, {ok: false}>
  >(key, (value) => {
    const previous = value as ServerRecord | undefined;
    const issuePlan = planIssue(previous, at);
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
  if ('ok' in written) return {refused: planRefusal(written), windows: 'give back'};
  const {previous} = written;
  undo.write(() =>
    store.update(key, (value) => {
      if ((value as ServerRecord | undefined)?.requestId !== requestId)
        return [value, undefined];
      const left = previous ? previous.expiresAt + EXPIRED_GRACE_MS - now() : 0;
      return left > 0 ? [previous, undefined, left] : [undefined, undefined];
    }),
  );
  await store.update(requestKey(requestId), () => [key, undefined, keepFor]);
  undo.write(() => store.update(requestKey(requestId), () => [undefined, undefined]));
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
