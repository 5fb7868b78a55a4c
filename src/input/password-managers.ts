/**
 * What the password managers that draw a badge over the field they fill leave in
 * the page, as input-otp's `pushPasswordManagerStrategy` looks for them
 * (input-otp's src/use-pwm-badge.tsx), and as the managers put them there:
 *
 * - LastPass: `<div data-lastpass-icon-root>`, appended to the input's parent
 *   (here, beside the input in the element's shadow root);
 * - 1Password: its `<com-1password-button>` element, appended to `<body>`;
 * - Dashlane: the elements it creates carry `data-dashlanecreated`, its `<span>`
 *   just after the input among them;
 * - Bitwarden: no marker of its own (a custom element of a random name in
 *   Chromium, a `<div>` in Firefox, a manual popover in `<body>` or in the open
 *   modal `<dialog>`), but among the styles it sets on it, each `!important`, the
 *   largest z-index there is (bitwarden/clients,
 *   autofill-inline-menu-content.service.ts). input-otp looks for a style
 *   attribute that ends with it, which only Chromium's serialisation does (it
 *   moves a property set again to the end; Firefox and WebKit keep its place
 *   after `all: initial`): so anywhere in it, here.
 */
export const BADGES =
  '[data-lastpass-icon-root],com-1password-button,[data-dashlanecreated],[style*="z-index: 2147483647 !important"]';
