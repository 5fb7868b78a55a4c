import {pickLanguage} from './language.js';
import {
  BUILT_IN_EMAIL,
  BUILT_IN_SMS,
  PLACEHOLDERS,
  type OtpPlaceholder,
  type OtpTemplates,
} from './templates.js';
import type {OtpChannelName, OtpMessageInput, OtpRenderedMessage} from './types.js';

/** What a message is rendered with, beside the notification. */
export interface OtpRenderOptions {
  templates?: OtpTemplates;
  /** Named in every message; the notification's `client` when not given. */
  appName?: string;
  /** Adds the WebOTP line `@<domain> #<code>` as the SMS's last line. */
  webOtpDomain?: string;
  /** The app's 11-character SMS Retriever hash, on its own line at the SMS's end. */
  androidAppHash?: string;
  /** The clock, in epoch ms, for the minutes left. */
  now?: () => number;
}

/** The fields of a notification a message needs. */
export type OtpRenderInput = Pick<OtpMessageInput, 'code' | 'expiresAt' | 'client'> & {
  language?: string;
};

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** A host name as WebOTP takes it (no scheme, port or path), lower-case, at most 253 characters. */
const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Google's app hash: 11 characters of base64 (the first 9 bytes of a SHA-256). */
const APP_HASH = /^[A-Za-z0-9+/]{11}$/;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!,
  );

/**
 * Throws for a template that uses a placeholder other than `{code}`,
 * `{minutes}`, `{app}` and `{client}`, naming the language, field and
 * placeholder, so a typo stops the server at start-up instead of reaching a
 * user's inbox as "{cdoe}".
 */
export function checkTemplates(templates: OtpTemplates | undefined): void {
  if (templates === undefined) return;
  if (typeof templates !== 'object' || templates === null)
    throw new TypeError('templates: expected {email?, sms?}');
  for (const [language, fields] of Object.entries(templates.email ?? {})) {
    if (typeof fields !== 'object' || fields === null)
      throw new TypeError(
        `templates.email.${language}: expected {subject?, text?, html?}`,
      );
    for (const [field, template] of Object.entries(fields)) {
      if (!['subject', 'text', 'html'].includes(field))
        throw new TypeError(
          `templates.email.${language}.${field}: unknown field (use subject, text or html)`,
        );
      checkTemplate(`templates.email.${language}.${field}`, template);
    }
  }
  for (const [language, template] of Object.entries(templates.sms ?? {}))
    checkTemplate(`templates.sms.${language}`, template);
}

function checkTemplate(where: string, template: unknown): void {
  if (typeof template !== 'string') throw new TypeError(`${where}: expected a string`);
  for (const [, name] of template.matchAll(PLACEHOLDER))
    if (!(PLACEHOLDERS as readonly string[]).includes(name))
      throw new TypeError(
        `${where}: unknown placeholder {${name}} (use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      );
}

/** Throws for a webOtpDomain or androidAppHash that would make an SMS no browser or phone reads. */
export function checkSmsOptions(options: OtpRenderOptions): void {
  const {webOtpDomain, androidAppHash} = options;
  if (
    webOtpDomain !== undefined &&
    (typeof webOtpDomain !== 'string' || !DOMAIN.test(webOtpDomain))
  )
    throw new TypeError(
      'webOtpDomain: expected the site\'s host name alone, lower-case, e.g. "example.com" (no scheme, port or path)',
    );
  if (
    androidAppHash !== undefined &&
    (typeof androidAppHash !== 'string' || !APP_HASH.test(androidAppHash))
  )
    throw new TypeError(
      "androidAppHash: expected the app's 11-character SMS Retriever hash (letters, digits, + and /)",
    );
}

function fill(template: string, values: Record<OtpPlaceholder, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as OtpPlaceholder] : whole,
  );
}

/** The override for this language: exact tag first, then its primary subtag. */
function override<T>(byLanguage: {[language: string]: T} | undefined, language: string) {
  if (!byLanguage) return undefined;
  const tag = language.toLowerCase();
  const entry = Object.entries(byLanguage).find(([key]) => key.toLowerCase() === tag);
  if (entry) return entry[1];
  const primary = tag.split(/[-_]/)[0];
  return Object.entries(byLanguage).find(([key]) => key.toLowerCase() === primary)?.[1];
}

/**
 * The message for one notification: `{subject, text, html}` for `email`,
 * `{text}` for `sms`, in the notification's language (built-in en, pt, de,
 * ar; else English), with `options.templates` overriding field by field.
 * Values are HTML-escaped in `html` (an override's own markup is trusted);
 * `{minutes}` is the time left, rounded up, at least 1. For an app to preview
 * a message or send it through its own provider.
 */
export function renderOtpMessage(
  channel: OtpChannelName,
  notification: OtpRenderInput,
  options: OtpRenderOptions = {},
): OtpRenderedMessage {
  const now = options.now?.() ?? Date.now();
  const minutes = Math.max(
    1,
    Math.ceil((notification.expiresAt.getTime() - now) / 60000),
  );
  // A value never breaks a line: a client name with "\n@evil.example #123456"
  // must not add a WebOTP line to an SMS, nor a header to an e-mail.
  const flat = (value: string) => value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
  const values = {
    code: flat(notification.code),
    minutes: String(minutes),
    app: flat(options.appName ?? notification.client),
    client: flat(notification.client),
  };
  const language = notification.language ?? 'en';
  const builtIn = pickLanguage(language, undefined);
  if (channel === 'email') {
    const own = override(options.templates?.email, language);
    const escaped = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, escapeHtml(v)]),
    ) as Record<OtpPlaceholder, string>;
    return {
      // An override may hold a line break; a subject is one header line.
      subject: fill(own?.subject ?? BUILT_IN_EMAIL[builtIn].subject, values).replace(
        /[\r\n]+/g,
        ' ',
      ),
      text: fill(own?.text ?? BUILT_IN_EMAIL[builtIn].text, values),
      html: fill(own?.html ?? BUILT_IN_EMAIL[builtIn].html, escaped),
    };
  }
  const lines = [
    fill(override(options.templates?.sms, language) ?? BUILT_IN_SMS[builtIn], values),
  ];
  // Google's SMS Retriever finds the hash anywhere in the message, but WebOTP
  // (https://wicg.github.io/sms-one-time-codes/) reads only the last line: so the hash
  // comes first, and the origin-bound line closes the message.
  if (options.androidAppHash) lines.push(options.androidAppHash);
  if (options.webOtpDomain) lines.push(`@${options.webOtpDomain} #${notification.code}`);
  return {text: lines.join('\n')};
}
