import type {DeliveryChannel} from '../../src/sources/protocol.js';
import type {StepConfig} from '../../src/step/step-config.js';
import {
  EXPIRED_GRACE_MS,
  type HandlerContext,
  type ServerRecord,
} from '../handler-context.js';
import {challengeStoreKey} from '../keys.js';
import {logSafe} from '../log-safe.js';
import {pickLanguage} from '../notify/language.js';
import type {OtpChannelName, OtpDestination} from '../notify/types.js';
import type {OtpNotification} from '../options.js';
import {decoyHint, hintOf} from './destination-hint.js';
import type {SpendCut, SpendMark} from './spend.js';

/** Where a code goes, as the issue answer tells it. */
export interface DeliveryPlan {
  /** The channel to send on; undefined when the server knows no channel (a plain `notify` and no destination). */
  channel: OtpChannelName | undefined;
  destinationHint: string | undefined;
  /** Every channel the user can be sent to, in the server's order. */
  channels: OtpChannelName[];
  /** False when nothing is to be sent: a decoy, or a known user with no destination on any configured channel. */
  sends: boolean;
  /** Where the send was counted (spend.ts). */
  spend?: SpendMark;
  /** Set when a budget cut the send: answered as if sent, nothing goes out. */
  cut?: SpendCut;
  /** The SMS number's country (spend.ts), for the metrics. */
  country?: string;
}

/**
 * The channels the server sends on: the notifier's, in the integrator's order.
 * A plain `notify` function sends on whatever the destination has, e-mail
 * first, and is told where; the answer does not say (an unknown user could
 * not be given the same), so only a notifier's answers carry the channel.
 */
export const configuredChannels = (ctx: HandlerContext): readonly OtpChannelName[] =>
  ctx.notifier?.channels ?? ['email', 'sms'];

/**
 * Picks the channel: the one asked for if the user has a destination there,
 * else the first configured one they have. An unknown user is planned as one
 * with a destination on every configured channel, with a hint made from the
 * name (destination-hint.ts), so the answer tells no one apart; a known user
 * with no destination on any is planned the same way and sent nothing.
 */
export function planDelivery(
  ctx: HandlerContext,
  user: string,
  known: boolean,
  destination: OtpDestination,
  asked: DeliveryChannel | undefined,
): DeliveryPlan {
  const configured = configuredChannels(ctx);
  const has = (channel: OtpChannelName) =>
    channel === 'email' ? !!destination.email : !!destination.phone;
  const reachable = known ? configured.filter(has) : [];
  if (reachable.length) {
    const channel = asked && reachable.includes(asked) ? asked : reachable[0];
    return {
      channel,
      destinationHint: hintOf(channel, destination),
      channels: reachable,
      sends: true,
    };
  }
  // A plain notify with no destination from lookupUser: today's behaviour, nothing to tell.
  if (!ctx.notifier)
    return {channel: undefined, destinationHint: undefined, channels: [], sends: known};
  if (known && !ctx.testUsers.has(user))
    ctx.logger.warn(
      `otp-step: ${logSafe(user)} has no destination on any configured channel (${configured.join(', ')}); nothing was sent`,
    );
  const channel = asked ?? configured[0];
  return {
    channel,
    destinationHint: decoyHint(ctx.hintKey, channel, user),
    channels: [...configured],
    sends: false,
  };
}

/** The message's language: the destination's, else the request's Accept-Language, else English. */
export const languageOf = (
  destination: OtpDestination,
  acceptLanguage: string | undefined,
) => pickLanguage(destination.language, acceptLanguage);

/**
 * Sends behind the answer, so that no answer waits for a send (a known user's
 * would otherwise take as long as the send and a decoy's would not: timing
 * would tell who exists). Through a notifier, retried within
 * `deliveryRetrySeconds` and the code's lifetime; a `notify` function is called
 * once. Then the challenge's `delivery` says `sent` or `failed`; a failed one
 * may be resent at once. Only the challenge it was sent for is marked: a resend
 * may have replaced it.
 */
export function deliverInBackground(
  ctx: HandlerContext,
  config: StepConfig,
  record: ServerRecord,
  notification: OtpNotification,
): void {
  const {notifier} = ctx;
  const {channel, code} = notification;
  const deadline = Math.min(ctx.now() + ctx.deliveryRetryMs, record.expiresAt);
  const where = notification.destinationHint ?? '';
  const started = performance.now();
  const sending: Promise<unknown> =
    notifier && channel
      ? notifier.deliver(
          {...notification, channel, destinationHint: where},
          {deadline, signal: new AbortController().signal},
        )
      : // Called now, not on a later tick: a throw becomes the promise's rejection.
        new Promise((resolve) => resolve(ctx.notify(notification)));
  const running = sending
    .then(
      () => 'sent' as const,
      (error: unknown) => {
        const reason = logSafe(error instanceof Error ? error.message : error)
          .split(code)
          .join('[code]');
        ctx.logger.error(
          notifier && channel
            ? `otp-step: the code for ${logSafe(config.user)} could not be sent to ${logSafe(where)}: ${reason}`
            : `otp-step: notify failed for ${logSafe(config.user)}: ${reason}`,
        );
        return 'failed' as const;
      },
    )
    .then((delivery) => {
      if (ctx.events.watched)
        ctx.events.emit({
          type: delivery === 'sent' ? 'delivered' : 'delivery_failed',
          at: ctx.now(),
          requestId: record.requestId,
          user: config.user,
          account: notification.account,
          client: config.client,
          stepName: config.stepName,
          channel,
          destinationHint: notification.destinationHint,
          country: record.country,
          reason: delivery === 'failed' ? 'provider' : undefined,
          sendSeconds: (performance.now() - started) / 1000,
        });
      // On the promise chain, not a later turn: a caller that issues in a loop
      // of its own without yielding (a Fetch handler in a worker, a test) would
      // otherwise pile every delivery up until it yields (65,536 of them ran a
      // 128 MB heap out; attacks-on-requests.test.ts). It showed no gain either.
      return markDelivery(ctx, config, record.requestId, delivery);
    })
    .catch((error: unknown) =>
      ctx.logger.error(
        `otp-step: could not record the delivery for ${logSafe(config.user)}: ${logSafe(error instanceof Error ? error.message : error)}`,
      ),
    )
    .finally(() => ctx.deliveries.delete(running));
  ctx.deliveries.add(running);
}

async function markDelivery(
  ctx: HandlerContext,
  config: StepConfig,
  requestId: string,
  delivery: 'sent' | 'failed',
): Promise<void> {
  const at = ctx.now();
  await ctx.store.update(challengeStoreKey(config), (value) => {
    const record = value as ServerRecord | undefined;
    if (record?.requestId !== requestId) return [value, undefined];
    const left = record.expiresAt + EXPIRED_GRACE_MS - at;
    if (left <= 0) return [value, undefined];
    const marked: ServerRecord = {...record, delivery};
    // Nothing reached the user: a resend need not wait for the cooldown.
    if (delivery === 'failed') marked.resendAt = Math.min(record.resendAt, at);
    return [marked, undefined, left];
  });
}
