import {createHash, randomUUID} from 'node:crypto';
import {
  newRecord,
  planIssue,
  viewOf,
  type ChallengeView,
  type IssuePlan,
} from '../src/challenge/challenge.js';
import {ALPHABETS} from '../src/code/alphabets.js';
import {generateCode} from '../src/code/generate-code.js';
import type {IssueRequestBody, IssueResponseBody} from '../src/sources/protocol.js';
import {resolveStepConfig} from '../src/step/step-config.js';
import {addressBucket} from './client-address.js';
import {OtpAnswer, type OtpRequest} from './exchange.js';
import {
  EXPIRED_GRACE_MS,
  type HandlerContext,
  type Reservations,
  type ServerRecord,
} from './handler-context.js';
import {
  challengeStoreKey,
  failuresKey,
  idempotencyKey as idempotencyStoreKey,
  issuesByAccountKey,
  issuesByAddressKey,
  NOTIFICATIONS_KEY,
  requestKey,
} from './keys.js';
import {logSafe} from './log-safe.js';
import {CONFIG_DETAILS, json, problem, rateLimited} from './problem.js';
import {OtpStoreFullError} from './store.js';
import {judgeableFrom} from './throttle.js';

/**
 * `POST …/codes`: checks the request, the session and every limit, issues a code
 * (or a resend in place of the pending one) and hands it to `notify`. Each limit
 * is reserved before it is relied on; a request refused at any point hands back
 * all it reserved, so refusals use up nothing.
 */
export async function issueCode(
  ctx: HandlerContext,
  request: OtpRequest,
): Promise<OtpAnswer> {
  const {options, limits, store, now, logger} = ctx;
  const parsed = await ctx.readBody(request);
  if (parsed instanceof OtpAnswer) return parsed;
  const body = issueBody(parsed);
  if (typeof body === 'string') return problem(400, 'invalid-request', body);

  const checked = resolveStepConfig({
    ...body,
    user: ctx.normalize(body.user),
    maxAttempts: limits.maxAttempts,
    resendAfter: limits.resendAfterSeconds,
    maxResends: limits.maxResends,
  });
  if (!checked.ok) return problem(400, checked.error, CONFIG_DETAILS[checked.error]);
  const config = checked.config;
  if (config.lifetimeSeconds > limits.maxLifetimeSeconds) {
    return problem(
      400,
      'invalid-lifetime',
      `The lifetime must be at most ${limits.maxLifetimeSeconds} seconds.`,
    );
  }
  if (config.length < limits.minLength) {
    return problem(
      400,
      'invalid-length',
      `The code must have at least ${limits.minLength} characters.`,
    );
  }
  const session = await ctx.refuseSession(request, config.user);
  if (session) return session;
  if (store.full) throw new OtpStoreFullError();
  // No code is sent that the account's back-off would keep from being judged before it expires.
  const judgedFrom = judgeableFrom(
    await ctx.peek(failuresKey(config.user)),
    ctx.failurePolicy,
  );
  const tooEarly = judgedFrom - now() - config.lifetimeSeconds * 1000;
  if (tooEarly > 0)
    return rateLimited(
      Math.ceil(tooEarly / 1000),
      'after too many wrong codes for this user',
    );

  // A retried request with the same key gets the first answer, never a second code.
  const idempotencyKey = request.header('idempotency-key') ?? null;
  if (idempotencyKey !== null && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey))
    return problem(
      400,
      'invalid-request',
      'The Idempotency-Key must be 1 to 255 visible ASCII characters.',
    );
  // What the key stands for: the same key with another request is refused, not replayed.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(config))
    .digest('base64url');
  const cacheKey = idempotencyKey && idempotencyStoreKey(config.user, idempotencyKey);
  if (cacheKey) {
    const cached = await store.update(cacheKey, (value) =>
      value ? [value, value] : [{fingerprint}, undefined, ctx.windowMs],
    );
    if (cached) {
      const {answer, fingerprint: first} = cached as {
        fingerprint: string;
        answer?: IssueResponseBody;
      };
      if (first !== fingerprint)
        return problem(
          422,
          'idempotency-key-reused',
          'This Idempotency-Key was used for another request.',
        );
      if (!answer)
        return problem(
          409,
          'request-in-progress',
          'The same request is still being answered.',
          {retryAfter: 1},
        );
      return json(201, answer);
    }
  }
  /** Places taken in the rate windows, and the challenge written: each with its undo. */
  const undo: Reservations = [];
  const issuing: Reservations = [];
  /**
   * Once the user was looked up, or a notification may have gone out, the
   * windows stay taken whatever happens next: otherwise a lookup that throws
   * would be a free oracle, and a gateway that sends and then times out a free
   * way to send codes without end.
   */
  let windowsSpent = false;
  /** Hands back what was reserved (last first), the windows unless spent, and the idempotency key. */
  const handBack = async () => {
    for (const step of [...issuing, ...(windowsSpent ? [] : undo)].reverse())
      await step().catch(() => undefined);
    if (cacheKey) await store.update(cacheKey, () => [undefined, undefined]);
  };
  /** A refused request uses up nothing (but spent windows). */
  const refuse = async (response: OtpAnswer) => {
    await handBack();
    return response;
  };

  try {
    const address = ctx.clientAddress(request);
    if (address) {
      const wait = await ctx.take(
        issuesByAddressKey(addressBucket(address)),
        limits.issuesPerAddress,
        ctx.windowMs,
        undo,
      );
      if (wait) return await refuse(rateLimited(wait, 'from this address'));
    } else ctx.warnOnce('no-address');
    const wait = await ctx.take(
      issuesByAccountKey(config.user),
      limits.issuesPerWindow,
      ctx.windowMs,
      undo,
    );
    if (wait) return await refuse(rateLimited(wait, 'for this user'));

    // After the limits, so that asking about users is as slow as asking for codes.
    windowsSpent = true;
    const known =
      !options.lookupUser ||
      !!(await options.lookupUser(config.user, config.client, request.web()));
    if (!known && options.revealUnknownUsers)
      return await refuse(problem(404, 'unknown-user', 'There is no such user.'));

    const code = generateCode(config.length, ALPHABETS[config.alphabet]);
    const requestId = randomUUID();
    const at = now();
    const challengeKey = challengeStoreKey(config);
    const keepFor = config.lifetimeSeconds * 1000 + EXPIRED_GRACE_MS;
    const issued = await store.update<
      {record: ServerRecord; previous: unknown} | Extract<IssuePlan, {ok: false}>
    >(challengeKey, (previous) => {
      const plan = planIssue(previous as ServerRecord | undefined, at);
      if (!plan.ok) return [previous, plan];
      const {stepName, user, client} = config;
      const identity = {requestId, stepName, user, client};
      const record: ServerRecord = {
        ...newRecord(identity, config, plan, at),
        digest: ctx.mac(requestId, code),
        length: config.length,
        alphabet: config.alphabet,
        ...(known ? {} : {decoy: true}),
      };
      return [record, {record, previous}, keepFor];
    });
    if ('ok' in issued) {
      // Refused before anything was sent: the windows go back.
      windowsSpent = false;
      return await refuse(planRefusal(issued));
    }
    issuing.push(() =>
      store.update(challengeKey, (value) => {
        if ((value as ServerRecord | undefined)?.requestId !== requestId)
          return [value, undefined];
        // Put back the code this one replaced, with the time it had left.
        const previous = issued.previous as ServerRecord | undefined;
        const left = previous ? previous.expiresAt + EXPIRED_GRACE_MS - now() : 0;
        return left > 0 ? [previous, undefined, left] : [undefined, undefined];
      }),
    );
    await store.update(requestKey(requestId), () => [challengeKey, undefined, keepFor]);
    issuing.push(() => store.update(requestKey(requestId), () => [undefined, undefined]));

    // Decoys take their place under the cap too, so that `busy` tells nothing about a user.
    const busy = await ctx.take(
      NOTIFICATIONS_KEY,
      limits.notificationsPerMinute,
      60_000,
      undo,
    );
    if (busy) {
      windowsSpent = false;
      return await refuse(
        problem(503, 'busy', 'Too many codes are being sent; try again shortly.', {
          retryAfter: busy,
        }),
      );
    }
    windowsSpent = true;
    if (known) {
      try {
        await ctx.notify({
          user: config.user,
          client: config.client,
          code,
          expiresAt: new Date(issued.record.expiresAt),
          template: ctx.template,
          stepName: config.stepName,
          sourceStep: config.sourceStep,
          requestId,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        logger.error(
          `otp-step: notify failed for ${logSafe(config.user)}: ${logSafe(reason.split(code).join('[code]'))}`,
        );
        return await refuse(
          problem(502, 'notification-failed', 'The code could not be sent; retry.'),
        );
      }
    }
    const answer = issueAnswer(viewOf(issued.record, at), at);
    // What is kept for a retry never holds the code.
    if (cacheKey)
      await store.update(cacheKey, () => [
        {fingerprint, answer},
        undefined,
        ctx.windowMs,
      ]);
    return json(201, known && options.testMode ? {...answer, code} : answer);
  } catch (error) {
    await handBack().catch(() => undefined);
    throw error;
  }
}

function planRefusal(plan: Extract<IssuePlan, {ok: false}>): OtpAnswer {
  if (plan.code === 'locked')
    return problem(
      423,
      'locked',
      'Too many wrong codes: wait until the locked code expires.',
      {
        attemptsLeft: 0,
      },
    );
  if (plan.code === 'resend-limit')
    return problem(429, 'resend-limit', 'No more codes can be sent for this challenge.');
  return problem(429, 'resend-cooldown', 'A new code can be sent shortly.', {
    retryAfter: plan.retryAfterSeconds,
  });
}

function issueAnswer(view: ChallengeView, at: number): IssueResponseBody {
  return {
    requestId: view.requestId,
    issuedAt: new Date(view.issuedAt).toISOString(),
    expiresAt: new Date(view.expiresAt).toISOString(),
    expiresIn: Math.round((view.expiresAt - at) / 1000),
    resendAt: new Date(view.resendAt).toISOString(),
    resendIn: Math.round((view.resendAt - at) / 1000),
    attemptsLeft: view.attemptsLeft,
    resendsLeft: view.resendsLeft,
  };
}

/** The issue request's fields with their defaults, or why it is not one. */
function issueBody(
  value: unknown,
): (Omit<IssueRequestBody, 'alphabet'> & {alphabet: string}) | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The body must be a JSON object.';
  const body = value as Record<string, unknown>;
  const text = (name: string, fallback?: string) => {
    const v = Object.hasOwn(body, name) ? body[name] : fallback;
    return typeof v === 'string' && v.length <= 256 ? v : undefined;
  };
  const number = (name: string, fallback: number) => {
    const v = Object.hasOwn(body, name) ? body[name] : fallback;
    return typeof v === 'number' ? v : undefined;
  };
  const fields = {
    user: text('user'),
    client: text('client', ''),
    stepName: text('stepName', ''),
    sourceStep: text('sourceStep', ''),
    alphabet: text('alphabet', 'numeric'),
    lifetime: number('lifetime', 300),
    length: number('length', 6),
  };
  const wrong = Object.entries(fields).find(([, v]) => v === undefined);
  if (wrong)
    return ['lifetime', 'length'].includes(wrong[0])
      ? `Send "${wrong[0]}" as a number.`
      : `Send "${wrong[0]}" as a string of at most 256 characters.`;
  return fields as Omit<IssueRequestBody, 'alphabet'> & {alphabet: string};
}
