/**
 * The rules of a pending challenge, as pure functions of a record and the time:
 * lifetime, attempts, resend cooldown and single use. No storage, no DOM.
 */

/** Where a server says the code went: the masked hint only, never the address or number. */
export interface DeliveryInfo {
  channel?: 'email' | 'sms';
  /** As the server masked it: `m•••@example.com`, `+55 ••• •••• 1234`. */
  destinationHint?: string;
  /** Every channel the server can send this user's codes on. */
  channels?: ('email' | 'sms')[];
  delivery?: 'queued' | 'sent' | 'failed';
}

/** A pending challenge as it is kept between page loads. */
export interface ChallengeRecord extends DeliveryInfo {
  requestId: string;
  stepName: string;
  user: string;
  client: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
  /** When a new code may be sent. */
  resendAt: number;
  /** Failed attempts over this code and every code resent in its place. */
  failures: number;
  maxAttempts: number;
  /** Codes sent in place of the first one. */
  resends: number;
  maxResends: number;
  /** Set once the code is confirmed; the secret is dropped then. */
  consumed: boolean;
  /** When the code was canceled (epoch ms), if it was: it can be neither confirmed nor resent. */
  canceledAt?: number;
  /**
   * Backend only: when the server issued the code (epoch ms, the server's clock),
   * to tell which of two answers that crossed between tabs is the newer.
   */
  serverIssuedAt?: number;
  /** Local source only: salt and SHA-256 digest of the code, never the code. */
  salt?: Uint8Array;
  digest?: Uint8Array;
}

export type ChallengeStatus = 'pending' | 'expired' | 'locked' | 'confirmed' | 'canceled';

export type RejectReason = 'invalid' | 'expired' | 'locked' | 'used' | 'canceled';

export type ConfirmOutcome =
  | {
      status: 'confirmed';
      /** From a backend: its signed proof of the confirmation, for the app's server to check. */
      confirmation?: string;
    }
  | {status: 'rejected'; reason: RejectReason; attemptsLeft: number};

/** What the element shows of a challenge: no secret. */
export interface ChallengeView extends DeliveryInfo {
  requestId: string;
  issuedAt: number;
  expiresAt: number;
  resendAt: number;
  attemptsLeft: number;
  resendsLeft: number;
  status: ChallengeStatus;
}

export function challengeStatus(record: ChallengeRecord, now: number): ChallengeStatus {
  if (record.consumed) return 'confirmed';
  // Canceled is what ended it, even once its lifetime is over.
  if (record.canceledAt !== undefined) return 'canceled';
  if (now >= record.expiresAt) return 'expired';
  if (record.failures >= record.maxAttempts) return 'locked';
  return 'pending';
}

export function viewOf(record: ChallengeRecord, now: number): ChallengeView {
  return {
    requestId: record.requestId,
    issuedAt: record.issuedAt,
    expiresAt: record.expiresAt,
    resendAt: record.resendAt,
    attemptsLeft: Math.max(0, record.maxAttempts - record.failures),
    resendsLeft: Math.max(0, record.maxResends - record.resends),
    status: challengeStatus(record, now),
    ...deliveryOf(record),
  };
}

/** Only the delivery fields a record has, so views of records without them stay as they were. */
export function deliveryOf(info: DeliveryInfo): DeliveryInfo {
  const out: DeliveryInfo = {};
  if (info.channel) out.channel = info.channel;
  if (info.destinationHint) out.destinationHint = info.destinationHint;
  if (info.channels) out.channels = [...info.channels];
  if (info.delivery) out.delivery = info.delivery;
  return out;
}

/**
 * Judges one attempt at a challenge, given whether the code matched.
 * Only a pending challenge can be confirmed; a miss counts against the attempts,
 * and the miss that uses the last attempt locks the challenge.
 */
export function judgeAttempt(
  record: ChallengeRecord,
  matches: boolean,
  now: number,
): {record: ChallengeRecord; outcome: ConfirmOutcome} {
  const status = challengeStatus(record, now);
  const attemptsLeft = Math.max(0, record.maxAttempts - record.failures);
  if (status !== 'pending') {
    const reason: RejectReason = status === 'confirmed' ? 'used' : status;
    return {record, outcome: {status: 'rejected', reason, attemptsLeft}};
  }
  if (matches) {
    // Single use: once confirmed, nothing is left that could confirm it again.
    const {salt: _salt, digest: _digest, ...rest} = record;
    return {record: {...rest, consumed: true}, outcome: {status: 'confirmed'}};
  }
  const failures = record.failures + 1;
  const left = Math.max(0, record.maxAttempts - failures);
  return {
    record: {...record, failures},
    outcome: {
      status: 'rejected',
      reason: left === 0 ? 'locked' : 'invalid',
      attemptsLeft: left,
    },
  };
}

/** The limits a new code (first or resent) is issued under. */
export interface IssuePolicy {
  lifetimeSeconds: number;
  resendAfterSeconds: number;
  maxAttempts: number;
  maxResends: number;
}

export type IssuePlan =
  | {ok: true; failures: number; resends: number}
  | {
      ok: false;
      code: 'locked' | 'resend-cooldown' | 'resend-limit';
      retryAfterSeconds?: number;
    };

/**
 * Whether a new code may be issued where `previous` stands, and what it inherits.
 * A code sent again in place of a live one keeps its failure count (NIST SP
 * 800-63B-4: a resend must not reset the attempt limit) and waits for the
 * cooldown. Once the previous challenge has expired, been confirmed or been
 * canceled, a new challenge starts afresh.
 */
export function planIssue(previous: ChallengeRecord | undefined, now: number): IssuePlan {
  if (!previous) return {ok: true, failures: 0, resends: 0};
  const status = challengeStatus(previous, now);
  // A canceled code is replaced at once: canceling was the point (its cooldown goes with it).
  if (status !== 'pending' && status !== 'locked')
    return {ok: true, failures: 0, resends: 0};
  if (status === 'locked') return {ok: false, code: 'locked'};
  if (now < previous.resendAt) {
    return {
      ok: false,
      code: 'resend-cooldown',
      retryAfterSeconds: Math.ceil((previous.resendAt - now) / 1000),
    };
  }
  if (previous.resends >= previous.maxResends) return {ok: false, code: 'resend-limit'};
  return {ok: true, failures: previous.failures, resends: previous.resends + 1};
}

/** A fresh record for a code issued now under `policy`, inheriting what `plan` carries. */
export function newRecord(
  identity: Pick<ChallengeRecord, 'requestId' | 'stepName' | 'user' | 'client'>,
  policy: IssuePolicy,
  plan: {failures: number; resends: number},
  now: number,
): ChallengeRecord {
  const expiresAt = now + policy.lifetimeSeconds * 1000;
  // Named one by one rather than spread: the server makes one per code issued.
  return {
    requestId: identity.requestId,
    stepName: identity.stepName,
    user: identity.user,
    client: identity.client,
    issuedAt: now,
    expiresAt,
    // A resend always opens by the time the code expires, so an expired code can be replaced.
    resendAt: Math.min(now + policy.resendAfterSeconds * 1000, expiresAt),
    failures: plan.failures,
    maxAttempts: policy.maxAttempts,
    resends: plan.resends,
    maxResends: policy.maxResends,
    consumed: false,
  };
}
