import type {OtpConfirmationClaims} from './confirmation.js';
import type {OtpLogger} from './log-safe.js';
import type {OtpStore} from './store.js';
import type {OtpChannelName, OtpNotifier} from './notify/types.js';
import type {OtpEvent} from './events/lifecycle.js';
import type {OtpMetricsLabels, OtpMetricsTarget} from './metrics/types.js';

/** What the "send templated notification" step gets for each code issued. */
export interface OtpNotification {
  /** The user exactly as the app named it: the `authenticate` result when there is one, else the request's name. */
  user: string;
  /** The account the limits count under: `user` normalised (see `normalizeUser`). Never an identity. */
  account: string;
  client: string;
  code: string;
  expiresAt: Date;
  template: string;
  stepName: string;
  sourceStep: string;
  requestId: string;
  /** Where the code goes, as `lookupUser` answered it (empty when it gave no destination). */
  to: {email?: string; phone?: string};
  /** The channel chosen for this code, when `lookupUser` gave a destination for one. */
  channel?: OtpChannelName;
  /** BCP 47: the destination's language, else the request's Accept-Language, else 'en'. */
  language: string;
  /** The destination masked (`m•••@example.com`): the only form of it fit for logs. */
  destinationHint?: string;
}

export interface OtpLimits {
  /** Longest lifetime a client may ask for, in seconds (NIST SP 800-63B-4: 10 minutes). */
  maxLifetimeSeconds: number;
  /** Shortest code a client may ask for. */
  minLength: number;
  /** Wrong codes before one code locks, across its resends. */
  maxAttempts: number;
  resendAfterSeconds: number;
  maxResends: number;
  /** Codes issued per account (every client and step name together) per window. */
  issuesPerWindow: number;
  windowSeconds: number;
  /** Issue requests per source address (IPv6: per /64) per window. */
  issuesPerAddress: number;
  /** Codes sent to one destination (phone number or e-mail address) per `windowSeconds`. */
  sendsPerDestination: number;
  /**
   * Codes sent to one SMS country's numbers and not confirmed, per hour: a
   * country flooded without confirmations is cut (SMS pumping), one whose users
   * confirm never is.
   */
  unconfirmedPerCountry: number;
  /** A destination with a code confirmed in this many days is exempt from the country budget. */
  trustedDestinationDays: number;
  /**
   * Wrong codes an account may have judged before it is refused outright; the
   * count lasts `failureMemorySeconds` after the last wrong code (NIST SP
   * 800-63B-4 §3.2.2: at most 100).
   */
  maxFailuresPerAccount: number;
  failureMemorySeconds: number;
  /** Past the first `maxAttempts` wrong codes, an account waits this long, doubled with each further one. */
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Longest a request body may take to arrive. */
  bodyTimeoutSeconds: number;
  /** How long a confirmation token proves the confirmation. */
  confirmationLifetimeSeconds: number;
}

/** The authenticator factor (RFC 6238 apps): see docs/authenticator.md. */
export interface OtpAuthenticatorOptions {
  /** The name an app shows above the account (`Acme`): the URI's issuer and its label's prefix. */
  issuer: string;
  /**
   * The account's name as the app on the phone shows it under the issuer,
   * for a user the app names by an id (`u_8f3a…`): the e-mail address, say.
   * The signed-in user (the `authenticate` result) by default. Only shown:
   * the authenticator stays the user's, whatever the label. A throw, or
   * anything but a string of 1 to 256 characters, falls back to the user (logged).
   */
  accountLabel?: (user: string) => string | Promise<string>;
}

export interface OtpHandlerOptions {
  /** Key of the HMACs kept in place of codes and of confirmation tokens: 32 bytes or more, kept secret. */
  secret: string | Uint8Array;
  /** Where challenges and counters are kept; memory by default (one process only). */
  store?: OtpStore;
  /**
   * Sends the code: a notifier from `createNotifier` (otp-step/server/notify),
   * which renders and sends it behind the answer, or a function of your own,
   * awaited before the answer. The default prints it to the console, in
   * development and tests only.
   */
  notify?: ((notification: OtpNotification) => void | Promise<void>) | OtpNotifier;
  /**
   * Transient send failures are retried this long after the issue (within the
   * code's lifetime) before the challenge is marked `delivery: 'failed'`.
   */
  deliveryRetrySeconds?: number;
  /**
   * Accounts that always get this fixed code and are sent nothing: for store
   * reviews and end-to-end tests. Keyed by the normalised user name. They skip
   * the delivery limits, not the wrong-code limits; each use is logged.
   */
  testUsers?: Record<string, string>;
  /**
   * `rotate` (default): every resend is a new code. `reuse`: a resend within the
   * code's lifetime sends the same code again (kept encrypted meanwhile), so a
   * slow first message is not made useless by the second.
   */
  resendStrategy?: 'rotate' | 'reuse';
  /**
   * The user who passed the first factor, from the app's session cookie or token;
   * null when there is none. With it, a request without a session is answered
   * 401 `unauthenticated` and one for another user 403 `forbidden`.
   */
  authenticate?: (request: Request) => string | null | Promise<string | null>;
  /**
   * The "get user info" step: a falsy answer means there is no such user;
   * `{email?, phone?, language?}` (phone in E.164) says where codes go. It runs
   * after the rate limits. An unknown user gets the same answer as a known one,
   * and no notification, unless `revealUnknownUsers`.
   */
  lookupUser?: (user: string, client: string, request: Request) => unknown;
  /** Answer 404 `unknown-user` for users `lookupUser` does not know (lets callers enumerate users). */
  revealUnknownUsers?: boolean;
  /** Runs once for each confirmed code, so the app can mark its session. */
  onConfirmed?: (claims: OtpConfirmationClaims, request: Request) => void | Promise<void>;
  /** The account a user name stands for; by default NFKC, case-folded, invisible characters dropped. */
  normalizeUser?: (user: string) => string;
  /** The address a request comes from; by default the socket's (see `trustedProxies`). */
  clientAddress?: (request: Request) => string | undefined;
  /** Proxies whose `X-Forwarded-For` is believed; without them the header is ignored. */
  trustedProxies?: string[];
  /** Returns codes in issue answers, for the ForTestCode. Only with NODE_ENV=development or test. */
  testMode?: boolean;
  limits?: Partial<OtpLimits>;
  /**
   * The countries SMS codes may go to, as ISO 3166-1 alpha-2 codes (`['PT',
   * 'BR']`), read from the number; a number elsewhere is sent nothing. All
   * countries when unset.
   */
  smsCountries?: string[];
  /**
   * A bot check for requests under suspicion (an address past half its
   * `issuesPerAddress`, or a country past half its budget): without a token
   * they are answered 428 `human-check-required`; the token travels as
   * `humanToken` in the issue request's body. See otp-step/server/human.
   */
  verifyHuman?: (token: string, request: Request) => boolean | Promise<boolean>;
  /**
   * Where the handler's metrics go: a prom-client `Registry` or an
   * OpenTelemetry `Meter` (counters `otp_issued_total` …, latency histograms,
   * gauges; see docs/operations.md).
   */
  metrics?: OtpMetricsTarget;
  /** The `client` and `step` label values the metrics keep; any other is `other`. */
  metricsLabels?: OtpMetricsLabels;
  /**
   * Called for each lifecycle event (`otp.issued`, `otp.delivered`, …,
   * `otp.expired`, `otp.canceled`, `otp.revoked`, and the authenticator's
   * `otp.enrolled`, `otp.recovery_used`, `otp.authenticator_removed`), behind
   * the answers; never with the code, an authenticator's secret or a
   * recovery code. A throw is logged.
   */
  onEvent?: (event: OtpEvent) => void | Promise<void>;
  /**
   * Takes one audit line per event (a JSON object as text): the event, an HMAC
   * of the user (never the name), the client, the address's prefix and the
   * outcome.
   */
  auditLog?: (line: string) => void;
  /**
   * Turns on the authenticator factor: enrolment of an app from a QR code,
   * sign-in with its codes or a recovery code (`…/authenticator/…` routes).
   * Needs `authenticate`: enrolment is for the signed-in user only.
   */
  authenticator?: OtpAuthenticatorOptions;
  /** Template name handed to `notify`. */
  template?: string;
  /** Where the server writes warnings and failures; `console` by default. */
  logger?: OtpLogger;
  /** The clock, for tests. */
  now?: () => number;
}

export const DEFAULT_LIMITS: OtpLimits = {
  maxLifetimeSeconds: 600,
  minLength: 6,
  maxAttempts: 5,
  resendAfterSeconds: 30,
  maxResends: 3,
  issuesPerWindow: 10,
  windowSeconds: 15 * 60,
  issuesPerAddress: 30,
  sendsPerDestination: 5,
  unconfirmedPerCountry: 200,
  trustedDestinationDays: 30,
  maxFailuresPerAccount: 100,
  failureMemorySeconds: 24 * 60 * 60,
  backoffBaseSeconds: 1,
  backoffMaxSeconds: 15 * 60,
  maxBodyBytes: 4096,
  bodyTimeoutSeconds: 10,
  confirmationLifetimeSeconds: 5 * 60,
};

/** Where codes may be shown or printed: a developer's machine and test runs, nowhere else. */
const SAFE_ENVIRONMENTS = ['development', 'test'];

/** The secret as a copy of its bytes, or why it cannot key the server's HMACs. */
export function checkedSecret(secret: string | Uint8Array | undefined): Buffer {
  const bytes =
    typeof secret === 'string'
      ? Buffer.from(secret)
      : secret instanceof Uint8Array
        ? // A copy: the caller may zero or reuse its buffer.
          Buffer.from(Uint8Array.prototype.slice.call(secret))
        : undefined;
  if (!bytes || bytes.length < 32)
    throw new Error('otp-step: the secret must be 32 bytes or more');
  if (bytes.every((b) => b === bytes[0]))
    throw new Error('otp-step: the secret must not be one byte repeated');
  return bytes;
}

/** Refuses, at start-up, what would show codes outside development and tests. */
export function checkEnvironment(options: OtpHandlerOptions): void {
  const environment = process.env.NODE_ENV;
  if (SAFE_ENVIRONMENTS.includes(environment ?? '')) return;
  const where =
    environment === undefined ? 'NODE_ENV is unset' : `NODE_ENV=${environment}`;
  if (options.testMode)
    throw new Error(
      `otp-step: testMode returns codes in answers and runs only with NODE_ENV=development or test (${where})`,
    );
  if (!options.notify)
    throw new Error(
      `otp-step: give a notify hook; the default prints codes to the console and runs only with NODE_ENV=development or test (${where})`,
    );
}
