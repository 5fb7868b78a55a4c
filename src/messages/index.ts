import type {OtpErrorCode} from '../errors.js';
import {en, type OtpStepMessages} from './en.js';

export type {CodeShape, OtpStepMessages} from './en.js';
export {formatFor, type Format} from './format.js';
export {isolate} from './isolate.js';

/**
 * English is built in; Portuguese, German and Arabic load the first time a page
 * asks for them. Maps, not plain objects: a page's `lang="constructor"` or `"__proto__"`
 * would otherwise find Object's own members and render nothing.
 */
const loaded = new Map<string, OtpStepMessages>([['en', en]]);
const loaders = new Map<string, () => Promise<OtpStepMessages>>([
  ['pt', () => import('./pt.js').then((m) => m.pt)],
  ['de', () => import('./de.js').then((m) => m.de)],
  ['ar', () => import('./ar.js').then((m) => m.ar)],
]);
const loading = new Map<string, Promise<unknown>>();

const primary = (lang: string) => lang.toLowerCase().split('-')[0];

/**
 * Loads the built-in messages for a language tag where there are some and they
 * are not loaded yet; undefined when there is nothing to wait for.
 */
export function loadMessages(lang: string): Promise<unknown> | undefined {
  const name = primary(lang);
  const load = loaders.get(name);
  if (loaded.has(name) || !load) return undefined;
  if (!loading.has(name))
    loading.set(
      name,
      load().then((m) => loaded.set(name, m)),
    );
  return loading.get(name);
}

/**
 * The messages for a BCP 47 language tag: `pt-BR` gets Portuguese, `de-AT`
 * German, `ar-EG` Arabic (once `loadMessages` has brought them), anything else English;
 * `overrides` (a page's own) win over them all.
 */
export function messagesFor(
  lang: string,
  overrides?: Partial<OtpStepMessages>,
): OtpStepMessages {
  const base = loaded.get(primary(lang)) ?? en;
  return overrides
    ? {...base, ...overrides, errors: {...base.errors, ...overrides.errors}}
    : base;
}

/**
 * What the person is told of a failure. The page's own mistakes (a bad attribute,
 * no source) have no line of their own: the person cannot mend them, so they get
 * a generic one, and the developer the detail in the console and in `otp-error`.
 */
export const errorText = (t: OtpStepMessages, code: OtpErrorCode): string =>
  (t.errors as Partial<Record<OtpErrorCode, string>>)[code] ?? t.misconfigured;
