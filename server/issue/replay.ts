import {createHash} from 'node:crypto';
import type {IssueResponseBody} from '../../src/sources/protocol.js';
import {json, problem} from '../problem.js';
import type {OtpAnswer} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {idempotencyKey as idempotencyStoreKey} from '../keys.js';
import type {IssueRequest} from './request.js';
import type {Undo} from './undo.js';

/** What is kept under an Idempotency-Key: what it stands for, and once given, the answer (never the code). */
interface Kept {
  fingerprint: string;
  answer?: IssueResponseBody;
}

/** A claim on an Idempotency-Key: the request holds it until it keeps its answer there. */
export interface Claim {
  keep(answer: IssueResponseBody): Promise<unknown>;
}

/**
 * Stage 3b, the replay: a retried request with the same Idempotency-Key gets
 * the first answer, never a second code; the same key with another request is
 * refused (422), and one still being answered is told to come back (409).
 * A request with a new key claims it; a refusal hands the claim back (`undo`).
 */
export async function claimIdempotencyKey(
  ctx: HandlerContext,
  {config, idempotencyKey, channel}: IssueRequest,
  undo: Undo,
): Promise<OtpAnswer | Claim | undefined> {
  if (!idempotencyKey) return undefined;
  const {store, windowMs} = ctx;
  const key = idempotencyStoreKey(config.account, idempotencyKey);
  // What the key stands for: the same key with another request (another channel too) is refused, not replayed.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([config, channel ?? null]))
    .digest('base64url');
  const kept = await store.update<Kept | undefined>(key, (value) =>
    value ? [value, value as Kept] : [{fingerprint}, undefined, windowMs],
  );
  if (!kept) {
    undo.write(() => store.update(key, () => [undefined, undefined]));
    return {
      keep: (answer) =>
        store.update(key, () => [
          {fingerprint, answer} satisfies Kept,
          undefined,
          windowMs,
        ]),
    };
  }
  if (kept.fingerprint !== fingerprint)
    return problem(
      422,
      'idempotency-key-reused',
      'This Idempotency-Key was used for another request.',
    );
  if (!kept.answer)
    return problem(
      409,
      'request-in-progress',
      'The same request is still being answered.',
      {
        retryAfter: 1,
      },
    );
  return json(201, kept.answer);
}
