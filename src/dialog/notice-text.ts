import type {Notice} from '../flow/step-state.js';
import type {OtpStepMessages} from '../messages/en.js';
import type {Format} from '../messages/format.js';
import {errorText} from '../messages/index.js';

/** The dialog's message line for what happened last, in the element's language. */
export function noticeText(notice: Notice, t: OtpStepMessages, f: Format): string {
  switch (notice.key) {
    case 'invalid':
      return t.invalid(notice.attemptsLeft, f);
    case 'error':
      return errorText(t, notice.code);
    case 'locked':
      return t.lockedUntil(f.time(notice.until));
    default:
      return t[notice.key];
  }
}
