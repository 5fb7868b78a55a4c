import {css} from 'lit';
import {entryStyles} from './entry.styles.js';

/**
 * The dialog and its countdown, in the dialog's own shadow root. The code entry
 * styles itself; the authenticator's view takes the entry's styles above.
 *
 * The dialog sets no color-scheme of its own: it inherits the page's (through
 * the host), so a page that says `color-scheme: light` gets a light dialog on a
 * dark system, and one that says `light dark` (or the meta tag) follows the
 * system. A page that says nothing computes to `normal`, which CSS alone cannot
 * tell from `light`; the dialog's `system-scheme` class (set on opening when
 * the page declares nothing) makes it follow the system there too.
 */
export const dialogStyles = [
  entryStyles,
  css`
    /* Takes no room of its own beside the trigger: only its modal is ever seen. */
    :host {
      display: contents;
    }
    dialog.system-scheme {
      color-scheme: light dark;
    }
    dialog {
      /* The width includes padding and border: at 375px the dialog used to be 385px. */
      box-sizing: border-box;
      width: min(var(--otp-step-dialog-width, 30rem), 100% - 2rem);
      max-width: none;
      max-height: calc(100% - 2rem);
      padding: var(--otp-step-dialog-padding, 1.25rem);
      border: 1px solid var(--_border);
      border-radius: var(--otp-step-dialog-radius, 12px);
      background: var(--otp-step-background, Canvas);
      color: var(--otp-step-color, CanvasText);
      /* A long user name or word wraps rather than widening the dialog. */
      overflow-wrap: anywhere;
    }
    /* A phone: a bottom sheet, the full width, within reach of the thumb. */
    @media (max-width: 30rem) {
      dialog {
        width: 100%;
        max-height: calc(100% - 1rem);
        margin: auto 0 0;
        border-width: 1px 0 0;
        border-radius: var(--otp-step-dialog-radius, 12px)
          var(--otp-step-dialog-radius, 12px) 0 0;
        padding-block-end: max(
          var(--otp-step-dialog-padding, 1.25rem),
          env(safe-area-inset-bottom)
        );
      }
    }
    /* Laid out once before the first open, unseen and out of the way (warmUp). */
    dialog.warming {
      display: block;
      position: fixed;
      visibility: hidden;
      pointer-events: none;
    }
    /* The countdown's lines keep their room when empty (a wrong code, an expired
     or locked code), so the dialog's height, and its centred title, stay put. */
    dialog [part~='timer']:empty,
    dialog [part~='attempts']:empty {
      display: block;
    }
    dialog [part~='timer'],
    dialog [part~='attempts'] {
      min-height: 1lh;
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
    progress {
      width: 100%;
      accent-color: var(--_accent);
    }
  `,
];
