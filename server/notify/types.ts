/**
 * The contract between the handler and whatever sends codes. The handler
 * (server/issue/…) only ever sees `OtpNotifier`; `createNotifier` (./notifier.ts)
 * builds one from channels, and each provider (smtp, twilio, aws, webhook)
 * is an `OtpChannel`. Kept in one file so both sides can be read against it.
 */

/** The kinds of destination a code can be sent to. */
export type OtpChannelName = 'email' | 'sms';

/** Where a user's codes go, as `lookupUser` answers it (phone in E.164). */
export interface OtpDestination {
  email?: string;
  phone?: string;
  /** BCP 47 tag of the language the user reads; chooses the template. */
  language?: string;
}

/** The fields of a notification that a template and a channel need. */
export interface OtpMessageInput {
  user: string;
  client: string;
  code: string;
  expiresAt: Date;
  requestId: string;
  channel: OtpChannelName;
  to: {email?: string; phone?: string};
  /** BCP 47; the destination's language, else the request's Accept-Language, else 'en'. */
  language: string;
  /** The masked destination, the only form of it that may be logged. */
  destinationHint: string;
}

/** A rendered message: `subject`/`html` only for e-mail. */
export interface OtpRenderedMessage {
  subject?: string;
  text: string;
  html?: string;
}

/**
 * A failure to send. `permanent` ones (a refused number, failed
 * authentication) are not retried; any other error is taken as transient
 * (timeouts, refused connections, 429, 5xx) and retried with back-off.
 */
export class OtpDeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, options: {permanent: boolean; cause?: unknown}) {
    super(message, {cause: options.cause});
    this.name = 'OtpDeliveryError';
    this.permanent = options.permanent;
  }
}

/** One provider for one kind of destination. */
export interface OtpChannel {
  readonly channel: OtpChannelName;
  /** For logs and metrics: 'smtp', 'twilio', 'aws', 'webhook', … */
  readonly provider: string;
  /** Sends one rendered message; rejects with OtpDeliveryError (or any error: transient). */
  send(
    message: OtpRenderedMessage,
    notification: OtpMessageInput,
    signal: AbortSignal,
  ): Promise<void>;
  /** Checks the connection at start-up; the notifier logs the outcome, never throws it. */
  verify?(): Promise<void>;
  close?(): Promise<void>;
}

/** What `createNotifier` returns and `createOtpHandler`'s `notify` accepts beside a function. */
export interface OtpNotifier {
  /** Tells the handler that this is a notifier, not a notify function. */
  readonly kind: 'otp-notifier';
  /** The configured kinds of destination, in the integrator's order of preference. */
  readonly channels: readonly OtpChannelName[];
  /**
   * Renders and sends through the providers of `notification.channel`, in
   * order, retrying transient failures with back-off until `deadline` (ms
   * since the epoch). Resolves with the provider that sent it; rejects
   * (OtpDeliveryError) when every provider failed.
   */
  deliver(
    notification: OtpMessageInput,
    options: {deadline: number; signal: AbortSignal},
  ): Promise<{provider: string}>;
  /**
   * Runs each channel's verify() and logs the result; resolves with the
   * channels that failed (`"email smtp"`), so a service can report itself unready.
   */
  verify(): Promise<string[]>;
  close(): Promise<void>;
}
