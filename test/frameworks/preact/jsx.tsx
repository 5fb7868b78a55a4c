// Type test of otp-step/types/preact (src/frameworks/jsx-preact.ts): compiled, not
// run, by `npm run typecheck`. Each @ts-expect-error line must be an error, or
// the check fails; the other lines must compile.
import type {} from '../../../src/frameworks/jsx-preact.js';
import {useRef} from 'preact/hooks';
import type {OtpInput} from '../../../src/input/otp-input-element.js';
import type {OtpStep} from '../../../src/otp-step-element.js';

export function Step() {
  const step = useRef<OtpStep>(null);
  return (
    <otp-step
      ref={step}
      class="login"
      user="ada"
      step-name="login-2fa"
      demo
      lifetime={300}
      length={6}
      alphabet="numeric"
      resend-after="30"
      size="small"
      onotp-issued={(e) => void e.detail.expiresAt.toFixed()}
      onotp-confirmed={(e) => void e.detail.user.toUpperCase()}
    />
  );
}

export function Authenticator() {
  return (
    <otp-step
      method="authenticator"
      enroll
      endpoint="/api/otp"
      user="ada"
      onotp-enrolled={(e) => void e.detail.user.toUpperCase()}
      onotp-confirmed={(e) => void e.detail.method.toUpperCase()}
    />
  );
}

export function Wrong() {
  const input = useRef<OtpInput>(null);
  return (
    <>
      {/* @ts-expect-error onOtp-confirmed would listen for `Otp-confirmed` */}
      <otp-step onOtp-confirmed={() => {}} />
      {/* @ts-expect-error the detail has no such field */}
      <otp-step onotp-confirmed={(e) => e.detail.notAField} />
      {/* @ts-expect-error sizes are small, medium and large */}
      <otp-step size="huge" />
      {/* @ts-expect-error maxAttempts is a number */}
      <otp-step maxAttempts="3" />
      {/* @ts-expect-error the ref is to an <otp-step> */}
      <otp-step ref={input} />
      {/* @ts-expect-error the detail has no such field */}
      <otp-input onotp-complete={(e) => e.detail.user} />
      {/* @ts-expect-error alphabets are numeric and alphanumeric */}
      <otp-input alphabet="hex" />
    </>
  );
}
