/**
 * A proof of the user's current authenticator, judged on their record as the
 * store holds it and spent in the same change: a current code of the app (its
 * step becomes the last accepted) or one of the recovery codes (removed from
 * the set). Sign-in and the start of a replacing enrolment judge it alike, so
 * one proof is taken once, whichever route it is sent to.
 */
import {authenticatorKey} from '../keys.js';
import {spendCode, spendRecoveryCode, type Judged} from './records.js';
import {codeStepOf, type AuthenticatorContext} from './stages.js';

/** One of the two proofs, as the request bodies carry them (bodies.ts). */
export type Proof =
  {code: string; recoveryCode?: undefined} | {recoveryCode: string; code?: undefined};

/**
 * Judges `proof` for `user` and spends it when it is accepted. Accepted, the
 * value is how many recovery codes are left after a recovery code, -1 after
 * an app's code (which leaves no count to tell).
 */
export function spendProof(
  ctx: AuthenticatorContext,
  user: string,
  proof: Proof,
): () => Promise<Judged<number>> {
  if (proof.recoveryCode === undefined) {
    const stepOf = codeStepOf(ctx, user, proof.code);
    return async () => {
      const spent = await ctx.store.update(authenticatorKey(user), (v) =>
        spendCode(v, stepOf),
      );
      return spent.outcome === 'accepted' ? {outcome: 'accepted', value: -1} : spent;
    };
  }
  const digest = ctx.authenticator.recoveryDigest(user, proof.recoveryCode);
  return () =>
    ctx.store.update(authenticatorKey(user), (v) =>
      spendRecoveryCode(
        v,
        digest,
        ctx.authenticator.indexOfDigest,
        (record) => ctx.authenticator.openSecret(user, record.sealed) !== undefined,
      ),
    );
}
