// The page of both elements' CSP tests (test/csp.test.ts, and <otp-input>'s in
// test/input/otp-input-looks.test.ts): it loads them under a strict CSP and
// records every violation, for the test in the parent page to read.
import '../../src/otp-step.js';
import '../../src/input/otp-input.js';

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
