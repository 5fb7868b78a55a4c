import {createHmac} from 'node:crypto';
import {parsePhoneNumberFromString, type PhoneNumber} from 'libphonenumber-js/max';
import type {OtpRequest} from '../exchange.js';
import type {HandlerContext, ServerRecord} from '../handler-context.js';
import {
  sendsToDestinationKey,
  trustedDestinationKey,
  unconfirmedByCountryKey,
} from '../keys.js';
import {giveBackToWindow, type WindowCount} from '../throttle.js';
import {decoyCountry} from './destination-hint.js';
import type {DeliveryPlan} from './delivery.js';
import type {HumanCheck} from './human-check.js';
import {takePlace} from './limits.js';
import type {Refusal} from './refusal.js';
import type {IssueConfig} from './request.js';
import {Undo} from './undo.js';
import type {LookedUp} from './user.js';

/** Why a code was not sent although the request was answered as if it were. */
export type SpendCut =
  'sms-country' | 'premium-rate' | 'sends-per-destination' | 'unconfirmed-per-country';

/** Where a send was counted, kept on its challenge so that confirming it can settle the counts. */
export interface SpendMark {
  /** The destination's keyed digest (never the number or address). */
  to: string;
  /** The SMS country whose budget it was counted under, and when that window ends. */
  country?: string;
  countedUntil?: number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Stage 4b, the spend: the budgets where messages cost, after the user is
 * looked up and before anything is written. Nothing here counts a request that
 * sends nothing (a decoy, a test user, a user with no destination), so no
 * flood of made-up names can use up anyone's budget, and no budget is the
 * server's as a whole, so no one can fill one for everyone:
 *
 * - per destination, `sendsPerDestination` per `windowSeconds`;
 * - SMS only: no premium-rate number (by libphonenumber's metadata) is sent
 *   to; the number's country must be in `smsCountries` (when given), and
 *   its codes sent but not confirmed stay under `unconfirmedPerCountry` an
 *   hour: confirmations hand their place back, so a country whose users
 *   confirm is never cut, and one flooded by a pumping attack is (Twilio's
 *   Fraud Guard and authgear's fraud protection work this way). A destination
 *   that confirmed a code in the last `trustedDestinationDays` is exempt.
 *
 * A request cut by a budget is answered as if sent (the plan's `cut`): the
 * answer tells the attacker nothing, the status says `failed`, the log says
 * why. With `authenticate` (where the caller holds the first factor, so the
 * answer is no oracle of who exists), a country past half its budget asks for
 * the bot check first.
 */
export async function takeSpend(
  ctx: HandlerContext,
  request: OtpRequest,
  config: IssueConfig,
  looked: LookedUp,
  plan: DeliveryPlan,
  {
    undo,
    human,
    humanToken,
    accountIssues,
  }: {undo: Undo; human: HumanCheck; humanToken?: string; accountIssues: number},
): Promise<DeliveryPlan | Refusal> {
  const {channel} = plan;
  const to =
    channel === 'email'
      ? looked.destination.email?.toLowerCase()
      : channel === 'sms'
        ? looked.destination.phone
        : undefined;
  const {limits, windowMs} = ctx;
  const cut = (why: SpendCut, country?: string): DeliveryPlan => ({
    ...plan,
    cut: why,
    country,
  });
  const digestOf = (text: string) =>
    createHmac('sha256', ctx.destinationKey)
      .update(text)
      .digest('base64url')
      .slice(0, 22);
  // A decoy is cut where a real destination would be, by its name's own count
  // in the account window (no one's budget, and no key more), and, on SMS, as
  // the country of its hint would be (read, never counted): else the sixth
  // request in a window, or a flooded country, would tell a user (status
  // failed) from a made-up name (sent).
  if (!looked.known) {
    if (accountIssues > limits.sendsPerDestination) return cut('sends-per-destination');
    if (channel !== 'sms' || !ctx.notifier) return plan;
    const pretended = decoyCountry(ctx.hintKey, config.account);
    if (ctx.smsCountries && !ctx.smsCountries.has(pretended)) return cut('sms-country');
    const window = (await ctx.peek(unconfirmedByCountryKey(pretended))) as
      WindowCount | undefined;
    const spent = !!window && window.endsAt > ctx.now();
    return spent && window.count >= limits.unconfirmedPerCountry
      ? cut('unconfirmed-per-country')
      : plan;
  }
  if (!plan.sends || !to || ctx.testUsers.has(config.account)) return plan;
  const digest = digestOf(`${channel}:${to}`);

  const number = channel === 'sms' ? parsePhoneNumberFromString(to) : undefined;
  const country = number && countryOfParsed(number);
  if (channel === 'sms' && ctx.smsCountries && !ctx.smsCountries.has(country ?? ''))
    return cut('sms-country', country);
  // No one signs in on a premium-rate line; sending there is what pumping is paid by.
  if (number?.getType() === 'PREMIUM_RATE') return cut('premium-rate', country);

  const taken = new Undo();
  const destination = await takePlace(
    ctx,
    sendsToDestinationKey(digest),
    limits.sendsPerDestination,
    windowMs,
    taken,
  );
  if (destination.retryAfter) return cut('sends-per-destination', country);
  const mark: SpendMark = {to: digest};

  if (country && !(await ctx.peek(trustedDestinationKey(digest)))) {
    const counted = await takePlace(
      ctx,
      unconfirmedByCountryKey(country),
      limits.unconfirmedPerCountry,
      HOUR_MS,
      taken,
    );
    if (counted.retryAfter) {
      // Nothing goes out: the destination's place goes back with the refusal.
      await taken.handBack('give back');
      return cut('unconfirmed-per-country', country);
    }
    if (ctx.options.authenticate && counted.count > limits.unconfirmedPerCountry / 2) {
      const unproven = await human.require(request, humanToken);
      if (unproven) {
        await taken.handBack('give back');
        return {refused: unproven, windows: 'give back'};
      }
    }
    mark.country = country;
    mark.countedUntil = counted.endsAt;
  }
  undo.absorb(taken);
  return {...plan, spend: mark, country};
}

/**
 * The number's country (ISO 3166-1 alpha-2) by libphonenumber's metadata, or,
 * for a number of no country (+881 satellite, +800 freephone), its calling
 * code: every number is counted under some budget.
 */
export function countryOf(phone: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone);
  return parsed && countryOfParsed(parsed);
}

const countryOfParsed = (parsed: PhoneNumber) =>
  parsed.country ?? `+${parsed.countryCallingCode}`;

/**
 * On confirmation: the destination is trusted for `trustedDestinationDays`,
 * and its country's place goes back, so a country whose users confirm is
 * never cut.
 */
export async function settleSpend(
  ctx: HandlerContext,
  record: ServerRecord,
): Promise<void> {
  const {spend} = record;
  if (!spend) return;
  const {store, now, limits} = ctx;
  const days = limits.trustedDestinationDays;
  if (days > 0)
    await store.update(trustedDestinationKey(spend.to), () => [
      1,
      undefined,
      days * 24 * HOUR_MS,
    ]);
  if (spend.country && spend.countedUntil)
    await store.update(unconfirmedByCountryKey(spend.country), (v) =>
      giveBackToWindow(v, spend.countedUntil!, now()),
    );
}
