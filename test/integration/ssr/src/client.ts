// Hydration support must be in place before any Lit element is defined.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import 'otp-step';

const step = document.querySelector('otp-step')!;
step.addEventListener('otp-confirmed', (e) => {
  // @ts-expect-error: detail is typed
  void e.detail.notAField;
  document.querySelector('#ssr-confirmed')!.textContent = e.detail.user;
});
