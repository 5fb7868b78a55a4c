/**
 * The sign-in page's second step: `<otp-step>` with the source of
 * verify-source.ts, inside the form that finishes the sign-in.
 *
 *   <form method="post" action="/sign-in/second-factor">
 *     <otp-step name="proof" required step-name="login-2fa" user="maria.silva"></otp-step>
 *     <button>Sign in</button>
 *   </form>
 */
import 'otp-step';
import {verifySource} from './verify-source.js';

const step = document.querySelector('otp-step')!;
step.source = verifySource({
  base: '/2fa',
  headers: {
    'x-csrf-token': document
      .querySelector('meta[name=csrf-token]')!
      .getAttribute('content')!,
  },
});

// The element's value (posted as `proof`) is now the server's signed proof; the
// route that receives the form checks it with verifyProof() before signing in.
step.addEventListener('otp-confirmed', (event) => {
  console.log('second factor confirmed for', event.detail.user);
  step.form?.requestSubmit();
});

step.addEventListener('otp-error', (event) => {
  // Stable codes: `rate-limited` comes with a wait the dialog already counts down.
  if (event.detail.code === 'unknown-user') location.assign('/account/phone');
});
