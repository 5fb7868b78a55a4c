import type {StepConfig} from '../../src/step/step-config.js';
import type {HandlerContext} from '../handler-context.js';
import {logSafe} from '../log-safe.js';
import {problem} from '../problem.js';
import type {OtpNotification} from '../options.js';
import type {Issued} from './challenge.js';
import {deliverInBackground, languageOf, type DeliveryPlan} from './delivery.js';
import type {Refusal} from './refusal.js';
import type {Undo} from './undo.js';
import type {LookedUp} from './user.js';

/**
 * Stage 6, the notification: the sending for a known user. A notifier sends
 * behind the answer (delivery.ts); a `notify` function is awaited, as before.
 * Test users and decoys are sent nothing. Once sending started, the windows
 * stay taken, whatever it did.
 */
export async function sendNotification(
  ctx: HandlerContext,
  config: StepConfig,
  {record, code}: Issued,
  looked: LookedUp,
  _undo: Undo,
  {plan, acceptLanguage}: {plan?: DeliveryPlan; acceptLanguage?: string} = {},
): Promise<Refusal | undefined> {
  if (looked.known && ctx.testUsers.has(config.user)) {
    ctx.logger.info(
      `otp-step: test-user sign-in for ${logSafe(config.user)}: nothing sent`,
    );
    return undefined;
  }
  if (!looked.known || (plan && !plan.sends)) return undefined;
  const {email, phone} = looked.destination;
  const notification: OtpNotification = {
    user: config.user,
    account: config.user,
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
  if (ctx.notifier && plan?.channel) {
    deliverInBackground(ctx, config, record, {
      ...notification,
      channel: plan.channel,
      destinationHint: plan.destinationHint ?? '',
    });
    return undefined;
  }
  try {
    await ctx.notify(notification);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.logger.error(
      `otp-step: notify failed for ${logSafe(config.user)}: ${logSafe(reason.split(code).join('[code]'))}`,
    );
    return {
      refused: problem(502, 'notification-failed', 'The code could not be sent; retry.'),
      windows: 'keep',
    };
  }
}
