/**
 * Every key the server keeps in its store, in one place: what each holds, and
 * how it is spelled. The spelling is part of what a deployment keeps (a Redis
 * store outlives a release): change one and what is stored under the old one
 * is forgotten, pending codes and rate windows with it. Names from a request
 * (a user, an Idempotency-Key) are JSON-encoded, so no character in them can
 * make one key pass for another.
 */
import {challengeKey, type ChallengeIdentity} from '../src/challenge/challenge-key.js';

/** Put before every key by the Redis store, unless told otherwise. */
export const DEFAULT_KEY_PREFIX = 'otp-step:';

/** An account's counter of one kind: one key per account, whatever the client or step. */
const accountKey = (kind: string, user: string) => `${kind}:${JSON.stringify(user)}`;

/** The pending challenge (a ServerRecord), under the key the browser keeps its copy by. */
export const challengeStoreKey = (identity: ChallengeIdentity) =>
  `challenge:${challengeKey(identity)}`;

/** Which challenge a request id stands for (the challenge's key), while it is pending. */
export const requestKey = (requestId: string) => `request:${requestId}`;

/** Whether a confirmation token is still unspent. */
export const confirmationKey = (requestId: string) => `confirmation:${requestId}`;

/** What an Idempotency-Key stands for, and the answer given to it. */
export const idempotencyKey = (user: string, key: string) =>
  `idempotency:${JSON.stringify([user, key])}`;

/** The account's wrong codes, across every challenge (throttle.ts AccountFailures). */
export const failuresKey = (user: string) => accountKey('failures', user);

/** The account's window of codes issued. */
export const issuesByAccountKey = (user: string) => accountKey('issues-by-account', user);

/** An address's window of issue requests; `bucket` from client-address.ts addressBucket. */
export const issuesByAddressKey = (bucket: string) => `issues-by-address:${bucket}`;

/**
 * A destination's window of codes sent. `destination` is a keyed digest of the
 * phone number or address (spend.ts), never the destination itself: nothing
 * of who the users are is kept at rest for a limit's sake.
 */
export const sendsToDestinationKey = (destination: string) =>
  `sends-to-destination:${destination}`;

/** A destination that confirmed a code lately: exempt from its country's budget. */
export const trustedDestinationKey = (destination: string) =>
  `trusted-destination:${destination}`;

/** An SMS country's hourly window of codes sent and not (yet) confirmed. */
export const unconfirmedByCountryKey = (country: string) =>
  `unconfirmed-by-country:${JSON.stringify(country)}`;

/**
 * When the app last revoked a user (`revokeUser`), by the user exactly as the
 * app names it: codes and confirmation tokens issued before it are void.
 */
export const revokedUserKey = (user: string) => `revoked-user:${JSON.stringify(user)}`;

/** An address's window of cancel requests; `bucket` from client-address.ts addressBucket. */
export const cancelsByAddressKey = (bucket: string) => `cancels-by-address:${bucket}`;
/**
 * The codes that expire within one time bucket, one shard of them: a list of
 * [challenge key, request id] appended at issue and claimed, once, by the
 * instance that reads it first after the bucket ends (server/events/expiry.ts).
 */
export const expiringKey = (bucket: number, shard: number) =>
  `expiring:${bucket}:${shard}`;

/** What the side service's health check reads. */
export const HEALTH_KEY = 'healthz';

/**
 * The user's authenticator app, once enrolled (authenticator/records.ts
 * AuthenticatorRecord): its secret sealed, the last time step accepted and
 * its recovery codes' HMACs. By the user exactly as the app names it, as a
 * code is: two users whose names normalise alike share limits, never an app.
 */
export const authenticatorKey = (user: string) => accountKey('authenticator', user);

/** The user's enrolment waiting for its first code (PendingEnrollment): one at a time, a new one replaces it. */
export const enrollmentKey = (user: string) =>
  accountKey('authenticator-enrollment', user);

/** The account's window of enrolments started: each draws a secret and a QR code. */
export const enrollmentsByAccountKey = (user: string) =>
  accountKey('enrollments-by-account', user);
