import {css} from 'lit';

/** The dialog, the code entry and the countdown: adopted when the dialog's code loads. */
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
