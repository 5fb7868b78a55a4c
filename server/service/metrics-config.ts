import type {OtpMetricsLabels} from '../metrics/types.js';
import {ConfigError} from './config-error.js';

/** A value the label lists may hold: what reads well in a dashboard, nothing a caller could smuggle markup into. */
const LABEL_VALUE = /^[\w.:-]{1,64}$/;

/**
 * OTP_METRICS_CLIENTS and OTP_METRICS_STEPS (comma-separated) as
 * `metricsLabels`, refusing in one line what cannot work: a list without
 * OTP_METRICS_PORT (nothing would show it), and `other`, which is what every
 * unlisted value becomes (listing it would merge a real client into the rest).
 */
export function metricsLabelsOf(
  list: (name: string) => string[],
  metricsPortSet: boolean,
): OtpMetricsLabels | undefined {
  const labels: OtpMetricsLabels = {};
  for (const [name, key] of [
    ['OTP_METRICS_CLIENTS', 'clients'],
    ['OTP_METRICS_STEPS', 'steps'],
  ] as const) {
    const values = list(name);
    if (!values.length) continue;
    if (!metricsPortSet)
      throw new ConfigError(`${name} labels the metrics: set OTP_METRICS_PORT too`);
    const wrong = values.find((v) => v === 'other' || !LABEL_VALUE.test(v));
    if (wrong !== undefined)
      throw new ConfigError(
        `${name} holds ${JSON.stringify(wrong)}: list names of 1 to 64 letters, digits, '.', ':', '_' or '-', separated by commas, other than "other"`,
      );
    labels[key] = values;
  }
  return labels.clients || labels.steps ? labels : undefined;
}
