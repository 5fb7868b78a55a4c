/**
 * The lifecycle as metrics: each fact adds one to its counter (catalog.ts),
 * under labels from fixed sets (labels.ts); answers and sends are timed into
 * the histograms. Never a user name, address, code or destination: no label
 * takes one.
 */
import type {
  LifecycleFact,
  LifecycleObserver,
  OtpOperation,
} from '../events/lifecycle.js';
import {COUNTERS, HISTOGRAMS, type CountedFact} from './catalog.js';
import {
  channelLabel,
  countryLabel,
  OTHER,
  reasonVocabulary,
  statusClass,
  type LabelBounds,
} from './labels.js';
import {seriesTree} from './series.js';
import type {Increment, MetricsBackend, Observe} from './types.js';

export function metricsObserver(
  backend: MetricsBackend,
  bounds: LabelBounds,
  /** Told when the backend throws; a throw never reaches the answer. */
  failed: (error: unknown) => void,
): LifecycleObserver {
  const counters = new Map<CountedFact, (values: readonly string[]) => Increment>();
  for (const type of Object.keys(COUNTERS) as CountedFact[])
    counters.set(type, seriesTree(backend.counter(COUNTERS[type])));
  const reasons = {
    delivery_failed: reasonVocabulary(),
    rejected: reasonVocabulary(),
    refused: reasonVocabulary(),
    authenticator_rejected: reasonVocabulary(),
  };
  const answers: Partial<Record<OtpOperation, (values: readonly string[]) => Observe>> = {
    issue: seriesTree(backend.histogram(HISTOGRAMS.issue)),
    confirm: seriesTree(backend.histogram(HISTOGRAMS.confirm)),
  };
  const sends = seriesTree(backend.histogram(HISTOGRAMS.send));

  /** The label values of `fact` for its counter, in the catalog's order. */
  function labelsOf(counted: CountedFact, fact: LifecycleFact): string[] {
    const client = bounds.client(fact.client);
    const step = bounds.step(fact.stepName);
    switch (counted) {
      case 'authenticator_confirmed':
        return [client, step, methodLabel(fact.method)];
      case 'authenticator_rejected':
        return [
          client,
          step,
          methodLabel(fact.method),
          reasons.authenticator_rejected(fact.reason),
        ];
      case 'recovery_used':
        return [client, step];
      case 'enrolled':
      case 'authenticator_removed':
        return [];
      case 'refused':
        return [fact.operation ?? '', reasons.refused(fact.reason), client, step];
      case 'unknown_user':
        return [client, step, channelLabel(fact.channel)];
      case 'delivery_failed':
      case 'rejected':
        return [
          client,
          step,
          channelLabel(fact.channel),
          countryLabel(fact.country),
          reasons[counted](fact.reason),
        ];
      default:
        return [client, step, channelLabel(fact.channel), countryLabel(fact.country)];
    }
  }

  const guarded =
    <A extends unknown[]>(run: (...args: A) => void) =>
    (...args: A) => {
      try {
        run(...args);
      } catch (error) {
        failed(error);
      }
    };

  return {
    fact: guarded((fact: LifecycleFact) => {
      // A decoy's wrong codes are an unknown user's: counted as that alone, never as a rejection.
      if (fact.decoy) return;
      const counted = countedAs(fact);
      const counter = counted && counters.get(counted);
      if (!counter) return;
      counter(labelsOf(counted, fact))();
      if (fact.sendSeconds !== undefined)
        sends([channelLabel(fact.channel)])(fact.sendSeconds);
    }),
    answered: guarded((operation: OtpOperation, status: number, seconds: number) =>
      answers[operation]?.([statusClass(status)])(seconds),
    ),
  };
}

/** The counter a fact adds to: an authenticator sign-in's judgement to its own, so sent codes' conversion stays theirs. */
function countedAs(fact: LifecycleFact): CountedFact | undefined {
  const byApp = fact.method !== undefined && fact.method !== 'code';
  if (byApp && fact.type === 'confirmed') return 'authenticator_confirmed';
  if (byApp && (fact.type === 'rejected' || fact.type === 'locked'))
    return 'authenticator_rejected';
  return Object.hasOwn(COUNTERS, fact.type) ? (fact.type as CountedFact) : undefined;
}

/** The sign-in's method as a label: one of a fixed set. */
const methodLabel = (method: string | undefined): string =>
  method === 'authenticator' || method === 'recovery-code' ? method : OTHER;
