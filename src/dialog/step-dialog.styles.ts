import {css} from 'lit';

/** The dialog and the countdown: adopted when the dialog's code loads. The code entry styles itself. */
export const dialogStyles = css`
  dialog {
    color-scheme: light dark;
    max-width: min(30rem, calc(100vw - 2rem));
    padding: var(--otp-step-dialog-padding, 1.25rem);
    border: 1px solid var(--_border);
    border-radius: var(--otp-step-dialog-radius, 12px);
    background: var(--otp-step-background, Canvas);
    color: var(--otp-step-color, CanvasText);
  }
  /* Laid out once before the first open, unseen and out of the way (warmUp). */
  dialog.warming {
    display: block;
    position: fixed;
    visibility: hidden;
    pointer-events: none;
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
  /* The step's tokens, passed on to the code entry under its own names. A token
     the page did not set leaves the entry's default in place. */
  otp-input {
    display: block;
    margin-block: var(--_gap);
    --otp-input-accent: var(--otp-step-accent);
    --otp-input-background: var(--otp-step-background);
    --otp-input-color: var(--otp-step-color);
    --otp-input-border-color: var(--otp-step-border-color);
    --otp-input-error-color: var(--otp-step-error-color);
    --otp-input-radius: var(--otp-step-radius);
    --otp-input-gap: var(--otp-step-gap);
    --otp-input-code-font: var(--otp-step-code-font);
    --otp-input-box-size: var(--otp-step-box-size);
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
`;
