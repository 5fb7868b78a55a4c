import {html} from 'lit';
import type {StepState} from './flow/step-state.js';
import type {TriggerMessages} from './messages/en-trigger.js';
import type {Format} from './messages/format.js';

/**
 * Retry, after a request failed in a way that trying again can mend, counting
 * down the wait the source asked for: beside the trigger, or in the dialog.
 */
export function retryButton(
  {retry, busy, now}: StepState,
  t: Pick<TriggerMessages, 'retry' | 'retryIn'>,
  /** Needed only to count down a wait, which a run that loaded it asked for. */
  f: Format | undefined,
  onClick: () => void,
) {
  const wait = retry ? Math.ceil((retry.at - now) / 1000) : 0;
  return html`<button
    type="button"
    part="retry"
    ?disabled=${busy || wait > 0}
    @click=${onClick}
  >
    ${wait > 0 && f ? t.retryIn(f.number(wait)) : t.retry}
  </button>`;
}
