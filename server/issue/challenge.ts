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
import type {StepConfig} from '../../src/step/step-config.js';
import type {OtpAnswer} from '../exchange.js';
import {
  EXPIRED_GRACE_MS,
  type HandlerContext,
  type ServerRecord,
} from '../handler-context.js';
import {challengeStoreKey, requestKey} from '../keys.js';
import {problem} from '../problem.js';
import {pooledRandomBytes} from '../random-bytes.js';
import type {Refusal} from './refusal.js';
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
  config: StepConfig,
  known: boolean,
  undo: Undo,
): Promise<Issued | Refusal> {
  const {store, now} = ctx;
  const code = generateCode(config.length, ALPHABETS[config.alphabet], pooledRandomBytes);
  const requestId = randomUUID();
  const at = now();
  const key = challengeStoreKey(config);
  const keepFor = config.lifetimeSeconds * 1000 + EXPIRED_GRACE_MS;
  const written = await store.update<
    | {record: ServerRecord; previous: ServerRecord | undefined}
    | Extract<IssuePlan, {ok: false}>
  >(key, (value) => {
    const previous = value as ServerRecord | undefined;
    const plan = planIssue(previous, at);
    if (!plan.ok) return [value, plan];
    const {stepName, user, client} = config;
    // Filled in one by one rather than spread: one is made per code issued.
    const record = newRecord(
      {requestId, stepName, user, client},
      config,
      plan,
      at,
    ) as ServerRecord;
    record.digest = ctx.mac(requestId, code);
    record.length = config.length;
    record.alphabet = config.alphabet;
    if (!known) record.decoy = true;
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
export function issueAnswer(record: ServerRecord, at: number): IssueResponseBody {
  const view: ChallengeView = viewOf(record, at);
  return {
    requestId: view.requestId,
    issuedAt: new Date(view.issuedAt).toISOString(),
    expiresAt: new Date(view.expiresAt).toISOString(),
    expiresIn: Math.round((view.expiresAt - at) / 1000),
    resendAt: new Date(view.resendAt).toISOString(),
    resendIn: Math.round((view.resendAt - at) / 1000),
    attemptsLeft: view.attemptsLeft,
    resendsLeft: view.resendsLeft,
  };
}
