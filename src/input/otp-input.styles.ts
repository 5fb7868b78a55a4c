import {css} from 'lit';

/*
 * Design tokens (--otp-input-*) are read with fallbacks and never set on :host,
 * so a page themes every code input at once from :root. Private values (--_*)
 * carry the choices made here.
 *
 * A box's size is set where the font is the host's: by the grid of boxes (its
 * columns and rows), so an em in --_box is the host's em, and a box's larger
 * character no longer enlarges the box itself (issue 11). The default, 3.38em,
 * is the 2.6em of the box's own 1.3em font that boxes used to measure, so medium
 * looks as it did; small and large no longer grow out of their container.
 *
 * Boxes shrink before they overflow: --_b is the size asked for, and the boxes'
 * entry (where --_length and --_gaps are known) takes the smaller of it and the
 * size at which the boxes, their gaps and the badge's room fill the nearest size
 * container (100cqi; the step's dialog makes <otp-input> one). With no container,
 * cqi falls back to the small viewport width. The fit assumes the default gap of
 * a box's 1/6.5.
 *
 * Groups (123 456) are spans of boxes in a row, three gaps apart: --_gaps counts
 * a row's gaps so (the element sets it). The transparent input's characters are
 * spread evenly over exactly the row, so each is within a gap or so of its box,
 * and the caret after the last is at the input's end: the input never scrolls
 * its text (it would, by a gap, with a full code, were the text a gap longer).
 *
 * The badge's room is padding at the entry's end, inside the input (which covers
 * the entry), so a password manager that puts its badge at the input's end puts
 * it past the last box. The entry is left-to-right on every page, as the code is,
 * and so is the input: the managers draw the badge at its right.
 */
export const styles = css`
  :host {
    display: inline-block;
    color: var(--otp-input-color, inherit);
    --_b: var(--otp-input-box-size, 3.38em);
    --_gap: var(--otp-input-gap, calc(var(--_b) / 6.5));
    --_accent: var(--otp-input-accent, light-dark(#1f5fbf, #8ab4f8));
    --_error: var(--otp-input-error-color, light-dark(#b3261e, #ff7b72));
    --_border: var(--otp-input-border-color, light-dark(#6f7580, #9aa0a8));
    --_radius: var(--otp-input-radius, 6px);
  }
  :host([hidden]) {
    display: none;
  }
  :host([size='small']) {
    --_b: var(--otp-input-box-size, 2.8em);
    font-size: 0.875em;
  }
  :host([size='large']) {
    --_b: var(--otp-input-box-size, 3.6em);
    font-size: 1.125em;
  }
  [part~='label'] {
    display: block;
    margin-block-end: var(--_gap);
  }
  /* The input lies over the boxes, transparent, so taps, long-press paste and
     autofill reach a real text field while the boxes show what it holds. */
  [part~='entry'] {
    --_box: min(
      var(--_b),
      (100cqi - var(--_room) * 40px) / (var(--_length) + var(--_gaps) / 6.5)
    );
    --_gap: var(--otp-input-gap, calc(var(--_box) / 6.5));
    position: relative;
    display: inline-block;
    vertical-align: top;
    padding-inline-end: calc(var(--_room) * 40px);
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
    /* At least 16px keeps iOS from zooming in on focus. */
    font-size: max(16px, 1em);
    /* Spreads the invisible text over the boxes, for the selection handles and the IME window. */
    letter-spacing: calc(var(--_box) + var(--_gap) * var(--_gaps) / var(--_length) - 1ch);
  }
  input::selection {
    background: transparent;
  }
  input:disabled {
    cursor: not-allowed;
  }
  [part~='boxes'] {
    display: flex;
    gap: calc(var(--_gap) * 3);
  }
  /* A group: its boxes in a row. */
  [part~='boxes'] > span {
    display: grid;
    grid: calc(var(--_box) * 1.2) / auto-flow var(--_box);
    gap: var(--_gap);
  }
  [part~='box'] {
    position: relative;
    display: grid;
    place-items: center;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--otp-input-background, Canvas);
    font-family: var(--otp-input-code-font, ui-monospace, monospace);
    font-size: max(0.75em, var(--_box) / 2.6);
  }
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
