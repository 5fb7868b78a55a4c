import {addressBucket} from '../client-address.js';
import type {OtpAnswer, OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {failuresKey, issuesByAccountKey, issuesByAddressKey} from '../keys.js';
import {rateLimited, sharedLimit} from '../problem.js';
import {OtpStoreFullError} from '../store.js';
import {giveBackToWindow, judgeableFrom, takeFromWindow} from '../throttle.js';
import type {Refusal} from './refusal.js';
import {humanCheck, type HumanCheck} from './human-check.js';
import type {IssueConfig} from './request.js';
import type {Undo} from './undo.js';

/**
 * Stage 3a, the limits that take nothing: a store too full for a new challenge
 * (503 busy, thrown), and an account whose back-off would keep the code from
 * being judged before it expires (no code is sent that could not be tried).
 */
export async function checkBackoff(
  ctx: HandlerContext,
  config: IssueConfig,
): Promise<OtpAnswer | undefined> {
  if (ctx.store.full) throw new OtpStoreFullError();
  const judgedFrom = judgeableFrom(
    await ctx.peek(failuresKey(config.account)),
    ctx.failurePolicy,
  );
  const tooEarly = judgedFrom - ctx.now() - config.lifetimeSeconds * 1000;
  if (tooEarly > 0)
    return rateLimited(
      Math.ceil(tooEarly / 1000),
      'after too many wrong codes for this user',
    );
  return undefined;
}

/** A place taken in an address's window, with the window's count once taken; undefined for a request with no address. */
export type AddressPlace = {retryAfter: number; count: number} | undefined;

/**
 * Stage 3c, first half: a place in the address's window (when the request
 * has an address), put on `undo`. Apart from the rest so that it can be taken
 * while the back-off is read (issue-code.ts): both are the request's own.
 */
export async function takeAddressWindow(
  ctx: HandlerContext,
  request: OtpRequest,
  undo: Undo,
): Promise<AddressPlace> {
  const address = ctx.clientAddress(request);
  if (!address) {
    ctx.warnOnce('no-address');
    return undefined;
  }
  const key = issuesByAddressKey(addressBucket(address));
  return takePlace(ctx, key, ctx.limits.issuesPerAddress, ctx.windowMs, undo);
}

/**
 * Stage 3c, the limits that take a place: the address's window (taken here,
 * or already by `takeAddressWindow`, given as `address.place`) and then the
 * account's, whose count it answers: an address refused never reaches the
 * account's window, so no one whose address is full can hold a victim's
 * places, even for a moment. Each place taken is put on `undo`.
 * An address past half its window is under suspicion: with `verifyHuman`, it
 * goes on only with a bot check passed (human-check.ts). The address's refusal
 * carries no Retry-After: many may share one address, and the wait would tell
 * an attacker filling it when to fire again.
 */
export async function takeIssueWindows(
  ctx: HandlerContext,
  request: OtpRequest,
  config: IssueConfig,
  undo: Undo,
  {
    human,
    humanToken,
    address,
  }: {human?: HumanCheck; humanToken?: string; address?: {place: AddressPlace}} = {},
): Promise<Refusal | {accountIssues: number}> {
  const {limits, windowMs} = ctx;
  const place = address ? address.place : await takeAddressWindow(ctx, request, undo);
  if (place) {
    if (place.retryAfter)
      return {refused: sharedLimit('from this address'), windows: 'give back'};
    if (place.count > limits.issuesPerAddress / 2) {
      const unproven = await (human ?? humanCheck(ctx)).require(request, humanToken);
      if (unproven) return {refused: unproven, windows: 'give back'};
    }
  }
  const key = issuesByAccountKey(config.account);
  const taken = await takePlace(ctx, key, limits.issuesPerWindow, windowMs, undo);
  if (taken.retryAfter)
    return {
      refused: rateLimited(taken.retryAfter, 'for this user'),
      windows: 'give back',
    };
  return {accountIssues: taken.count};
}

/**
 * Takes one place from a window of `max` per `ms`, putting its hand-back on
 * `undo`. Resolves to the seconds to wait, 0 when taken.
 */
export async function takeWindow(
  ctx: HandlerContext,
  key: string,
  max: number,
  ms: number,
  undo: Undo,
): Promise<number> {
  return (await takePlace(ctx, key, max, ms, undo)).retryAfter;
}

/** `takeWindow`, telling also the window's count once taken and when it ends. */
export async function takePlace(
  ctx: HandlerContext,
  key: string,
  max: number,
  ms: number,
  undo: Undo,
): Promise<{retryAfter: number; count: number; endsAt: number}> {
  const {store, now} = ctx;
  const taken = await store.update(key, (v) => takeFromWindow(v, max, ms, now()));
  if (!taken.retryAfter)
    undo.window(() => store.update(key, (v) => giveBackToWindow(v, taken.endsAt, now())));
  return taken;
}
