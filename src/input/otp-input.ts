// `otp-step/input`: the input's class and types, with `<otp-input>` defined
// (guarded, as the step's entry is).
import {define} from './otp-input-element.js';

export * from './otp-input-element.js';

define();
