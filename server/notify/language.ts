/** The languages with built-in templates. */
export type OtpLanguage = 'en' | 'pt' | 'de' | 'ar';

export const OTP_LANGUAGES: readonly OtpLanguage[] = ['en', 'pt', 'de', 'ar'];

/** `pt-BR` → `pt`; anything without a built-in template → undefined. */
function builtIn(tag: string): OtpLanguage | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return (OTP_LANGUAGES as readonly string[]).includes(primary)
    ? (primary as OtpLanguage)
    : undefined;
}

/**
 * The language of a message: the destination's own (`preferred`, from
 * `lookupUser`), else the best of the request's Accept-Language (RFC 9110
 * §12.5.4: by q-value, then by order; `q=0` means "not this"; `*` takes
 * English), else English.
 */
export function pickLanguage(
  preferred: string | undefined,
  acceptLanguage: string | null | undefined,
): OtpLanguage {
  const own = preferred ? builtIn(preferred) : undefined;
  if (own) return own;
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';');
      const q = params
        .map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p))
        .find((m) => m);
      return {tag: tag.trim(), q: q ? Number(q[1]) : 1, index};
    })
    .filter((range) => range.tag && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const {tag} of ranges) {
    if (tag === '*') return 'en';
    const language = builtIn(tag);
    if (language) return language;
  }
  return 'en';
}
