// Read by tsc -b, never rendered: it compiles only while the types refuse what
// would silently fail at runtime.

// React 19 would listen for an event named "Otp-confirmed", which never fires.
export const misspeltEvent = (
  // @ts-expect-error: onOtp-confirmed is refused; the prop is onotp-confirmed
  <otp-step onOtp-confirmed={() => {}}></otp-step>
);
