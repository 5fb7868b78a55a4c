import type {OtpLanguage} from './language.js';

/**
 * Overrides of the built-in messages, per language (a primary tag such as
 * `pt`, or a language without a built-in one, such as `fr`). Plain strings
 * with the placeholders `{code}`, `{minutes}`, `{app}` and `{client}`; a
 * field left out falls back to the built-in one of that language.
 */
export interface OtpTemplates {
  email?: {[language: string]: {subject?: string; text?: string; html?: string}};
  sms?: {[language: string]: string};
}

export interface OtpEmailTemplate {
  subject: string;
  text: string;
  html: string;
}

/** The placeholders a template may use. */
export const PLACEHOLDERS = ['code', 'minutes', 'app', 'client'] as const;
export type OtpPlaceholder = (typeof PLACEHOLDERS)[number];

interface Words {
  subject: string;
  intro: string;
  lifetime: string;
  ignore: string;
  sms: string;
}

/*
 * SMS wording keeps to the GSM 7-bit alphabet for en, pt and de (so no "ó", "ã"
 * or "ç" in Portuguese: one of them would switch the whole message to UCS-2
 * and 70 characters), which is why pt says "PIN" rather than "código".
 */
const WORDS: Record<OtpLanguage, Words> = {
  en: {
    subject: '{code} is your {app} code',
    intro: 'Your {app} sign-in code is:',
    lifetime: 'It expires in {minutes} minutes.',
    ignore: 'If you did not ask for this, ignore this e-mail.',
    sms: '{code} is your {app} code. Expires in {minutes} min. Never share it.',
  },
  pt: {
    subject: '{code} é o seu código de {app}',
    intro: 'O seu código de acesso a {app} é:',
    lifetime: 'Ele expira em {minutes} minutos.',
    ignore: 'Se você não pediu este código, ignore este e-mail.',
    sms: '{code} é o seu PIN de {app}. Vale {minutes} min. Nunca o compartilhe.',
  },
  de: {
    subject: '{code} ist Ihr Code für {app}',
    intro: 'Ihr Anmeldecode für {app} lautet:',
    lifetime: 'Er läuft in {minutes} Minuten ab.',
    ignore: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.',
    sms: '{code} ist Ihr Code für {app}. Gültig {minutes} Min. Nie weitergeben.',
  },
  ar: {
    subject: '{code} هو رمز {app}',
    intro: 'رمز تسجيل الدخول إلى {app} هو:',
    lifetime: 'تنتهي صلاحيته خلال {minutes} دقيقة.',
    ignore: 'إذا لم تطلب هذا الرمز، فتجاهل هذه الرسالة.',
    // UCS-2: 70 units in all, so the text is as short as it can be and still say what it is.
    sms: '{code} رمز {app}. صالح {minutes} د.',
  },
};

/*
 * Inline styles only (many clients drop <style>), no images at all, and a
 * <style> block only for the dark-mode media query, which clients that honour
 * color-scheme apply; those that drop it still show the light version.
 */
function html(language: OtpLanguage, words: Words): string {
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  return `<!doctype html>
<html lang="${language}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${words.subject}</title>
<style>
@media (prefers-color-scheme: dark) {
  .otp-body { background: #121212 !important; color: #e8e8e8 !important; }
  .otp-card { background: #1e1e1e !important; color: #e8e8e8 !important; }
  .otp-code { background: #2a2a2a !important; color: #ffffff !important; }
  .otp-muted { color: #b0b0b0 !important; }
}
</style>
</head>
<body class="otp-body" style="margin:0;padding:24px;background:#f4f4f5;color:#18181b;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;">
<div class="otp-card" style="max-width:480px;margin:0 auto;padding:24px;background:#ffffff;color:#18181b;border-radius:8px;">
<p style="margin:0 0 12px;font-size:16px;">${words.intro}</p>
<p class="otp-code" dir="ltr" style="margin:0 0 12px;padding:12px 16px;background:#f4f4f5;color:#000000;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:28px;letter-spacing:4px;text-align:center;border-radius:6px;">{code}</p>
<p style="margin:0 0 12px;font-size:16px;">${words.lifetime}</p>
<p class="otp-muted" style="margin:0;font-size:14px;color:#52525b;">${words.ignore}</p>
</div>
</body>
</html>
`;
}

/** The built-in e-mail of each language, as templates. */
export const BUILT_IN_EMAIL: Record<OtpLanguage, OtpEmailTemplate> = Object.fromEntries(
  Object.entries(WORDS).map(([language, words]) => [
    language,
    {
      subject: words.subject,
      text: `${words.intro} {code}\n\n${words.lifetime}\n\n${words.ignore}\n`,
      html: html(language as OtpLanguage, words),
    },
  ]),
) as Record<OtpLanguage, OtpEmailTemplate>;

/** The built-in SMS of each language, as templates (the WebOTP and hash lines are added after). */
export const BUILT_IN_SMS: Record<OtpLanguage, string> = Object.fromEntries(
  Object.entries(WORDS).map(([language, words]) => [language, words.sms]),
) as Record<OtpLanguage, string>;
