import {Component, CUSTOM_ELEMENTS_SCHEMA, signal} from '@angular/core';
import 'otp-step/input';
import {SecondFactor} from './second-factor';

@Component({
  selector: 'app-root',
  imports: [SecondFactor],
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>otp-step in Angular</h1>
      <app-second-factor
        user="angular.user"
        (confirmed)="confirmedUser.set($event.user)"
      />
      <output id="angular-confirmed">{{ confirmedUser() }}</output>

      <otp-input
        id="angular-input"
        label="Code from the SMS"
        (otp-complete)="entered.set($event.detail.value)"
      ></otp-input>
      <output id="input-complete">{{ entered() }}</output>
    </main>
  `,
})
export class App {
  confirmedUser = signal('');
  entered = signal('');
}
