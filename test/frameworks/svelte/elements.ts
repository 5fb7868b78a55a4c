// Type test of otp-step/types/svelte's wrong uses: what svelte-check checks a tag
// against is SvelteHTMLElements['otp-step'], so these objects stand for tags.
import type {} from '../../../src/frameworks/svelte.js';
import type {SvelteHTMLElements} from 'svelte/elements';

type Step = SvelteHTMLElements['otp-step'];
type Input = SvelteHTMLElements['otp-input'];

export const right: Step = {
  user: 'ada',
  'max-attempts': '3',
  size: 'small',
  'onotp-confirmed': (e) => void e.detail.user,
  method: 'authenticator',
  enroll: true,
  'onotp-enrolled': (e) => void e.detail.user,
};

export const wrong: Step[] = [
  // @ts-expect-error onOtp-confirmed would listen for `Otp-confirmed`
  {'onOtp-confirmed': () => {}},
  // @ts-expect-error the detail has no such field
  {'onotp-confirmed': (e) => e.detail.notAField},
  // @ts-expect-error sizes are small, medium and large
  {size: 'huge'},
  // @ts-expect-error methods are code and authenticator
  {method: 'totp'},
  // @ts-expect-error otp-enrolled tells the user, never the secret
  {'onotp-enrolled': (e) => e.detail.secret},
  // @ts-expect-error length is a number
  {length: '6'},
];

export const wrongInput: Input[] = [
  // @ts-expect-error the detail has no such field
  {'onotp-complete': (e) => e.detail.user},
];
