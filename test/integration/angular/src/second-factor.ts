// The README's Angular example, as built here (with `demo` for a source: this app
// has no server). The README shows this component; keep the two the same.
import {Component, CUSTOM_ELEMENTS_SCHEMA, input, output} from '@angular/core';
import 'otp-step';
import type {OtpConfirmedDetail} from 'otp-step';

@Component({
  selector: 'app-second-factor',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <otp-step
      id="angular-step"
      demo
      [user]="user()"
      client="web-portal"
      step-name="login-2fa"
      (otp-confirmed)="handleConfirmed($event)"
    ></otp-step>
  `,
})
export class SecondFactor {
  user = input.required<string>();
  confirmed = output<OtpConfirmedDetail>();

  // With strictTemplates, $event is typed from the package's event map:
  // CustomEvent<OtpConfirmedDetail>, no cast.
  handleConfirmed(event: CustomEvent<OtpConfirmedDetail>) {
    this.confirmed.emit(event.detail);
  }
}
