/**
 * Every metric the handler keeps, named once: its name (the public contract of
 * issue 20, kept exactly), its help text and its labels. Each label has a fixed
 * set of values (labels.ts), so the series stay bounded whoever calls; a label
 * a fact has no value for is the empty string, which Prometheus treats as the
 * label being absent (an e-mail code has `country=""`).
 */
import type {HistogramSpec, MetricSpec} from './types.js';

/** The labels of a code's life: who asked (bounded by `metricsLabels`), how and where it went. */
const CODE_LABELS = ['client', 'step', 'channel', 'country'] as const;

const counter = (name: string, help: string, labels: readonly string[] = CODE_LABELS) =>
  ({name, help, labels}) satisfies MetricSpec;

export const COUNTERS = {
  issued: counter(
    'otp_issued_total',
    'Codes issued to users the app knows (decoys for unknown users are in otp_unknown_user_total).',
  ),
  delivered: counter(
    'otp_delivered_total',
    'Codes handed over: the channel accepted the message, or notify returned (the notify webhook answered 2xx).',
  ),
  delivery_failed: counter(
    'otp_delivery_failed_total',
    'Codes not sent: reason "provider" when the channel or notify failed, or the sending budget that cut the send (sends-per-destination, unconfirmed-per-country, ...).',
    [...CODE_LABELS, 'reason'],
  ),
  confirmed: counter('otp_confirmed_total', 'Codes confirmed with the right code.'),
  rejected: counter(
    'otp_rejected_total',
    'Confirmations turned down, by reason: invalid (a wrong code), expired, used, locked (a code locked already).',
    [...CODE_LABELS, 'reason'],
  ),
  locked: counter(
    'otp_locked_total',
    'Codes locked by the wrong code that used up their attempts.',
  ),
  expired: counter(
    'otp_expired_total',
    'Codes that expired while still pending (not confirmed, locked nor canceled).',
  ),
  canceled: counter(
    'otp_canceled_total',
    'Pending codes canceled by the user or the app.',
  ),
  revoked: counter(
    'otp_revoked_total',
    'Calls of revokeUser (every code and confirmation of a user voided): one per call, not per code, under empty labels (a revocation names no client, step or channel).',
  ),
  refused: counter(
    'otp_refused_total',
    'Requests refused before any code was judged, by operation and reason (the problem code: rate-limited, forbidden, unauthenticated, ...).',
    ['operation', 'reason', 'client', 'step'],
  ),
  unknown_user: counter(
    'otp_unknown_user_total',
    'Issues for users lookupUser does not know: answered with a decoy, nothing sent.',
    ['client', 'step', 'channel'],
  ),
  // The authenticator's sign-ins are counted apart from sent codes', so
  // confirmed / delivered stays the conversion of codes sent.
  authenticator_confirmed: counter(
    'otp_authenticator_confirmed_total',
    "Sign-ins with an authenticator app, by method: authenticator (the app's code) or recovery-code.",
    ['client', 'step', 'method'],
  ),
  authenticator_rejected: counter(
    'otp_authenticator_rejected_total',
    'Authenticator sign-ins turned down, by method and reason: invalid (a wrong code), used (a code or recovery code used already).',
    ['client', 'step', 'method', 'reason'],
  ),
  enrolled: counter(
    'otp_enrolled_total',
    'Authenticator apps enrolled: an enrolment confirmed with its first code (one that replaces an earlier app included).',
    [],
  ),
  recovery_used: counter(
    'otp_recovery_used_total',
    'Recovery codes used to sign in in place of the authenticator app.',
    ['client', 'step'],
  ),
  authenticator_removed: counter(
    'otp_authenticator_removed_total',
    'Authenticator apps removed by their users (with a current code).',
    [],
  ),
} as const;

/** The facts counted, by the counter's name in COUNTERS. */
export type CountedFact = keyof typeof COUNTERS;

/**
 * Handler answers take from a tenth of a millisecond (memory store) to tens of
 * milliseconds (a store across a network); providers take tens of
 * milliseconds to seconds.
 */
const ANSWER_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];
const STORE_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5,
];
const SEND_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const HISTOGRAMS = {
  issue: {
    name: 'otp_issue_duration_seconds',
    help: 'Time to answer an issue request (POST {endpoint}/codes), by status class (2xx, 4xx, 5xx); sending runs behind the answer and is not included.',
    labels: ['status_class'],
    buckets: ANSWER_BUCKETS,
  },
  confirm: {
    name: 'otp_confirm_duration_seconds',
    help: 'Time to answer a confirm request, by status class (2xx, 4xx, 5xx).',
    labels: ['status_class'],
    buckets: ANSWER_BUCKETS,
  },
  send: {
    name: 'otp_send_duration_seconds',
    help: 'Time the channel (provider) or notify took to send a code, retries included, whether it succeeded or failed, by channel.',
    labels: ['channel'],
    buckets: SEND_BUCKETS,
  },
  store: {
    name: 'otp_store_duration_seconds',
    help: 'Time of each store operation (one atomic read-modify-write of one key) on a store outside the process (Redis); the memory store is not timed.',
    labels: [],
    buckets: STORE_BUCKETS,
  },
} as const satisfies Record<string, HistogramSpec>;

export const GAUGES = {
  pending: {
    name: 'otp_pending_challenges',
    help: 'Codes pending now (not confirmed, locked, expired nor canceled; decoys excluded), counted when scraped. Memory store only.',
    labels: [],
  },
  storeUp: {
    name: 'otp_store_up',
    help: 'Whether the last store operation succeeded (1) or failed with store-unavailable (0).',
    labels: [],
  },
} as const satisfies Record<string, MetricSpec>;
