import {css} from 'lit';

/*
 * What the step and its dialog both draw with, each in its own shadow root.
 * Design tokens are read with fallbacks and never set on :host, so a page can
 * theme every element at once from :root; the private values (--_*) only carry
 * the choices made here.
 */
export const tokens = css`
  :host {
    --_accent: var(--otp-step-accent, light-dark(#1f5fbf, #8ab4f8));
    --_on-accent: var(--otp-step-on-accent, light-dark(#fff, #0b1d3a));
    --_error: var(--otp-step-error-color, light-dark(#b3261e, #ff7b72));
    --_success: var(--otp-step-success-color, light-dark(#1a7f37, #3fb950));
    --_border: var(--otp-step-border-color, light-dark(#6f7580, #9aa0a8));
    --_gap: var(--otp-step-gap, 8px);
    --_radius: var(--otp-step-radius, 6px);
  }
  button {
    font: inherit;
    padding: var(--otp-step-button-padding, 0.4em 0.9em);
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--otp-step-button-background, transparent);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  [part~='retry'] {
    margin-block: var(--_gap);
    border-color: var(--_accent);
    color: var(--_accent);
  }
  [part~='retry']:disabled {
    border-color: var(--_border);
    color: inherit;
  }
  p {
    margin: var(--_gap) 0;
  }
  p:empty {
    display: none;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
