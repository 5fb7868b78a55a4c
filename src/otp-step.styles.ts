import {css} from 'lit';

/*
 * Design tokens are read with fallbacks and never set on :host, so a page can
 * theme every element at once from :root. Private values (--_*) only carry the
 * size and colour choices made here. What the dialog needs is in
 * dialog/step-dialog.styles.ts, loaded with the dialog; the code entry styles itself
 * (input/otp-input.styles.ts).
 */
export const styles = css`
  :host {
    display: inline-block;
    font: var(--otp-step-font, inherit);
    color: var(--otp-step-color, inherit);
    --_accent: var(--otp-step-accent, light-dark(#1f5fbf, #8ab4f8));
    --_on-accent: var(--otp-step-on-accent, light-dark(#fff, #0b1d3a));
    --_error: var(--otp-step-error-color, light-dark(#b3261e, #ff7b72));
    --_border: var(--otp-step-border-color, light-dark(#6f7580, #9aa0a8));
    --_gap: var(--otp-step-gap, 8px);
    --_radius: var(--otp-step-radius, 6px);
  }
  :host([hidden]) {
    display: none;
  }
  :host([size='small']) {
    font-size: 0.875em;
  }
  :host([size='large']) {
    font-size: 1.125em;
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
  [part~='confirm'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  /* A code on its way: the trigger turns busy (a second click gets the same code). */
  [part~='trigger'][aria-busy='true'] {
    cursor: progress;
  }
  [part~='trigger'][aria-busy='true']::after {
    content: '';
    display: inline-block;
    width: 0.8em;
    height: 0.8em;
    margin-inline-start: 0.5em;
    vertical-align: -0.1em;
    border: 2px solid currentColor;
    border-inline-end-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='trigger'][aria-busy='true']::after {
      animation: none;
    }
  }
  [part~='error'] {
    color: var(--_error);
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
