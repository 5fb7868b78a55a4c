// Type test of otp-step/react (src/frameworks/react.ts), the @lit/react wrappers:
// compiled, not run, by `npm run typecheck`. Each @ts-expect-error line must be
// an error, or the check fails; the other lines must compile.
import {useRef} from 'react';
import {OtpInput, OtpStep} from '../../../src/frameworks/react.js';
import type {OtpInput as OtpInputElement} from '../../../src/input/otp-input-element.js';
import type {OtpStep as OtpStepElement} from '../../../src/otp-step-element.js';

export function Wrapped() {
  const step = useRef<OtpStepElement>(null);
  const input = useRef<OtpInputElement>(null);
  return (
    <>
      <OtpStep
        ref={step}
        className="login"
        user="ada"
        stepName="login-2fa"
        demo
        maxAttempts={3}
        size="large"
        source={undefined}
        messages={{confirmed: 'Done'}}
        onOtpRequest={(e) => void e.detail.resend}
        onOtpIssued={(e) => void e.detail.expiresAt.toFixed()}
        onOtpConfirmed={(e) => void e.detail.user.toUpperCase()}
        onOtpRejected={(e) => void e.detail.reason}
        onOtpExpired={(e) => void e.detail.requestId}
        onOtpError={(e) => void e.detail.message}
        onStepComplete={(e) => void e.detail.confirmation}
      />
      <OtpStep
        method="authenticator"
        enroll
        endpoint="/api/otp"
        user="ada"
        onOtpEnrolled={(e) => void e.detail.user.toUpperCase()}
        onOtpConfirmed={(e) => void e.detail.method.toUpperCase()}
      />
      <OtpInput
        ref={input}
        length={6}
        alphabet="alphanumeric"
        onOtpComplete={(e) => void e.detail.value}
        onInput={(e) => void e.type}
        onChange={(e) => void e.type}
      />
      {/* @ts-expect-error the detail has no such field */}
      <OtpStep onOtpConfirmed={(e) => e.detail.notAField} />
      {/* @ts-expect-error sizes are small, medium and large */}
      <OtpStep size="huge" />
      {/* @ts-expect-error otp-enrolled tells the user, never the recovery codes */}
      <OtpStep onOtpEnrolled={(e) => e.detail.recoveryCodes} />
      {/* @ts-expect-error maxAttempts is a number */}
      <OtpStep maxAttempts="3" />
      {/* @ts-expect-error the ref is to an <otp-step> */}
      <OtpStep ref={input} />
      {/* @ts-expect-error the detail has no such field */}
      <OtpInput onOtpComplete={(e) => e.detail.user} />
      {/* @ts-expect-error the step fires no otp-complete */}
      <OtpStep onOtpComplete={() => {}} />
    </>
  );
}

// The display names React DevTools shows.
export const names: string[] = [OtpStep.displayName ?? '', OtpInput.displayName ?? ''];
