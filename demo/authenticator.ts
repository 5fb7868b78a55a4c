// The demo's authenticator section: an app set up for the signed-in user, then
// a sign-in with it, on the dev server's reference server at /api/totp. Who is
// signed in goes in the cookie the dev server reads, as an app's server reads
// its session (scripts/otp-dev-middleware.mjs).
import type {OtpStep} from '../src/otp-step.js';

export function authenticatorSection(
  who: HTMLInputElement,
  steps: OtpStep[],
  output: HTMLElement,
) {
  const signIn = () => {
    const user = who.value.trim();
    document.cookie = `otp-demo-user=${encodeURIComponent(user)}; path=/; SameSite=Strict`;
    for (const step of steps) step.user = user;
  };
  who.addEventListener('input', signIn);
  signIn();
  const say = (text: string) => (output.textContent = text);
  const [enroll, signInStep] = steps;
  enroll.addEventListener('otp-enrolled', ({detail}) =>
    say(`An app is set up for ${detail.user}. Sign in with its next code.`),
  );
  signInStep.addEventListener('otp-confirmed', ({detail}) =>
    say(
      `Signed in as ${detail.user} with ${detail.method === 'recovery-code' ? 'a recovery code' : "the app's code"}.`,
    ),
  );
  for (const step of steps)
    step.addEventListener('otp-error', ({detail}) => say(`Stopped: ${detail.code}.`));
}
