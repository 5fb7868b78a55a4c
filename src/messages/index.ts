import type {OtpErrorCode} from '../errors.js';
import type {OtpStepMessages} from './en.js';
import type {Format} from './format.js';
import {enTrigger, type TriggerMessages} from './en-trigger.js';

export type {CodeShape, OtpStepMessages} from './en.js';
export type {TriggerMessages} from './en-trigger.js';
export type {Format} from './format.js';
export {isolate} from './isolate.js';

/**
 * Every language loads the first time it is wanted: English with the dialog or
 * the flow (the trigger's English lines are built in), Portuguese, German and
 * Arabic as soon as a page is in them. Maps, not plain objects: a page's
 * `lang="constructor"` or `"__proto__"` would otherwise find Object's own members
 * and render nothing.
 */
const loaded = new Map<string, OtpStepMessages>();
const loaders = new Map<string, () => Promise<OtpStepMessages>>([
  ['en', () => import('./en.js').then((m) => m.en)],
  ['pt', () => import('./pt.js').then((m) => m.pt)],
  ['de', () => import('./de.js').then((m) => m.de)],
  ['ar', () => import('./ar.js').then((m) => m.ar)],
]);
const loading = new Map<string, Promise<unknown>>();

const primary = (lang: string) => lang.toLowerCase().split('-')[0];
/** The language whose messages stand for `lang`: its own where there are some, else English. */
const builtIn = (lang: string) => (loaders.has(primary(lang)) ? primary(lang) : 'en');

/**
 * Loads the built-in messages for a language tag where there are some and they
 * are not loaded yet; undefined when there is nothing to wait for.
 */
export function loadMessages(lang: string): Promise<unknown> | undefined {
  const name = primary(lang);
  const load = loaders.get(name);
  if (loaded.has(name) || !load || name === 'en') return undefined;
  return loadBuiltIn(name, load);
}

/** Numbers and times, which only what loads later writes: loaded with all the messages. */
let formats: typeof import('./format.js') | undefined;

/**
 * Loads English, or the language of `lang` where it has its own: all the messages
 * `messagesFor` gives, and the formats `loadedFormatFor` gives.
 */
export function loadAllMessages(lang: string): Promise<unknown> | undefined {
  const name = builtIn(lang);
  if (loaded.has(name) && formats) return undefined;
  return Promise.all([
    loadBuiltIn(name, loaders.get(name)!),
    formats ?? import('./format.js').then((m) => (formats = m)),
  ]);
}

/** Numbers and times in the language of `lang`, once `loadAllMessages` has brought them. */
export const loadedFormatFor = (lang: string): Format | undefined =>
  formats?.formatFor(lang);

function loadBuiltIn(
  name: string,
  load: () => Promise<OtpStepMessages>,
): Promise<unknown> {
  if (!loading.has(name))
    loading.set(
      name,
      load().then((m) => loaded.set(name, m)),
    );
  return loading.get(name)!;
}

/** Whether `messagesFor(lang)` has all it needs: the language's own messages, or English for one without. */
export const hasAllMessages = (lang: string): boolean =>
  loaded.has(primary(lang)) || loaded.has('en');

/**
 * The messages for a BCP 47 language tag: `pt-BR` gets Portuguese, `de-AT`
 * German, `ar-EG` Arabic (once `loadMessages` has brought them), anything else
 * English; `overrides` (a page's own) win over them all. English must have
 * loaded (`loadAllMessages`) where it stands in: calling this before is a bug
 * of ours, and throws.
 */
export function messagesFor(
  lang: string,
  overrides?: Partial<OtpStepMessages>,
): OtpStepMessages {
  const base = loaded.get(primary(lang)) ?? loaded.get('en');
  if (!base) throw new Error(`otp-step: the messages for "${lang}" are not loaded yet`);
  return withOverrides(base, overrides);
}

/** The lines beside the trigger, in the language of `lang` where it has loaded, else in English. */
export const triggerMessagesFor = (
  lang: string,
  overrides?: Partial<OtpStepMessages>,
): TriggerMessages =>
  withOverrides(hasAllMessages(lang) ? messagesFor(lang) : enTrigger, overrides);

const withOverrides = <T extends TriggerMessages>(
  base: T,
  overrides?: Partial<OtpStepMessages>,
): T =>
  overrides
    ? {...base, ...overrides, errors: {...base.errors, ...overrides.errors}}
    : base;

/**
 * What the person is told of a failure. The page's own mistakes (a bad attribute,
 * no source) have no line of their own: the person cannot mend them, so they get
 * a generic one, and the developer the detail in the console and in `otp-error`.
 */
export const errorText = (t: TriggerMessages, code: OtpErrorCode): string =>
  (t.errors as Partial<Record<OtpErrorCode, string>>)[code] ?? t.misconfigured;
