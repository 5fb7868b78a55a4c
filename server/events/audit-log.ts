import {createHmac} from 'node:crypto';
import {addressPrefix} from './address-prefix.js';
import type {LifecycleFact, LifecycleObserver} from './lifecycle.js';
import {publicType} from './otp-event.js';

/**
 * What a fact's outcome is, as an auditor reads it: the code did its job, or
 * it did not (an expired code was never used; a refusal turned a request away).
 */
const OUTCOMES: Record<LifecycleFact['type'], 'success' | 'failure'> = {
  issued: 'success',
  delivered: 'success',
  delivery_failed: 'failure',
  confirmed: 'success',
  rejected: 'failure',
  locked: 'failure',
  expired: 'failure',
  canceled: 'success',
  revoked: 'success',
  enrolled: 'success',
  recovery_used: 'success',
  authenticator_removed: 'success',
  refused: 'failure',
  unknown_user: 'failure',
};

/** The audit log's key for names: one per use, derived from the secret (handler-context's `derive`). */
export const AUDIT_USER_LABEL = 'otp-step audit user';

/**
 * The user as the audit log names them: HMAC-SHA256 of the name under a key
 * derived from the server's secret, in hex. The same on every instance and
 * every day, so a user's lines can be followed; no one without the secret can
 * tell whose they are, nor try names against them (a plain hash of an e-mail
 * address is found by hashing a list of addresses).
 */
export const auditUser = (key: Uint8Array, user: string) =>
  createHmac('sha256', key).update(user).digest('hex');

/**
 * One JSON line per fact, in order, to the app's `auditLog`: the public events
 * under their names, and two more an auditor needs: `otp.refused` (a request
 * turned away: wrong session, rate limits, a bot check; what an attack looks
 * like from here) and `otp.unknown_user` (a code asked for a name that is no
 * account: enumeration and credential stuffing show up as bursts of it). Never
 * the name, the code, the destination (nor its hint) or the full address.
 */
export function auditObserver(
  write: (line: string) => void,
  userKey: Uint8Array,
): LifecycleObserver {
  return {
    fact(fact) {
      const line: Record<string, string | undefined> = {
        time: new Date(fact.at).toISOString(),
        event: publicType(fact) ?? `otp.${fact.type}`,
        outcome: OUTCOMES[fact.type],
        reason: fact.reason,
        requestId: fact.requestId,
        user: fact.user === undefined ? undefined : auditUser(userKey, fact.user),
        client: fact.client,
        stepName: fact.stepName,
        channel: fact.channel,
        country: fact.country,
        addressPrefix: addressPrefix(fact.address),
        operation: fact.operation,
        method: fact.method,
      };
      // A throw reaches the lifecycle's log (lifecycle.ts), never an answer.
      write(JSON.stringify(line));
    },
  };
}
