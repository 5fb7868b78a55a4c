// The size budgets in bytes of brotli (KB = 1,000 bytes, the stricter reading),
// one list for `npm run size` (CI) and `npm run bench`, so the two cannot differ.
export const SIZE_BUDGET = {
  /** dist/otp-step.js, lit and idb-keyval included: what every page with <otp-step> loads up front. */
  entry: 12_000,
  /** Our own code in it, without lit, idb-keyval and tslib. */
  own: 6_000,
  /**
   * dist/otp-input.js, lit included. 9,000 until issue 12's define(name, registry)
   * for scoped registries and other tag names (+36 B).
   */
  input: 9_100,
};
