import {css} from 'lit';
import {tokens} from '../styles/shared.styles.js';

/**
 * The code entry, its message line and the row of buttons: the dialog's, and
 * the authenticator's (otp-step-authenticator.ts), each in its own shadow root.
 */
export const entryStyles = [
  tokens,
  css`
    [part~='confirm'] {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--_on-accent);
    }
    /* The step's tokens, passed on to the code entry under its own names. A token
     the page did not set leaves the entry's default in place. The entry is a size
     container, so its boxes shrink to its width (see otp-input.styles.ts). */
    otp-input {
      display: block;
      container-type: inline-size;
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
    /* The message line keeps its room when empty (p:empty hides other lines), so
     nothing moves when "That code is not right" appears. */
    p[part~='message'] {
      display: block;
      min-height: 2.4em;
      min-height: 2lh;
    }
    otp-input[invalid] ~ [part~='message'],
    [data-notice='invalid'],
    [data-notice='error'],
    [data-notice='expired'],
    [data-notice='locked'],
    [data-notice='used'],
    [data-notice='canceled'],
    [data-notice='appCodeUsed'],
    [data-notice='recoveryCodeUsed'] {
      color: var(--_error);
    }
    [data-notice='confirmed'],
    [data-notice='copied'],
    [data-notice='secretCopied'],
    [data-notice='codesCopied'] {
      color: var(--_success);
    }
    [part~='actions'] {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_gap);
      justify-content: flex-end;
    }
    [part~='confirm']:disabled {
      opacity: 0.45;
    }
  `,
];
