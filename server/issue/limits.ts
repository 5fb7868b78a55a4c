import {addressBucket} from '../client-address.js';
import type {OtpAnswer, OtpRequest} from '../exchange.js';
import type {HandlerContext} from '../handler-context.js';
import {failuresKey, issuesByAccountKey, issuesByAddressKey} from '../keys.js';
import {rateLimited, sharedLimit} from '../problem.js';
import {OtpStoreFullError} from '../store.js';
import {
  giveBackToWindow,
  judgeableFrom,
  takeFromWindow,
  type WindowCount,
} from '../throttle.js';
import type {Refusal} from './refusal.js';
import {humanCheck, type HumanCheck} from './human-check.js';
import type {IssueConfig} from './request.js';
import {Undo} from './undo.js';

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

/** A place taken early in the account's window, on an undo list of its own (`takeAccountEarly`). */
export interface EarlyAccountPlace {
  taken: {retryAfter: number; count: number; endsAt: number};
  undo: Undo;
}

/**
 * The account's place, taken at once with the address's (one round trip less
 * on a network store) only where this process knows the address's window has
 * room: its store recalls the window (what this process last wrote or read
 * there) under half of `issuesPerAddress`, so the address will neither refuse
 * nor ask for a bot check. Elsewhere (an address not seen lately, one near its
 * limit, a store that recalls nothing) undefined: the account's place waits
 * for the address's verdict, so no one at a full address holds a victim's
 * places even for a moment. Should the recall be stale (another instance
 * filled the window meanwhile), the place goes back at once (`takeIssueWindows`).
 */
export function takeAccountEarly(
  ctx: HandlerContext,
  request: OtpRequest,
  config: IssueConfig,
): Promise<EarlyAccountPlace> | undefined {
  const address = ctx.store.recall && ctx.clientAddress(request);
  if (!address) return undefined;
  const window = ctx.store.recall!(issuesByAddressKey(addressBucket(address))) as
    WindowCount | undefined;
  const now = ctx.now();
  if (
    !window ||
    !(window.endsAt > now) ||
    window.count + 1 > ctx.limits.issuesPerAddress / 2
  )
    return undefined;
  const undo = new Undo();
  return takePlace(
    ctx,
    issuesByAccountKey(config.account),
    ctx.limits.issuesPerWindow,
    ctx.windowMs,
    undo,
  ).then((taken) => ({taken, undo}));
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
    early,
  }: {
    human?: HumanCheck;
    humanToken?: string;
    address?: {place: AddressPlace};
    /** The account's place if `takeAccountEarly` took it beside the address's. */
    early?: EarlyAccountPlace;
  } = {},
): Promise<Refusal | {accountIssues: number}> {
  const {limits, windowMs} = ctx;
  const place = address ? address.place : await takeAddressWindow(ctx, request, undo);
  if (place && (place.retryAfter || place.count > limits.issuesPerAddress / 2) && early) {
    // The recall was stale: the account's place goes back before anything waits.
    await early.undo.handBack('give back');
    early = undefined;
  }
  if (place) {
    if (place.retryAfter)
      return {refused: sharedLimit('from this address'), windows: 'give back'};
    if (place.count > limits.issuesPerAddress / 2) {
      const unproven = await (human ?? humanCheck(ctx)).require(request, humanToken);
      if (unproven) return {refused: unproven, windows: 'give back'};
    }
  }
  const key = issuesByAccountKey(config.account);
  if (early) undo.absorb(early.undo);
  const taken =
    early?.taken ?? (await takePlace(ctx, key, limits.issuesPerWindow, windowMs, undo));
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
