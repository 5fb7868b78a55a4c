import type {StepConfig} from '../../src/step/step-config.js';
import type {HandlerContext} from '../handler-context.js';
import {NOTIFICATIONS_KEY} from '../keys.js';
import {logSafe} from '../log-safe.js';
import {problem} from '../problem.js';
import type {Issued} from './challenge.js';
import {takeWindow} from './limits.js';
import type {Refusal} from './refusal.js';
import type {Undo} from './undo.js';

/**
 * Stage 6, the notification: a place under the server's cap on notifications
 * (a guard against SMS pumping; decoys take one too, so that `busy` tells
 * nothing about a user), then `notify` for a known user. Refused as busy, the
 * windows go back (nothing was sent); once `notify` ran, they stay taken,
 * whatever it did.
 */
export async function sendNotification(
  ctx: HandlerContext,
  config: StepConfig,
  {record, code}: Issued,
  known: boolean,
  undo: Undo,
): Promise<Refusal | undefined> {
  const {limits} = ctx;
  const busy = await takeWindow(
    ctx,
    NOTIFICATIONS_KEY,
    limits.notificationsPerMinute,
    60_000,
    undo,
  );
  if (busy)
    return {
      refused: problem(503, 'busy', 'Too many codes are being sent; try again shortly.', {
        retryAfter: busy,
      }),
      windows: 'give back',
    };
  if (!known) return undefined;
  try {
    await ctx.notify({
      user: config.user,
      client: config.client,
      code,
      expiresAt: new Date(record.expiresAt),
      template: ctx.template,
      stepName: config.stepName,
      sourceStep: config.sourceStep,
      requestId: record.requestId,
    });
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
