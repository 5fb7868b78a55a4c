// Type test of otp-step/types/react (src/frameworks/jsx-react.ts): compiled, not
// run, by `npm run typecheck`. Each @ts-expect-error line must be an error, or
// the check fails; the other lines must compile.
import type {} from '../../../src/frameworks/jsx-react.js';
import {useRef} from 'react';
import type {OtpInput} from '../../../src/input/otp-input-element.js';
import type {OtpStep} from '../../../src/otp-step-element.js';

export function Step() {
  const step = useRef<OtpStep>(null);
  return (
    <otp-step
      ref={step}
      id="step"
      className="login"
      user="ada"
      client="web"
      step-name="login-2fa"
      stepName="login-2fa"
      demo
      lifetime="5m"
      length={6}
      alphabet="alphanumeric"
      max-attempts="3"
      maxAttempts={3}
      size="large"
      credentials="include"
      headers={{'x-csrf': 'token'}}
      pasteTransformer={(text) => text.trim()}
      no-auto-confirm
      onotp-confirmed={(e) => {
        const user: string = e.detail.user;
        const confirmation: string | undefined = e.detail.confirmation;
        void [user, confirmation];
      }}
      onotp-rejected={(e) => void e.detail.attemptsLeft.toFixed()}
      onotp-error={(e) => void e.detail.code.startsWith('rate')}
      onstep-complete={(e) => void e.detail.requestId}
    >
      <button slot="trigger">Sign in</button>
    </otp-step>
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
      onotp-confirmed={(e) => {
        const method: 'code' | 'authenticator' | 'recovery-code' = e.detail.method;
        void method;
      }}
    />
  );
}

export function Wrong() {
  const input = useRef<OtpInput>(null);
  return (
    <>
      {/* React 19 would listen for `Otp-confirmed`, which never fires. */}
      {/* @ts-expect-error onOtp-confirmed is not how React 19 names the event */}
      <otp-step onOtp-confirmed={() => {}} />
      {/* @ts-expect-error methods are code and authenticator */}
      <otp-step method="totp" />
      {/* @ts-expect-error otp-enrolled tells the user, never the secret */}
      <otp-step onotp-enrolled={(e) => e.detail.secret} />
      {/* @ts-expect-error nor is onOtpConfirmed (that is otp-step/react's wrapper) */}
      <otp-step onOtpConfirmed={() => {}} />
      {/* @ts-expect-error the detail has no such field */}
      <otp-step onotp-confirmed={(e) => e.detail.notAField} />
      {/* @ts-expect-error sizes are small, medium and large */}
      <otp-step size="huge" />
      {/* @ts-expect-error alphabets are numeric and alphanumeric */}
      <otp-step alphabet="hex" />
      {/* @ts-expect-error length is a number (the property is set, not the attribute) */}
      <otp-step length="6" />
      {/* @ts-expect-error user is a string */}
      <otp-step user={42} />
      {/* @ts-expect-error max-attempts holds a number */}
      <otp-step max-attempts="many" />
      {/* @ts-expect-error the ref is to an <otp-step>, not an <otp-input> */}
      <otp-step ref={input} />
      {/* @ts-expect-error value is read-only on <otp-step> */}
      <otp-step value="123456" />
    </>
  );
}

export function Input() {
  const input = useRef<OtpInput>(null);
  return (
    <>
      <otp-input
        ref={input}
        name="code"
        length={6}
        alphabet="numeric"
        label="Code"
        web-otp
        autofocus
        onotp-complete={(e) => void e.detail.value.toUpperCase()}
        onInput={(e) => void e.currentTarget.value}
      />
      {/* @ts-expect-error the detail has no such field */}
      <otp-input onotp-complete={(e) => e.detail.user} />
      {/* @ts-expect-error onOtp-complete is not how React 19 names the event */}
      <otp-input onOtp-complete={() => {}} />
      {/* @ts-expect-error sizes are small, medium and large */}
      <otp-input size="huge" />
      {/* @ts-expect-error invalid is a boolean */}
      <otp-input invalid="yes" />
    </>
  );
}
