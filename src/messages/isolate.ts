// Its own module, not in format.ts: English, in the entry, needs only this,
// while the Intl formats load with the dialog.

/**
 * A value put into a sentence (a user name, a code, a count, a time), set apart
 * from the text around it with FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE,
 * so `maria.silva` or `4:59` in an Arabic sentence neither takes the sentence's
 * direction nor drags the words beside it into its own (UAX #9, Explicit Directional Isolates;
 * https://www.w3.org/International/questions/qa-bidi-unicode-controls).
 */
export const isolate = (value: string | number): string => `\u2068${value}\u2069`;
