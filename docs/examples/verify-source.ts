/**
 * A code source for `<otp-step>` that goes through the app's own server, which
 * in turn uses a verification API (Twilio Verify here). The browser never sees
 * the provider's credentials, its verification ids, or the code: it sends what
 * the person typed and gets back what the element needs to show.
 */
import {OtpStepError, type CodeSource, type OtpErrorCode} from 'otp-step';
import type {ChallengeAnswer, CheckAnswer, CheckRequest, Problem} from './verify-wire.js';

export interface VerifySourceOptions {
  /** Where the app's server mounts the routes of verify-server.ts, e.g. `/2fa`. */
  base: string;
  /** Sent with every request: the app's CSRF token, say. */
  headers?: Record<string, string>;
}

/** The codes verify-server.ts answers with; anything else is told by its HTTP status. */
const PASSED_ON = new Set<string>([
  'unauthenticated',
  'unknown-user',
  'rate-limited',
  'resend-cooldown',
  'resend-limit',
  'locked',
  'no-pending-code',
  'unknown-request',
  'server-error',
  'request-failed',
] satisfies OtpErrorCode[]);

export function verifySource({base, headers = {}}: VerifySourceOptions): CodeSource {
  /** The verification last issued or found; its id names it when a code is checked. */
  let current: string | undefined;
  const url = (path: string) => base.replace(/\/+$/, '') + path;

  async function call<T>(path: string, init: RequestInit): Promise<T | undefined> {
    let response: Response;
    try {
      response = await fetch(url(path), {
        ...init,
        // The session cookie is what tells the server who passed the first factor.
        credentials: 'same-origin',
        headers: {
          ...headers,
          accept: 'application/json',
          'content-type': 'application/json',
        },
      });
    } catch (error) {
      // Aborted by the element (a newer request, or it left the page): not a failure to report.
      if (init.signal?.aborted) throw error;
      throw new OtpStepError('network-error');
    }
    if (response.status === 204) return undefined;
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const problem = (body ?? {}) as Partial<Problem>;
      const code = PASSED_ON.has(problem.code ?? '')
        ? (problem.code as OtpErrorCode)
        : response.status >= 500
          ? 'server-error'
          : 'request-failed';
      // The element shows its own words for the code and, with `retryAfterSeconds`, counts down to Retry.
      throw new OtpStepError(code, problem.detail, problem.retryAfter);
    }
    if (typeof body !== 'object' || body === null) throw new OtpStepError('bad-response');
    return body as T;
  }

  /** The server's seconds-from-now, as instants on this browser's clock. */
  const view = ({expiresIn, resendIn, ...rest}: ChallengeAnswer) => {
    const now = Date.now();
    return {
      ...rest,
      issuedAt: now,
      expiresAt: now + expiresIn * 1000,
      resendAt: now + resendIn * 1000,
    };
  };

  return {
    async issue(_config, signal) {
      // No user is sent: the server takes it from the session, so a script on
      // the page cannot have codes sent to someone else.
      const answer = await call<ChallengeAnswer>('/verification', {
        method: 'POST',
        signal,
      });
      if (!answer) throw new OtpStepError('bad-response');
      current = answer.requestId;
      // No `code` beside the challenge: the code is never in the browser, so
      // there is no ForTestCode to show.
      return {challenge: view(answer)};
    },

    async confirm(_config, code, signal) {
      // The element confirms only a challenge it got from issue() or pending().
      if (!current) throw new OtpStepError('no-pending-code');
      const request: CheckRequest = {requestId: current, code};
      const answer = await call<CheckAnswer>('/verification/check', {
        method: 'POST',
        body: JSON.stringify(request),
        signal,
      });
      if (!answer) throw new OtpStepError('bad-response');
      return {outcome: answer.outcome, challenge: view(answer.challenge)};
    },

    async pending(_config, signal) {
      // Asked after a reload or in a second tab: the server keeps the verification, so both see the same one.
      const answer = await call<ChallengeAnswer>('/verification', {
        method: 'GET',
        signal,
      });
      if (!answer) return undefined;
      current = answer.requestId;
      return view(answer);
    },
  };
}
