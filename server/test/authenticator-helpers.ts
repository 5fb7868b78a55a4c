/**
 * What the authenticator's tests share: a handler with the factor on, whose
 * session is the `x-test-user` header; the calls of each route; and codes
 * computed as an authenticator app computes them, from the secret the
 * enrolment showed.
 */
import assert from 'node:assert/strict';
import {decodeBase32IgnorePadding} from '@oslojs/encoding';
import {generateHOTP} from '@oslojs/otp';
import {authenticatorCrypto} from '../authenticator/crypto.js';
import type {AuthenticatorRecord} from '../authenticator/records.js';
import {authenticatorKey} from '../keys.js';
import {checkedSecret, type OtpHandlerOptions} from '../options.js';
import {post, SECRET, send, setup} from './helpers.js';

/** The session the `x-test-user` header names (percent-encoded: headers are Latin-1); none without it. */
export const bySessionHeader = {
  authenticate: (request: Request) => {
    const user = request.headers.get('x-test-user');
    return user === null ? null : decodeURIComponent(user);
  },
};

/** A handler with the authenticator on (issuer Acme), sessions from `x-test-user`. */
export const authenticatorSetup = (
  options: Partial<OtpHandlerOptions> = {},
  storeOptions: Parameters<typeof setup>[1] = {},
) =>
  setup({...bySessionHeader, authenticator: {issuer: 'Acme'}, ...options}, storeOptions);

export type AuthCtx = ReturnType<typeof authenticatorSetup>;

/** The headers of a request from `user`'s session. */
export const as = (user: string) => ({'x-test-user': encodeURIComponent(user)});

/** The app's code for `secret` at `ms` (epoch ms), as a phone computes it: RFC 6238, SHA-1, 6 digits, 30 s. */
export const appCode = (secret: Uint8Array, ms: number) =>
  generateHOTP(secret, BigInt(Math.floor(ms / 30_000)), 6);

/** Starts an enrolment; `proof` ({code} or {recoveryCode}) of the current app where the user has one. */
export const startEnrollment = (
  ctx: AuthCtx,
  user: string,
  proof: {code?: string; recoveryCode?: string} = {},
) => post(ctx.handler, '/otp/authenticator/enrollments', proof, as(user));

export const confirmEnrollment = (
  ctx: AuthCtx,
  enrollmentId: unknown,
  code: string,
  session: string,
) =>
  post(
    ctx.handler,
    `/otp/authenticator/enrollments/${enrollmentId}/confirm`,
    {code},
    as(session),
  );

export const signIn = (
  ctx: AuthCtx,
  body: Record<string, unknown>,
  session = String(body.user),
) =>
  post(
    ctx.handler,
    '/otp/authenticator/confirm',
    {client: 'web', stepName: 'login', ...body},
    as(session),
  );

export const replaceRecoveryCodes = (ctx: AuthCtx, code: string, session: string) =>
  post(ctx.handler, '/otp/authenticator/recovery-codes', {code}, as(session));

export async function removeAuthenticator(ctx: AuthCtx, body: unknown, session?: string) {
  const response = await send(ctx.handler, '/otp/authenticator', {
    method: 'DELETE',
    headers: {'content-type': 'application/json', ...(session ? as(session) : {})},
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {status: response.status, headers: response.headers, json: JSON.parse(text)};
}

/**
 * Enrols an app for `user` through the routes, as a person does: the secret
 * read from the answer, the first code computed from it now (`proof`: of
 * the user's current app, to replace it). The clock then
 * moves on a step, so the next code is a fresh one.
 */
export async function enrol(
  ctx: AuthCtx,
  user: string,
  proof?: {code?: string; recoveryCode?: string},
) {
  const started = await startEnrollment(ctx, user, proof);
  assert.equal(started.status, 201, started.text);
  const secret = decodeBase32IgnorePadding(String(started.json.secret));
  const confirmed = await confirmEnrollment(
    ctx,
    started.json.enrollmentId,
    appCode(secret, ctx.clock.now),
    user,
  );
  assert.equal(confirmed.status, 200, confirmed.text);
  ctx.clock.now += 30_000;
  return {
    secret,
    enrollmentId: String(started.json.enrollmentId),
    recoveryCodes: confirmed.json.recoveryCodes as string[],
    started,
    confirmed,
  };
}

/**
 * Puts an authenticator with a known secret in the store for `user`, sealed
 * with the server's own keys, as an enrolment would leave it: how a test runs
 * RFC 6238's vectors (whose secret no enrolment draws) through the real
 * sign-in route.
 */
export async function seedAuthenticator(
  ctx: AuthCtx,
  user: string,
  secret: Uint8Array,
  lastStep = -1,
) {
  const crypto = authenticatorCrypto(checkedSecret(SECRET));
  const record: AuthenticatorRecord = {
    id: `seeded-${user}`,
    sealed: crypto.sealSecret(user, secret),
    lastStep,
    recoveryCodes: [],
    usedRecoveryCodes: [],
    enrolledAt: ctx.clock.now,
  };
  await ctx.store.update(authenticatorKey(user), () => [record, undefined]);
}
