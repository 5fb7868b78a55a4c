/** What names one challenge: the same user may have one open per step and client. */
export interface ChallengeIdentity {
  stepName: string;
  user: string;
  client: string;
}

/**
 * The key of a challenge: step, user and client, JSON-encoded so that no
 * character in a name can make two challenges share one key. The browser's
 * IndexedDB store and the server's store (server/keys.ts) both key by it.
 */
export function challengeKey({stepName, user, client}: ChallengeIdentity): string {
  return JSON.stringify([stepName, user, client]);
}
