import {html} from 'lit';
import type {StepState} from './flow/step-state.js';
import type {OtpStepMessages} from './messages/en.js';
import type {Format} from './messages/format.js';

/**
 * Retry, after a request failed in a way that trying again can mend, counting
 * down the wait the source asked for: beside the trigger, or in the dialog.
 */
export function retryButton(
  {retry, busy, now}: StepState,
  t: OtpStepMessages,
  f: Format,
  onClick: () => void,
) {
  const wait = retry ? Math.ceil((retry.at - now) / 1000) : 0;
  return html`<button
    type="button"
    part="retry"
    ?disabled=${busy || wait > 0}
    @click=${onClick}
  >
    ${wait > 0 ? t.retryIn(f.number(wait)) : t.retry}
  </button>`;
}
