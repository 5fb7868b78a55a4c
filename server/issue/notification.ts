import type {HandlerContext} from '../handler-context.js';
import {logSafe} from '../log-safe.js';
import type {OtpNotification} from '../options.js';
import type {Issued} from './challenge.js';
import {deliverInBackground, languageOf, type DeliveryPlan} from './delivery.js';
import type {IssueConfig} from './request.js';
import type {SpendCut} from './spend.js';
import type {LookedUp} from './user.js';

const CUT_REASONS: Record<SpendCut, string> = {
  'sms-country': 'the number is in a country not in smsCountries',
  'premium-rate': 'the number is a premium-rate one',
  'sends-per-destination': 'sendsPerDestination reached for this destination',
  'unconfirmed-per-country': "unconfirmedPerCountry reached for this number's country",
};

/**
 * Stage 6, the notification: the sending for a known user, behind the answer
 * (delivery.ts), through a notifier or a `notify` function alike.
 * Test users and decoys are sent nothing. Nothing here refuses: once the
 * challenge is written the request is answered 201, whatever the send does.
 */
export async function sendNotification(
  ctx: HandlerContext,
  config: IssueConfig,
  {record, code}: Issued,
  looked: LookedUp,
  {plan, acceptLanguage}: {plan?: DeliveryPlan; acceptLanguage?: string} = {},
): Promise<void> {
  if (looked.known && ctx.testUsers.has(config.account)) {
    ctx.logger.info(
      `otp-step: test-user sign-in for ${logSafe(config.user)}: nothing sent`,
    );
    return;
  }
  if (!looked.known || (plan && !plan.sends)) return;
  if (plan?.cut) {
    // Counted where operators look: the log (and the metrics, once there are any).
    ctx.logger.warn(
      `otp-step: not sent to ${logSafe(plan.destinationHint ?? '')} for ${logSafe(config.user)}: ${CUT_REASONS[plan.cut]} (${plan.cut})`,
    );
    return;
  }
  const {email, phone} = looked.destination;
  const notification: OtpNotification = {
    user: config.user,
    account: config.account,
    client: config.client,
    code,
    expiresAt: new Date(record.expiresAt),
    template: ctx.template,
    stepName: config.stepName,
    sourceStep: config.sourceStep,
    requestId: record.requestId,
    to: {...(email && {email}), ...(phone && {phone})},
    language: languageOf(looked.destination, acceptLanguage),
  };
  if (plan?.channel) {
    notification.channel = plan.channel;
    notification.destinationHint = plan.destinationHint;
  }
  deliverInBackground(ctx, config, record, notification);
}
