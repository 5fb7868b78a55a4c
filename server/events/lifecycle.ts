/**
 * What happens to codes, told once to whoever watches: the metrics
 * (server/metrics), the app's `onEvent` and the side service's event webhooks
 * (server/events), and the audit log. The core says what happened at each
 * point (issue-code.ts, delivery.ts, confirm.ts, cancel, revocation, expiry);
 * each observer makes of it what it needs. An observer that throws is logged
 * and never changes an answer.
 */
import type {ConfirmationMethod} from '../../src/sources/protocol.js';
import type {OtpChannelName} from '../notify/types.js';
import type {OtpRoute} from '../routes.js';

/** The event types `onEvent` and the event webhooks carry (the public contract). */
export const OTP_EVENT_TYPES = [
  'otp.issued',
  'otp.delivered',
  'otp.delivery_failed',
  'otp.confirmed',
  'otp.rejected',
  'otp.locked',
  'otp.expired',
  'otp.canceled',
  'otp.revoked',
  'otp.enrolled',
  'otp.recovery_used',
  'otp.authenticator_removed',
] as const;

export type OtpEventType = (typeof OTP_EVENT_TYPES)[number];

/**
 * One lifecycle event as `onEvent` and the webhooks carry it: never the code,
 * never the destination itself (only its masked hint). Deliveries may repeat:
 * receivers de-duplicate by `id`.
 */
export interface OtpEvent {
  id: string;
  event: OtpEventType;
  /** ISO 8601. */
  at: string;
  requestId: string;
  /** The user exactly as the app named it. */
  user: string;
  client: string;
  stepName: string;
  channel?: OtpChannelName;
  destinationHint?: string;
  /**
   * `otp.confirmed`, `otp.rejected`, `otp.locked` of the authenticator's
   * sign-in, and `otp.recovery_used`: `authenticator` or `recovery-code`
   * (a sent code's events have none). `otp.enrolled` has the enrolment's id as
   * its `requestId`; `otp.authenticator_removed` has none (`''`), and neither
   * has a client or step.
   */
  method?: ConfirmationMethod;
}

/**
 * A fact as the core tells it, with what the metrics and the audit log need
 * beyond the public event: `refused` and `unknown_user` have no public event
 * (a refusal has no code; a decoy must not skew what apps count).
 */
export interface LifecycleFact {
  type:
    | 'issued'
    | 'delivered'
    | 'delivery_failed'
    | 'confirmed'
    | 'rejected'
    | 'locked'
    | 'expired'
    | 'canceled'
    | 'revoked'
    | 'enrolled'
    | 'recovery_used'
    | 'authenticator_removed'
    | 'refused'
    | 'unknown_user';
  /** When it happened, by the handler's clock (ms). */
  at: number;
  requestId?: string;
  /** The user exactly as the app named it. */
  user?: string;
  /** The user normalised: the account limits count under. */
  account?: string;
  client?: string;
  stepName?: string;
  channel?: OtpChannelName;
  destinationHint?: string;
  /** The SMS number's country (ISO 3166-1 alpha-2, or `+881` for numbers of no country). */
  country?: string;
  /**
   * `refused`: the problem's code (`rate-limited`, `forbidden`, …);
   * `rejected`: `invalid`, `expired` or `used`; `delivery_failed`: `provider`,
   * or the budget that cut the send (`sends-per-destination`, …).
   */
  reason?: string;
  /** The request's client address, where there was a request (the audit log keeps its prefix only). */
  address?: string;
  /** `delivered` / `delivery_failed`: how long the provider (or `notify`) took, in seconds. */
  sendSeconds?: number;
  /** `issued`: when the code expires (ms), for the expiry watcher (server/events/expiry.ts). */
  expiresAt?: number;
  /** `refused`: which operation was refused. */
  operation?: OtpOperation;
  /** `confirmed`, `rejected`, `locked`: how the user proved it (a sent code, the app's code, a recovery code). */
  method?: ConfirmationMethod;
  /** `recovery_used`: how many recovery codes the user has left. */
  recoveryCodesLeft?: number;
  /**
   * A decoy's code judged (`rejected`, `locked`): an unknown user's, which the
   * metrics count only as `unknown_user`, so decoys skew no conversion rate.
   */
  decoy?: true;
}

/** The handler's operations, as the latency histograms and refusals name them: its routes' names. */
export type OtpOperation = OtpRoute['name'];

/** Something that watches the handler: each member optional, each called synchronously. */
export interface LifecycleObserver {
  /** A lifecycle fact. */
  fact?(fact: LifecycleFact): void;
  /** An answer given: its operation, HTTP status and how long it took, in seconds. */
  answered?(operation: OtpOperation, status: number, seconds: number): void;
  /** Flushes what is being delivered (webhooks), for `idle()` and shutdown. */
  idle?(): Promise<void>;
}

/** The observers as one: every call reaches each, and a throw in one reaches the log only. */
export function lifecycle(
  observers: LifecycleObserver[],
  logFailure: (what: string, error: unknown) => void,
) {
  const facts = observers.filter((o) => o.fact);
  const answers = observers.filter((o) => o.answered);
  return {
    /** True when someone listens: the core skips building facts otherwise. */
    watched: facts.length > 0,
    /** True when someone times answers. */
    timed: answers.length > 0,
    emit(fact: LifecycleFact): void {
      for (const observer of facts)
        try {
          observer.fact!(fact);
        } catch (error) {
          logFailure(`an observer of ${fact.type}`, error);
        }
    },
    answered(operation: OtpOperation, status: number, seconds: number): void {
      for (const observer of answers)
        try {
          observer.answered!(operation, status, seconds);
        } catch (error) {
          logFailure(`an observer of the ${operation} answer`, error);
        }
    },
    async idle(): Promise<void> {
      await Promise.all(observers.map((o) => o.idle?.()));
    },
  };
}

export type Lifecycle = ReturnType<typeof lifecycle>;
