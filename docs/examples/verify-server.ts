/**
 * The app's server side of verify-source.ts: it starts and checks Twilio Verify
 * verifications with the app's credentials, which never reach the browser,
 * keeps the counts the element shows, answers with the element's error codes,
 * and hands the page a signed proof that the sign-in route checks.
 *
 * Twilio's REST API is called with fetch, as documented at
 * https://www.twilio.com/docs/verify/api (no SDK needed). Swap `twilio()` for
 * another provider's start and check calls and the rest stays as it is.
 */
import {createHmac, randomUUID, timingSafeEqual} from 'node:crypto';
import express, {type Request, type Router} from 'express';
import type {ChallengeAnswer, CheckAnswer, CheckRequest, Problem} from './verify-wire.js';

export interface VerifyServerOptions {
  /** A Twilio API key's SID and secret (or, for trying it out, the Account SID and Auth Token). */
  apiKey: string;
  apiSecret: string;
  /** The Verify Service (`VA…`). Its code length must match the element's `length`. */
  serviceSid: string;
  /** Signs the proof of a confirmation: 32 random bytes or more, kept on the server. */
  secret: string;
  /** The user who passed the first factor, from the app's session; undefined if none. */
  userOf(request: Request): string | undefined;
  /** Where that user's code goes, in E.164 (`+15017122661`); undefined if the app has no number. */
  phoneOf(user: string): Promise<string | undefined>;
}

/** Twilio Verify's defaults: a verification lives 10 minutes, takes 5 checks and 5 sends. */
const LIFETIME_MS = 10 * 60_000;
const MAX_CHECKS = 5;
const MAX_SENDS = 5;
/** The app's own choice: how long before the person may ask for the code again. */
const RESEND_AFTER_MS = 30_000;
/** How long the page has to hand the proof to the sign-in route. */
const PROOF_LIFETIME_MS = 5 * 60_000;

/** One pending verification per signed-in user. */
interface Pending {
  /** Ours, given to the browser; Twilio's `VE…` SID stays here. */
  requestId: string;
  sid: string;
  expiresAt: number;
  resendAt: number;
  failures: number;
  sends: number;
}

/** What a proof says: who confirmed which verification, and until when it may be used. */
interface Claims {
  user: string;
  requestId: string;
  exp: number;
}

/** What a route answers: a status and a JSON body (none for 204). */
type Reply = {status: number; body?: ChallengeAnswer | CheckAnswer | Problem};

/** Twilio's JSON: a Verification or VerificationCheck, or an error (`code`, `message`). */
interface TwilioAnswer {
  status: number;
  retryAfter?: number;
  body: {sid?: string; status?: string; code?: number; message?: string};
}

const reply = (status: number, body: ChallengeAnswer | CheckAnswer | Problem): Reply => ({
  status,
  body,
});

export function createVerify(options: VerifyServerOptions) {
  // In memory for the example: one process, lost on restart. Keep it in the
  // app's session store or database when there are several.
  const pending = new Map<string, Pending>();
  const spentProofs = new Map<string, number>();

  async function twilio(
    path: string,
    form: Record<string, string>,
  ): Promise<TwilioAnswer> {
    const auth = Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString('base64');
    try {
      const response = await fetch(
        `https://verify.twilio.com/v2/Services/${options.serviceSid}${path}`,
        {
          method: 'POST',
          headers: {
            authorization: `Basic ${auth}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(form),
          signal: AbortSignal.timeout(10_000),
        },
      );
      const retryAfter = Number(response.headers.get('retry-after')) || undefined;
      return {status: response.status, retryAfter, body: await response.json()};
    } catch {
      // Unreachable, timed out or not JSON: the element offers Retry for server-error.
      return {status: 503, body: {}};
    }
  }

  /** Twilio's refusals in the element's words. */
  function problem(answer: TwilioAnswer, entry?: Pending): Reply {
    const {code, message} = answer.body;
    if (code === 60203 || code === 20429 || answer.status === 429) {
      // 60203: 5 sends without a completed check. It lifts when the verification expires.
      const wait = entry ? Math.ceil((entry.expiresAt - Date.now()) / 1000) : 600;
      return reply(429, {code: 'rate-limited', retryAfter: answer.retryAfter ?? wait});
    }
    // 401/403 is our key, 404 our service SID, 5xx theirs: never "sign in again", which
    // would blame the person for the app's set-up. Retry is offered for server-error.
    console.error('Twilio Verify:', answer.status, code, message);
    return reply(502, {code: 'server-error'});
  }

  /** The verification as the element shows it. */
  function challenge(entry: Pending, status: ChallengeAnswer['status']): ChallengeAnswer {
    const now = Date.now();
    const secondsUntil = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
    return {
      requestId: entry.requestId,
      status,
      expiresIn: secondsUntil(entry.expiresAt),
      // A new code may always be asked for once this one has expired.
      resendIn: secondsUntil(Math.min(entry.resendAt, entry.expiresAt)),
      attemptsLeft: Math.max(0, MAX_CHECKS - entry.failures),
      resendsLeft: Math.max(0, MAX_SENDS - entry.sends),
    };
  }

  const statusOf = (entry: Pending) =>
    Date.now() >= entry.expiresAt
      ? 'expired'
      : entry.failures >= MAX_CHECKS
        ? 'locked'
        : 'pending';

  function sign(user: string, requestId: string): string {
    const signed: Claims = {user, requestId, exp: Date.now() + PROOF_LIFETIME_MS};
    const claims = Buffer.from(JSON.stringify(signed)).toString('base64url');
    const mac = createHmac('sha256', options.secret).update(claims).digest('base64url');
    return `${claims}.${mac}`;
  }

  return {
    /** `GET /verification`: the pending verification, after a reload or in a second tab. */
    pending(user: string): Reply {
      const entry = pending.get(user);
      if (!entry || Date.now() >= entry.expiresAt) return {status: 204};
      return reply(200, challenge(entry, statusOf(entry)));
    },

    /** `POST /verification`: sends a code, or the same code again within its 10 minutes. */
    async start(user: string): Promise<Reply> {
      const to = await options.phoneOf(user);
      if (!to) return reply(404, {code: 'unknown-user'});
      const now = Date.now();
      const live = pending.get(user);
      const previous = live && now < live.expiresAt ? live : undefined;
      if (previous) {
        if (previous.failures >= MAX_CHECKS) return reply(409, {code: 'locked'});
        if (previous.sends >= MAX_SENDS) return reply(409, {code: 'resend-limit'});
        if (now < previous.resendAt) {
          const retryAfter = Math.ceil((previous.resendAt - now) / 1000);
          return reply(429, {code: 'resend-cooldown', retryAfter});
        }
      }
      const answer = await twilio('/Verifications', {To: to, Channel: 'sms'});
      // 60200: the number on file is not one Twilio can send to.
      if (answer.body.code === 60200) return reply(422, {code: 'unknown-user'});
      if (answer.status !== 201 || !answer.body.sid) return problem(answer, previous);
      // Within its lifetime Twilio sends the same code again, under the same
      // verification. Wrong codes count across resends all the same (NIST SP
      // 800-63B-4): a resend is no fresh set of guesses.
      const same = previous?.sid === answer.body.sid;
      const entry: Pending = {
        requestId: same ? previous.requestId : randomUUID(),
        sid: answer.body.sid,
        expiresAt: same ? previous.expiresAt : now + LIFETIME_MS,
        resendAt: now + RESEND_AFTER_MS,
        failures: previous?.failures ?? 0,
        sends: (previous?.sends ?? 0) + 1,
      };
      pending.set(user, entry);
      return reply(201, challenge(entry, 'pending'));
    },

    /** `POST /verification/check`: what the person typed, checked by Twilio. */
    async check(user: string, {requestId, code}: CheckRequest): Promise<Reply> {
      const entry = pending.get(user);
      if (!entry) return reply(404, {code: 'no-pending-code'});
      if (entry.requestId !== requestId) return reply(404, {code: 'unknown-request'});
      const rejected = (reason: 'invalid' | 'expired' | 'locked'): Reply => {
        const view = challenge(entry, reason === 'invalid' ? 'pending' : reason);
        return reply(200, {
          outcome: {status: 'rejected', reason, attemptsLeft: view.attemptsLeft},
          challenge: view,
        });
      };
      const status = statusOf(entry);
      if (status !== 'pending') return rejected(status);

      const answer = await twilio('/VerificationCheck', {
        VerificationSid: entry.sid,
        Code: code,
      });
      if (answer.status === 200 && answer.body.status === 'approved') {
        pending.delete(user);
        return reply(200, {
          outcome: {status: 'confirmed', confirmation: sign(user, requestId)},
          challenge: challenge(entry, 'confirmed'),
        });
      }
      if (answer.status === 200 && answer.body.status === 'pending') {
        entry.failures++;
        return rejected(entry.failures >= MAX_CHECKS ? 'locked' : 'invalid');
      }
      // 60202: too many wrong codes at Twilio (checks from elsewhere count too).
      if (answer.body.code === 60202 || answer.body.status === 'max_attempts_reached') {
        entry.failures = MAX_CHECKS;
        return rejected('locked');
      }
      // 20404: Twilio has deleted the verification (it expired, or was canceled);
      // any other status comes to the same. Only a new code can go on from here.
      if (answer.status === 404 || answer.status === 200) {
        entry.expiresAt = Math.min(entry.expiresAt, Date.now());
        return rejected('expired');
      }
      return problem(answer, entry);
    },

    /**
     * In the route that finishes the sign-in: whether `proof` (the element's
     * form value, or `otp-confirmed`'s `detail.confirmation`) says that this
     * user confirmed a code. A proof is good once, for 5 minutes.
     */
    verifyProof(proof: string, user: string): boolean {
      const [claims = '', mac = ''] = proof.split('.');
      const expected = createHmac('sha256', options.secret).update(claims).digest();
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return false;
      // Signed by us, so it is our JSON.
      const claimed = JSON.parse(Buffer.from(claims, 'base64url').toString()) as Claims;
      const now = Date.now();
      for (const [id, until] of spentProofs) if (until < now) spentProofs.delete(id);
      const {requestId, exp} = claimed;
      if (claimed.user !== user || exp < now || spentProofs.has(requestId)) return false;
      spentProofs.set(requestId, exp);
      return true;
    },
  };
}

/** The routes verify-source.ts calls, for `app.use('/2fa', verifyRoutes(verify, options))`. */
export function verifyRoutes(
  verify: ReturnType<typeof createVerify>,
  {userOf}: Pick<VerifyServerOptions, 'userOf'>,
): Router {
  const router = express.Router();
  router.use(express.json({limit: '1kb'}));
  router.use((request, response, next) => {
    const user = userOf(request);
    if (!user) {
      response.status(401).json({code: 'unauthenticated'} satisfies Problem);
      return;
    }
    response.locals.user = user;
    next();
  });
  const send = (response: express.Response, {status, body}: Reply) =>
    body ? response.status(status).json(body) : response.status(status).end();

  router.get('/verification', (_request, response) => {
    send(response, verify.pending(response.locals.user));
  });
  router.post('/verification', async (_request, response) => {
    send(response, await verify.start(response.locals.user));
  });
  router.post('/verification/check', async (request, response) => {
    const {requestId, code} = (request.body ?? {}) as Partial<CheckRequest>;
    if (
      typeof requestId !== 'string' ||
      typeof code !== 'string' ||
      !/^\d{4,10}$/.test(code)
    ) {
      send(response, reply(400, {code: 'request-failed'}));
      return;
    }
    send(response, await verify.check(response.locals.user, {requestId, code}));
  });
  return router;
}
