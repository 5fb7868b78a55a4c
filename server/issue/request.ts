import type {DeliveryChannel, IssueRequestBody} from '../../src/sources/protocol.js';
import {resolveStepConfig, type StepConfig} from '../../src/step/step-config.js';
import {OtpAnswer, type OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {CONFIG_DETAILS, problem} from '../problem.js';

/**
 * The step's parameters as the server runs them: `user` exactly as the app
 * names it, and `account`, the same user normalised, which only the limits'
 * keys use (two accounts of the app that normalise alike share limits, never
 * codes, notifications or tokens).
 */
export type IssueConfig = StepConfig & {account: string};

/** Longest user name, before and after normalisation (NFKC can make a name ~18× longer). */
const MAX_USER_LENGTH = 256;

/** An issue request once checked: the step's parameters, and its Idempotency-Key if any. */
export interface IssueRequest {
  config: IssueConfig;
  idempotencyKey: string | undefined;
  /** The channel the request asks for, if any. */
  channel: DeliveryChannel | undefined;
  /** A bot check's token, for a request under suspicion (human-check.ts). */
  humanToken?: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Stage 1, read and check the request: the JSON body, the step's parameters
 * (the user as given and its account, the server's own attempt and resend limits), the
 * lifetime and length the server allows, and the Idempotency-Key's shape.
 */
export async function checkIssueRequest(
  ctx: HandlerContext,
  request: OtpRequest,
): Promise<IssueRequest | OtpAnswer> {
  const {limits} = ctx;
  const parsed = await ctx.readBody(request);
  if (parsed instanceof OtpAnswer) return parsed;
  const body = issueBody(parsed);
  if (typeof body === 'string') return problem(400, 'invalid-request', body);
  const checked = resolveStepConfig({
    stepName: body.stepName,
    sourceStep: body.sourceStep,
    user: body.user,
    client: body.client,
    lifetime: body.lifetime,
    length: body.length,
    alphabet: body.alphabet,
    maxAttempts: limits.maxAttempts,
    resendAfter: limits.resendAfterSeconds,
    maxResends: limits.maxResends,
  });
  if (!checked.ok) return problem(400, checked.error, CONFIG_DETAILS[checked.error]);
  const account = ctx.normalize(checked.config.user);
  if (!account || account.length > MAX_USER_LENGTH)
    return problem(
      400,
      'invalid-request',
      `Send "user" as a name of at most ${MAX_USER_LENGTH} characters once normalised (NFKC, case-folded); this one is ${account ? account.length : 'empty'}.`,
    );
  const config: IssueConfig = {...checked.config, account};
  if (config.lifetimeSeconds > limits.maxLifetimeSeconds)
    return problem(
      400,
      'invalid-lifetime',
      `The lifetime must be at most ${limits.maxLifetimeSeconds} seconds.`,
    );
  if (config.length < limits.minLength)
    return problem(
      400,
      'invalid-length',
      `The code must have at least ${limits.minLength} characters.`,
    );
  const idempotencyKey = request.header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
    return problem(
      400,
      'invalid-request',
      'The Idempotency-Key must be 1 to 255 visible ASCII characters.',
    );
  return {config, idempotencyKey, channel: body.channel, humanToken: body.humanToken};
}

/** The issue request's fields with their defaults, or what to change. */
export function issueBody(
  value: unknown,
): (Omit<IssueRequestBody, 'alphabet'> & {alphabet: string}) | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The body must be a JSON object.';
  const body = value as Record<string, unknown>;
  const text = (name: string, fallback?: string) => {
    const v = Object.hasOwn(body, name) ? body[name] : fallback;
    return typeof v === 'string' && v.length <= MAX_USER_LENGTH ? v : undefined;
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
  const channel = Object.hasOwn(body, 'channel') ? body.channel : undefined;
  if (channel !== undefined && channel !== 'email' && channel !== 'sms')
    return 'Send "channel" as "email" or "sms", or leave it out.';
  const humanToken = Object.hasOwn(body, 'humanToken') ? body.humanToken : undefined;
  if (
    humanToken !== undefined &&
    (typeof humanToken !== 'string' || !humanToken || humanToken.length > 4096)
  )
    return 'Send "humanToken" as the bot check\'s token (1 to 4096 characters), or leave it out.';
  for (const [name, v] of Object.entries(fields))
    if (v === undefined)
      return name === 'lifetime' || name === 'length'
        ? `Send "${name}" as a number.`
        : `Send "${name}" as a string of at most 256 characters.`;
  return {...fields, channel, humanToken} as Omit<IssueRequestBody, 'alphabet'> & {
    alphabet: string;
  };
}
