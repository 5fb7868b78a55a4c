import {css} from 'lit';

/*
 * Design tokens are read with fallbacks and never set on :host, so a page can
 * theme every element at once from :root. Private values (--_*) only carry the
 * size and colour choices made here.
 */
export const styles = css`
  :host {
    display: inline-block;
    font: var(--otp-step-font, inherit);
    color: var(--otp-step-color, inherit);
    --_box: var(--otp-step-box-size, 2.6em);
    --_accent: var(--otp-step-accent, light-dark(#1f5fbf, #8ab4f8));
    --_on-accent: var(--otp-step-on-accent, light-dark(#fff, #0b1d3a));
    --_error: var(--otp-step-error-color, light-dark(#b3261e, #f2b8b5));
    --_border: var(--otp-step-border-color, light-dark(#6f7580, #9aa0a8));
    --_gap: var(--otp-step-gap, 8px);
    --_radius: var(--otp-step-radius, 6px);
  }
  :host([hidden]) {
    display: none;
  }
  :host([size='small']) {
    --_box: var(--otp-step-box-size, 2.1em);
    font-size: 0.875em;
  }
  :host([size='large']) {
    --_box: var(--otp-step-box-size, 3.2em);
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
  dialog {
    color-scheme: light dark;
    max-width: min(30rem, calc(100vw - 2rem));
    padding: var(--otp-step-dialog-padding, 1.25rem);
    border: 1px solid var(--_border);
    border-radius: var(--otp-step-dialog-radius, 12px);
    background: var(--otp-step-background, Canvas);
    color: var(--otp-step-color, CanvasText);
  }
  dialog::backdrop {
    background: var(--otp-step-backdrop, rgb(0 0 0 / 0.45));
  }
  h2 {
    margin: 0 0 var(--_gap);
    font-size: 1.2em;
  }
  [part~='test-code'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
    padding: var(--_gap);
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
  }
  [part~='code'] {
    font-family: var(--otp-step-code-font, ui-monospace, monospace);
    font-size: 1.4em;
    letter-spacing: 0.15em;
  }
  label {
    display: block;
    margin-top: var(--_gap);
  }
  /* The input lies over the boxes, transparent, so taps, long-press paste and
     autofill reach a real text field while the boxes show what it holds. */
  [part~='entry'] {
    position: relative;
    display: inline-block;
    margin-block: var(--_gap);
  }
  input {
    position: absolute;
    inset: 0;
    z-index: 1;
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    margin: 0;
    padding: 0;
    border: 0;
    outline: none;
    background: transparent;
    color: transparent;
    caret-color: transparent;
    font-size: 16px; /* 16px keeps iOS from zooming in on focus */
    letter-spacing: calc(var(--_box) - 1ch);
  }
  input::selection {
    background: transparent;
  }
  input:disabled {
    cursor: not-allowed;
  }
  [part~='boxes'] {
    display: flex;
    gap: calc(var(--_box) / 5);
  }
  [part~='box'] {
    position: relative;
    display: grid;
    place-items: center;
    box-sizing: border-box;
    width: var(--_box);
    height: calc(var(--_box) * 1.2);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--otp-step-background, Canvas);
    font-family: var(--otp-step-code-font, ui-monospace, monospace);
    font-size: calc(var(--_box) / 2);
  }
  input:focus-visible ~ [part~='boxes'] [part~='box-active'],
  input:focus ~ [part~='boxes'] [part~='box-active'] {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  input[aria-invalid='true'] ~ [part~='boxes'] [part~='box'] {
    border-color: var(--_error);
  }
  input:disabled ~ [part~='boxes'] [part~='box'] {
    opacity: 0.6;
  }
  [part~='caret'] {
    display: none;
    position: absolute;
    width: 2px;
    height: 50%;
    background: currentColor;
    animation: blink 1.1s step-end infinite;
  }
  [part~='box-filled'] [part~='caret'] {
    inset-inline-start: 15%;
  }
  input:focus ~ [part~='boxes'] [part~='caret'] {
    display: block;
  }
  @keyframes blink {
    50% {
      opacity: 0;
    }
  }
  progress {
    width: 100%;
    accent-color: var(--_accent);
  }
  [part~='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    justify-content: flex-end;
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='caret'] {
      animation: none;
    }
  }
  @media (forced-colors: active) {
    [part~='box'] {
      border-color: CanvasText;
    }
    input:focus ~ [part~='boxes'] [part~='box-active'] {
      outline-color: Highlight;
    }
    [part~='caret'] {
      background: CanvasText;
    }
    input[aria-invalid='true'] ~ [part~='boxes'] [part~='box'] {
      border-style: dashed;
    }
  }
`;
