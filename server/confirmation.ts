import {createHmac, timingSafeEqual} from 'node:crypto';
import type {ConfirmationMethod} from '../src/sources/protocol.js';
import {confirmationKey as spentKey} from './keys.js';
import {revokedAt} from './revocation.js';
import type {OtpStore} from './store.js';

/** What a confirmation token says: who confirmed a code, where, and until when it proves it. */
export interface OtpConfirmationClaims {
  /** The user exactly as the app named it (the `authenticate` result, else the request's name). */
  user: string;
  /** The account the limits counted it under: `user` normalised. */
  account: string;
  client: string;
  stepName: string;
  requestId: string;
  /**
   * How the user proved it: `code` (a code sent to them), `authenticator`
   * (their authenticator app's code) or `recovery-code` (one of their recovery
   * codes in its place). Under `authenticator` and `recovery-code` the request
   * id is the sign-in's own, fresh each time. Tokens signed before this claim
   * existed have none: `verify` reads them as `code`.
   */
  method: ConfirmationMethod;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
}

/** What `verifyConfirmation` may be told to expect; a token naming anything else is refused. */
export type ExpectedConfirmation = Partial<
  Pick<OtpConfirmationClaims, 'user' | 'client' | 'stepName'>
> & {
  /** Accept a token of any user: only with this does an expectation without `user` verify. */
  anyUser?: true;
};

const VERSION = 'v1';
const base64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

/**
 * Confirmation tokens: `v1.<claims>.<HMAC-SHA256>`, base64url. Short-lived and
 * single use: the store remembers each token until it expires, and the first
 * verification spends it. The key is the server's own (derived from its secret),
 * so only a server holding the secret can make or check one.
 */
export function confirmationTokens(options: {
  key: Buffer;
  store: OtpStore;
  now: () => number;
  lifetimeMs: number;
}) {
  const {key, store, now, lifetimeMs} = options;
  const reader = {
    peek: <T>(key: string) => store.update(key, (value) => [value, value as T]),
  };
  const sign = (payload: string) =>
    createHmac('sha256', key).update(`${VERSION}.${payload}`).digest();

  /**
   * Records the token of `requestId` as unspent, unless the key holds anything
   * already: a token of it spent (marked so until no token of it can be
   * alive), or armed by a confirmation racing this one. So it may run before
   * the code is known to be confirmed, at once with the judgement (one round
   * trip on Redis), and never revives a spent token: a token armed for a code
   * that then is not confirmed is never signed, so nothing can spend it.
   */
  const arm = (requestId: string) =>
    store.update(spentKey(requestId), (value) =>
      value === undefined ? ['unspent', undefined, lifetimeMs] : [value, undefined],
    );

  /** Signs the claims for a code just confirmed; its token must be armed. */
  function signClaims(claims: Omit<OtpConfirmationClaims, 'issuedAt' | 'expiresAt'>): {
    token: string;
    claims: OtpConfirmationClaims;
  } {
    const issuedAt = now();
    // Named one by one, in the token's order, rather than spread: one per confirmation.
    const full: OtpConfirmationClaims = {
      user: claims.user,
      client: claims.client,
      stepName: claims.stepName,
      account: claims.account,
      requestId: claims.requestId,
      method: claims.method,
      issuedAt,
      expiresAt: issuedAt + lifetimeMs,
    };
    const payload = base64url(JSON.stringify(full));
    return {token: `${VERSION}.${payload}.${base64url(sign(payload))}`, claims: full};
  }

  return {
    arm,
    sign: signClaims,

    /**
     * The claims of a valid token, the first time it is verified; null for a token
     * that is spent, expired, forged or altered, issued before its user was
     * revoked (`revokeUser`), or that names another user,
     * client or step than `expected`. The user is compared exactly, as the app
     * names it, and must be given (`undefined` from an unset session field or a
     * serialiser that drops nulls is no user): only `{anyUser: true}` accepts a
     * token of anyone. A token refused for naming another user is not spent, so
     * a stranger cannot use up the owner's proof.
     */
    async verify(
      token: unknown,
      expected: ExpectedConfirmation = {},
    ): Promise<OtpConfirmationClaims | null> {
      if (typeof token !== 'string' || token.length > 4096) return null;
      if (typeof expected !== 'object' || expected === null) return null;
      if (expected.user === undefined || expected.user === null) {
        if (expected.anyUser !== true) return null;
      }
      const [version, payload, signature, ...rest] = token.split('.');
      if (version !== VERSION || !payload || !signature || rest.length) return null;
      // Compared as text: the one base64url spelling of the signature, not any that decodes to it.
      const given = Buffer.from(signature);
      const wanted = Buffer.from(base64url(sign(payload)));
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
      let claims: OtpConfirmationClaims;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (typeof claims?.requestId !== 'string' || !(claims.expiresAt > now()))
        return null;
      // A token signed by a release before `method` was a sent code's.
      claims.method ??= 'code';
      // Each expectation given must be a string naming what the token names: a
      // signed-out session's null matches nothing.
      const differs = (given: unknown, actual: string) =>
        given !== undefined && (typeof given !== 'string' || given !== actual);
      if (
        differs(expected.user ?? undefined, claims.user) ||
        differs(expected.client, claims.client) ||
        differs(expected.stepName, claims.stepName)
      )
        return null;
      // The user's revocation is read beside the spending, not after it: a
      // token issued at or before it is spent and refused all the same.
      const [fresh, revoked] = await Promise.all([
        // Spent, the key says so until every token of this code has expired
        // (rather than going), so that arming it again (arm) cannot revive it.
        store.update(spentKey(claims.requestId), (value) =>
          value === 'unspent' ? ['spent', true, lifetimeMs] : [value, false],
        ),
        revokedAt(reader, claims.user),
      ]);
      if (revoked !== undefined && claims.issuedAt <= revoked) return null;
      return fresh ? claims : null;
    },
  };
}
