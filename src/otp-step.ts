// The package's main entry: the step's class and types, with `<otp-step>` defined.
// Defining is guarded, so a second copy of the step on the page (two bundles, or
// one under a query string) keeps the first definition and throws nothing.
import {define} from './otp-step-element.js';

export * from './otp-step-element.js';

define();
