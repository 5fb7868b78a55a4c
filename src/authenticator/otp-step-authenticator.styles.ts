import {css} from 'lit';
import {entryStyles} from '../dialog/entry.styles.js';

/** The authenticator's view, in its own shadow root, under the dialog's title. */
export const authenticatorStyles = [
  entryStyles,
  css`
    :host {
      display: block;
    }
    /* Dark on light in both schemes, with its quiet zone (4 modules, ISO/IEC
     18004 §6.3.8) light too: a camera reads a dark-mode QR code badly. */
    [part~='qr'] {
      display: block;
      box-sizing: border-box;
      width: min(13rem, 100%);
      aspect-ratio: 1;
      margin: var(--_gap) auto;
      background: #fff;
      border-radius: var(--_radius);
    }
    [part~='qr'] path {
      fill: #000;
    }
    [part~='secret'] {
      display: block;
      font-family: var(--otp-step-code-font, ui-monospace, monospace);
      font-size: 1.05em;
      letter-spacing: 0.05em;
      /* Four groups of four a line (two lines for the usual 160 bits), breaking
       only between groups; narrower screens break sooner. */
      max-inline-size: 22ch;
      overflow-wrap: normal;
      word-spacing: 0.2em;
      text-align: center;
    }
    .secret {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: var(--_gap);
      padding: var(--_gap);
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
    }
    [part~='recovery-codes'] {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(8.5em, 1fr));
      gap: 0.25em var(--_gap);
      margin: var(--_gap) 0;
      padding: var(--_gap);
      border: 1px dashed var(--_border);
      border-radius: var(--_radius);
      list-style: none;
      font-family: var(--otp-step-code-font, ui-monospace, monospace);
      text-align: center;
    }
    /* A button that reads as a link: it changes the entry, it goes nowhere. */
    [part~='switch-entry'] {
      padding: 0;
      border: 0;
      color: var(--_accent);
      text-decoration: underline;
    }
    [part~='download'] {
      display: inline-block;
      padding: var(--otp-step-button-padding, 0.4em 0.9em);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      color: inherit;
      text-decoration: none;
    }
    [part~='download']:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 2px;
    }
    [part~='done'] {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_on-accent);
    }
  `,
];
