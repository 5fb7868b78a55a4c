import {css} from 'lit';
import {tokens} from './styles/shared.styles.js';

/*
 * The trigger and what is said beside it. The dialog styles itself
 * (dialog/otp-step-dialog.styles.ts), loaded with it; so does the code entry.
 */
export const styles = [
  tokens,
  css`
    :host {
      display: inline-block;
      font: var(--otp-step-font, inherit);
      color: var(--otp-step-color, inherit);
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
    :host(:state(confirmed)) [part~='trigger'] {
      border-color: var(--_success);
      color: var(--_success);
      cursor: default;
    }
    /* A check mark drawn with borders: no text for a screen reader to read out. */
    :host(:state(confirmed)) [part~='trigger']::before {
      content: '';
      display: inline-block;
      width: 0.3em;
      height: 0.6em;
      margin-inline: 0.1em 0.55em;
      border: solid currentColor;
      border-width: 0 0.14em 0.14em 0;
      transform: translateY(-0.15em) rotate(45deg);
    }
    [part~='status'] {
      color: var(--_success);
    }
    [part~='error'] {
      color: var(--_error);
    }
    [part~='error']:not(:empty) {
      padding-inline-start: 0.6em;
      border-inline-start: 3px solid;
    }
  `,
];
