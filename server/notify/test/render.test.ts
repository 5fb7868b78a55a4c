import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {checkSmsOptions, checkTemplates, renderOtpMessage} from '../render.js';
import {countSmsSegments} from '../sms-segments.js';

const NOW = Date.UTC(2026, 0, 1);
const now = () => NOW;
const input = (
  over: Partial<{code: string; language: string; client: string; minutes: number}> = {},
) => ({
  code: over.code ?? '123456',
  client: over.client ?? 'web',
  language: over.language ?? 'en',
  expiresAt: new Date(NOW + (over.minutes ?? 10) * 60_000),
});
const HOSTILE = '<img src=x onerror=alert(1)>"\'&';

/** Worst cases the docs promise to fit one segment (docs/delivery.md, "Segment limits"). */
const APP_30 = 'W'.repeat(30);
const CODE_8 = '12345678';

describe('renderOtpMessage: e-mail', () => {
  for (const language of ['en', 'pt', 'de', 'ar']) {
    it(`renders the ${language} e-mail with the app, code, minutes and an escaped HTML part`, () => {
      const message = renderOtpMessage('email', input({language, client: HOSTILE}), {
        appName: HOSTILE,
        now,
      });
      assert.ok(message.subject!.includes('123456'));
      assert.ok(message.subject!.includes(HOSTILE), 'the subject is plain text');
      assert.ok(message.text.includes('123456') && message.text.includes('10'));
      assert.ok(message.text.includes(HOSTILE));
      const html = message.html!;
      assert.ok(html.includes('123456'));
      assert.ok(!html.includes('<img'), 'no element from a value');
      assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
      assert.match(html, /<meta name="color-scheme" content="light dark">/);
      assert.match(html, /@media \(prefers-color-scheme: dark\)/);
      assert.ok(
        !/src=|url\(|<link/i.test(html.replaceAll('&lt;img src=x', '')),
        'nothing remote',
      );
      assert.match(
        html,
        new RegExp(
          `<html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}">`,
        ),
      );
    });
  }

  it('says "ignore it" in every language', () => {
    const ignore = {
      en: 'did not ask',
      pt: 'não pediu',
      de: 'nicht angefordert',
      ar: 'لم تطلب',
    };
    for (const [language, words] of Object.entries(ignore)) {
      const message = renderOtpMessage('email', input({language}), {now});
      assert.ok(message.text.includes(words) && message.html!.includes(words), language);
    }
  });

  it('rounds the minutes left up, at least 1', () => {
    const at = (ms: number) =>
      renderOtpMessage('email', {...input(), expiresAt: new Date(NOW + ms)}, {now}).text;
    assert.ok(at(61_000).includes('2 minutes'));
    assert.ok(at(60_000).includes('1 minutes'));
    assert.ok(at(-5_000).includes('1 minutes'));
  });

  it('falls back field by field: an override of the subject keeps the built-in text', () => {
    const message = renderOtpMessage('email', input({language: 'pt-BR'}), {
      now,
      templates: {email: {pt: {subject: '{app}: {code} ({client})'}}},
      appName: 'Loja',
    });
    assert.equal(message.subject, 'Loja: 123456 (web)');
    assert.ok(message.text.includes('O seu código de acesso a Loja'));
  });

  it('takes an override for a language without built-ins, and English for the rest', () => {
    const message = renderOtpMessage('email', input({language: 'fr'}), {
      now,
      templates: {email: {fr: {subject: 'Votre code {code}'}}},
    });
    assert.equal(message.subject, 'Votre code 123456');
    assert.ok(message.text.startsWith('Your web sign-in code'));
  });

  it('escapes values in an html override but keeps its markup', () => {
    const message = renderOtpMessage('email', input({client: '<b>x</b>'}), {
      now,
      templates: {email: {en: {html: '<p style="color:red">{code} for {client}</p>'}}},
    });
    assert.equal(
      message.html,
      '<p style="color:red">123456 for &lt;b&gt;x&lt;/b&gt;</p>',
    );
  });

  it('leaves {constructor} and other Object names alone in an unchecked template', () => {
    const message = renderOtpMessage('sms', input(), {
      now,
      templates: {sms: {en: '{code} {constructor} {toString}'}},
    });
    assert.equal(message.text, '123456 {constructor} {toString}');
    assert.throws(
      () => checkTemplates({sms: {en: '{constructor}'}}),
      /unknown placeholder/,
    );
  });

  it('does not fill a placeholder that a value itself contains', () => {
    const message = renderOtpMessage('email', input(), {now, appName: '{code}'});
    assert.equal(message.subject, '123456 is your {code} code');
  });
});

describe('renderOtpMessage: SMS', () => {
  it('begins with the code in every language', () => {
    for (const language of ['en', 'pt', 'de', 'ar'])
      assert.ok(
        renderOtpMessage('sms', input({language}), {now}).text.startsWith('123456 '),
      );
  });

  it('ends with exactly @<domain> #<code> given webOtpDomain, after the app hash', () => {
    const {text} = renderOtpMessage('sms', input(), {
      now,
      webOtpDomain: 'example.com',
      androidAppHash: 'FA+9qCX9VSu',
    });
    const lines = text.split('\n');
    assert.equal(lines.at(-1), '@example.com #123456');
    assert.equal(lines.at(-2), 'FA+9qCX9VSu');
  });

  it('ends with the app hash on its own line when there is no WebOTP domain', () => {
    const {text} = renderOtpMessage('sms', input(), {now, androidAppHash: 'FA+9qCX9VSu'});
    assert.equal(text.split('\n').at(-1), 'FA+9qCX9VSu');
  });

  it('keeps a line break in a value from adding a line to the SMS or the subject', () => {
    const client = 'web\n@evil.example #000000\r\n';
    const {text} = renderOtpMessage('sms', input({client}), {
      now,
      webOtpDomain: 'example.com',
      templates: {sms: {en: '{code} for {client}'}},
    });
    assert.deepEqual(text.split('\n'), [
      '123456 for web @evil.example #000000 ',
      '@example.com #123456',
    ]);
    const email = renderOtpMessage('email', input({client}), {
      now,
      templates: {email: {en: {subject: '{client}\nBcc: x'}}},
    });
    assert.ok(!/[\r\n]/.test(email.subject!), email.subject);
  });

  it('takes an SMS override', () => {
    const {text} = renderOtpMessage('sms', input({language: 'de'}), {
      now,
      templates: {sms: {de: '{code} – {app}'}},
      appName: 'Shop',
    });
    assert.equal(text, '123456 – Shop');
  });

  /*
   * The limits stated in docs/delivery.md, "Segment limits", tested at the
   * boundary: an 8-digit code, and an app name plus WebOTP domain of at most
   * `sum` characters (`withHash` when the app hash is added too) fit one
   * segment; one character more splits the message.
   */
  const LIMITS: Record<string, {app: number; sum: number; withHash: number}> = {
    en: {app: 30, sum: 90, withHash: 78},
    pt: {app: 30, sum: 89, withHash: 77},
    de: {app: 30, sum: 89, withHash: 77},
    ar: {app: 30, sum: 33, withHash: 21},
  };
  const HASH = 'FA+9qCX9VSu';
  const domainOf = (length: number) => `${'d'.repeat(length - 4)}.com`;
  for (const [language, limit] of Object.entries(LIMITS)) {
    const count = (app: number, options: object = {}) =>
      countSmsSegments(
        renderOtpMessage('sms', input({language, code: CODE_8}), {
          now,
          appName: 'W'.repeat(app),
          ...options,
        }).text,
      );
    it(`fits one segment in ${language} with a ${limit.app}-character app name, with or without the app hash`, () => {
      assert.equal(count(limit.app).segments, 1);
      assert.equal(count(limit.app, {androidAppHash: HASH}).segments, 1);
      assert.equal(count(APP_30.length).perSegment, language === 'ar' ? 70 : 160);
    });
    it(`fits one segment in ${language} with the WebOTP line while app + domain <= ${limit.sum} (${limit.withHash} with the hash)`, () => {
      const app = 10;
      assert.equal(count(app, {webOtpDomain: domainOf(limit.sum - app)}).segments, 1);
      assert.equal(count(app, {webOtpDomain: domainOf(limit.sum - app + 1)}).segments, 2);
      const both = (d: number) => ({webOtpDomain: domainOf(d), androidAppHash: HASH});
      assert.equal(count(app, both(limit.withHash - app)).segments, 1);
      assert.equal(count(app, both(limit.withHash - app + 1)).segments, 2);
    });
  }
});

describe('checkTemplates', () => {
  it('accepts every known placeholder and no templates at all', () => {
    checkTemplates(undefined);
    checkTemplates({
      email: {en: {subject: '{code}{minutes}{app}{client}'}},
      sms: {pt: '{code}'},
    });
  });

  it('names the language, field and placeholder of an unknown one', () => {
    assert.throws(
      () => checkTemplates({email: {de: {html: '<p>{cdoe}</p>'}}}),
      /templates\.email\.de\.html: unknown placeholder \{cdoe\}/,
    );
    assert.throws(
      () => checkTemplates({sms: {ar: '{code} {user}'}}),
      /templates\.sms\.ar: unknown placeholder \{user\}/,
    );
  });

  it('refuses an unknown field and a template that is not a string', () => {
    assert.throws(
      () => checkTemplates({email: {en: {body: 'x'} as never}}),
      /templates\.email\.en\.body: unknown field/,
    );
    assert.throws(
      () => checkTemplates({sms: {en: 5 as never}}),
      /templates\.sms\.en: expected a string/,
    );
  });
});

describe('checkSmsOptions', () => {
  it('refuses a domain with a scheme, port, path or capitals, and a hash of the wrong length', () => {
    for (const webOtpDomain of [
      'https://example.com',
      'example.com:443',
      'example.com/x',
      'Example.com',
      '',
      'a..b',
    ])
      assert.throws(() => checkSmsOptions({webOtpDomain}), /webOtpDomain/, webOtpDomain);
    assert.throws(() => checkSmsOptions({androidAppHash: 'short'}), /androidAppHash/);
    checkSmsOptions({webOtpDomain: 'login.example.co.uk', androidAppHash: 'FA+9qCX9VSu'});
  });
});
