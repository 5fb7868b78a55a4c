/**
 * The values each label may take. A caller chooses its client and step name,
 * and an attacker can choose a new one per request: every label value here
 * comes from a fixed set, so the series (and the memory behind them) stay
 * bounded whatever is sent.
 */
import type {OtpMetricsLabels} from './types.js';

/** What a value outside the integrator's list, or the fixed set, is counted as. */
export const OTHER = 'other';
/** A label the fact has no value for (an e-mail code's country). */
export const NONE = '';

/** How the handler maps what a request named to label values. */
export interface LabelBounds {
  client(client: string | undefined): string;
  step(stepName: string | undefined): string;
}

/**
 * `metricsLabels` checked at start-up: arrays of non-empty strings, nothing
 * else; a bad one stops the handler, naming what to change.
 */
export function labelBounds(option: OtpMetricsLabels | undefined): LabelBounds {
  if (option !== undefined && (typeof option !== 'object' || option === null))
    throw new Error(
      "otp-step: metricsLabels must be an object such as {clients: ['web'], steps: ['login']}",
    );
  const extra = Object.keys(option ?? {}).find((k) => k !== 'clients' && k !== 'steps');
  if (extra !== undefined)
    throw new Error(
      `otp-step: metricsLabels takes clients and steps only, not ${JSON.stringify(extra)}`,
    );
  const clients = listed(option?.clients, 'clients');
  const steps = listed(option?.steps, 'steps');
  return {
    client: (client) =>
      client === undefined ? NONE : clients.has(client) ? client : OTHER,
    step: (step) => (step === undefined ? NONE : steps.has(step) ? step : OTHER),
  };
}

function listed(values: unknown, name: 'clients' | 'steps'): Set<string> {
  if (values === undefined) return new Set();
  if (!Array.isArray(values))
    throw new Error(
      `otp-step: metricsLabels.${name} must be an array of the ${name === 'clients' ? 'client' : 'step'} names to count apart, such as ['${name === 'clients' ? 'web' : 'login'}']`,
    );
  const index = values.findIndex((v) => typeof v !== 'string' || v === '');
  if (index !== -1)
    throw new Error(
      `otp-step: metricsLabels.${name}[${index}] must be a non-empty string (it is ${JSON.stringify(values[index]) ?? String(values[index])})`,
    );
  return new Set(values as string[]);
}

/** Channels the handler sends on; anything else (none should come) is `other`. */
export const channelLabel = (channel: string | undefined): string =>
  channel === undefined
    ? NONE
    : channel === 'email' || channel === 'sms'
      ? channel
      : OTHER;

/**
 * The SMS number's country as libphonenumber parsed it (two capital letters,
 * or `+` and a calling code for numbers of no country); anything else is
 * `other`, so that even a country from elsewhere cannot widen the label.
 */
export const countryLabel = (country: string | undefined): string =>
  country === undefined
    ? NONE
    : /^(?:[A-Z]{2}|\+\d{1,4})$/.test(country)
      ? country
      : OTHER;

/** An answer's HTTP status as its class, the bounded label of the latency histograms. */
export const statusClass = (status: number): string =>
  status >= 200 && status < 600 ? `${Math.floor(status / 100)}xx` : OTHER;

/**
 * Reasons come from the handler's own problem codes and budgets, a short
 * fixed list today; bounded still, by shape and by count, so that a reason
 * built from outside (a later change, an app's error) cannot grow a metric.
 */
export function reasonVocabulary(max = 32): (reason: string | undefined) => string {
  const seen = new Set<string>();
  return (reason) => {
    if (reason === undefined) return NONE;
    if (seen.has(reason)) return reason;
    if (seen.size >= max || !/^[a-z][a-z0-9-]{0,47}$/.test(reason)) return OTHER;
    seen.add(reason);
    return reason;
  };
}
