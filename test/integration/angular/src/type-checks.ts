// Never built into the app: check-types.mjs compiles it on its own (ngc, strict
// templates) and expects exactly the errors marked below, so the build holds
// that the events' $event is typed from the package (were it `any` or a plain
// Event, these would compile, or fail differently).
import {Component, CUSTOM_ELEMENTS_SCHEMA} from '@angular/core';
import 'otp-step';
import 'otp-step/input';

@Component({
  selector: 'app-type-checks',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <!-- error: Property 'notAField' does not exist on type 'OtpConfirmedDetail'. -->
    <otp-step (otp-confirmed)="seen = $event.detail.notAField"></otp-step>
    <!-- error: Property 'notAValue' does not exist on type 'OtpCompleteDetail'. -->
    <otp-input (otp-complete)="seen = $event.detail.notAValue"></otp-input>
  `,
})
export class TypeChecks {
  seen: unknown;
}
