import {css} from 'lit';

/*
 * Design tokens are read with fallbacks and never set on :host, so a page can
 * theme every element at once from :root.
 */
export const styles = css`
  :host {
    display: inline-block;
    font: var(--otp-step-font, inherit);
    color: var(--otp-step-color, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  button {
    font: inherit;
    padding: var(--otp-step-button-padding, 0.4em 0.9em);
    border-radius: var(--otp-step-radius, 6px);
    border: 1px solid var(--otp-step-border-color, #8a8f98);
    background: var(--otp-step-button-background, transparent);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  [part='confirm'] {
    background: var(--otp-step-accent, #1f5fbf);
    border-color: var(--otp-step-accent, #1f5fbf);
    color: var(--otp-step-on-accent, #fff);
  }
  [part='error'] {
    color: var(--otp-step-error-color, #b3261e);
  }
  p {
    margin: var(--otp-step-gap, 8px) 0;
  }
  p:empty {
    display: none;
  }
  dialog {
    max-width: min(28rem, calc(100vw - 2rem));
    padding: var(--otp-step-dialog-padding, 1.25rem);
    border: 1px solid var(--otp-step-border-color, #8a8f98);
    border-radius: var(--otp-step-dialog-radius, 12px);
    background: var(--otp-step-background, Canvas);
    color: var(--otp-step-color, CanvasText);
  }
  dialog::backdrop {
    background: var(--otp-step-backdrop, rgb(0 0 0 / 0.45));
  }
  h2 {
    margin: 0 0 var(--otp-step-gap, 8px);
    font-size: 1.2em;
  }
  [part='test-code'] {
    display: flex;
    align-items: center;
    gap: var(--otp-step-gap, 8px);
    padding: var(--otp-step-gap, 8px);
    border: 1px dashed var(--otp-step-border-color, #8a8f98);
    border-radius: var(--otp-step-radius, 6px);
  }
  [part='code'] {
    font-family: var(--otp-step-code-font, ui-monospace, monospace);
    font-size: 1.4em;
    letter-spacing: 0.15em;
  }
  label {
    display: block;
    margin-top: var(--otp-step-gap, 8px);
  }
  input {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    font-family: var(--otp-step-code-font, ui-monospace, monospace);
    font-size: 1.3em;
    letter-spacing: 0.2em;
    padding: 0.3em 0.5em;
    border-radius: var(--otp-step-radius, 6px);
    border: 1px solid var(--otp-step-border-color, #8a8f98);
  }
  input[aria-invalid='true'] {
    border-color: var(--otp-step-error-color, #b3261e);
  }
  progress {
    width: 100%;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--otp-step-gap, 8px);
    justify-content: flex-end;
  }
`;
