import {randomUUID} from 'node:crypto';
import type {LifecycleFact, OtpEvent, OtpEventType} from './lifecycle.js';

/**
 * The facts apps hear of, each with its public name. `refused` has no code and
 * `unknown_user` is a decoy: told to an app, a decoy would tell it (and
 * whoever reads its events) which names are no accounts.
 */
const PUBLIC_TYPES: Partial<Record<LifecycleFact['type'], OtpEventType>> = {
  issued: 'otp.issued',
  delivered: 'otp.delivered',
  delivery_failed: 'otp.delivery_failed',
  confirmed: 'otp.confirmed',
  rejected: 'otp.rejected',
  locked: 'otp.locked',
  expired: 'otp.expired',
  canceled: 'otp.canceled',
  revoked: 'otp.revoked',
  enrolled: 'otp.enrolled',
  recovery_used: 'otp.recovery_used',
  authenticator_removed: 'otp.authenticator_removed',
};

/** The public name of a fact, or undefined for a fact apps are not told. */
export const publicType = (fact: LifecycleFact): OtpEventType | undefined =>
  PUBLIC_TYPES[fact.type];

/**
 * The event an app is told of a fact, with an id of its own (receivers
 * de-duplicate by it), or undefined for a fact apps are not told. Only the
 * public fields are copied: never the account, address, country or reason.
 */
export function otpEvent(fact: LifecycleFact): OtpEvent | undefined {
  const event = publicType(fact);
  if (!event) return undefined;
  const told: OtpEvent = {
    id: randomUUID(),
    event,
    at: new Date(fact.at).toISOString(),
    requestId: fact.requestId ?? '',
    user: fact.user ?? '',
    client: fact.client ?? '',
    stepName: fact.stepName ?? '',
  };
  if (fact.channel) told.channel = fact.channel;
  if (fact.destinationHint) told.destinationHint = fact.destinationHint;
  if (fact.method) told.method = fact.method;
  return told;
}
