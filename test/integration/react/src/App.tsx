// A new user's React 19 app: the wrappers from otp-step/react, and the bare tags
// typed by otp-step/types/react. No type for the elements is written here.
import {useState} from 'react';
import {OtpInput, OtpStep} from 'otp-step/react';
import type {} from 'otp-step/types/react';

export function App() {
  const [wrapperUser, setWrapperUser] = useState('');
  const [tagUser, setTagUser] = useState('');
  const [entered, setEntered] = useState('');
  return (
    <main>
      <h1>otp-step in React</h1>
      <section>
        <h2>The wrapper</h2>
        <OtpStep
          id="wrapper-step"
          demo
          stepName="login-2fa"
          user="react.wrapper"
          client="react-app"
          onOtpConfirmed={(e) => {
            // @ts-expect-error: detail is typed
            void e.detail.notAField;
            setWrapperUser(e.detail.user);
          }}
        />
        <output id="wrapper-confirmed">{wrapperUser}</output>
      </section>
      <section>
        <h2>The tag</h2>
        <otp-step
          id="tag-step"
          demo
          step-name="login-2fa"
          user="react.tag"
          client="react-app"
          onotp-confirmed={(e) => {
            // @ts-expect-error: detail is typed
            void e.detail.notAField;
            setTagUser(e.detail.user);
          }}
        ></otp-step>
        <output id="tag-confirmed">{tagUser}</output>
      </section>
      <section>
        <h2>The code entry alone</h2>
        <OtpInput
          id="wrapper-input"
          label="Code from the SMS"
          onOtpComplete={(e) => setEntered(e.detail.value)}
        />
        <output id="input-complete">{entered}</output>
      </section>
    </main>
  );
}
