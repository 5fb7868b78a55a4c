// The page of test/input/otp-input-looks.test.ts's CSP test: it loads the element
// under a strict CSP and records every violation, for the test in the parent page to read.
import '../../../src/input/otp-input.js';

declare global {
  interface Window {
    violations: string[];
  }
}

window.violations = [];
// Violations are composed events: those in the element's shadow root reach the document.
document.addEventListener(
  'securitypolicyviolation',
  (event) => window.violations.push(`${event.effectiveDirective}: ${event.sample}`),
  true,
);
