/** Numbers, plurals and durations in the element's language, all from `Intl`. */
export interface Format {
  number(n: number): string;
  /** `one`, `other`, … for `n`, to pick a plural form. */
  plural(n: number): Intl.LDMLPluralRule;
  /** `4:05` for 245 seconds, in the language's digits. */
  clock(seconds: number): string;
  /** `1 minute`, `10 seconds`: a spoken length of time, rounded to what is worth saying. */
  duration(seconds: number): string;
}

const formats = new Map<string, Format>();

/** The formats for a language, built once per language for the page. */
export function formatFor(tag: string): Format {
  let format = formats.get(tag);
  if (!format) formats.set(tag, (format = buildFormat(tag)));
  return format;
}

function buildFormat(tag: string): Format {
  // A page's lang attribute, or a browser started with LANG=C, can hold a tag
  // Intl refuses: its constructors throw RangeError then. English instead.
  try {
    return buildFormatIn(Intl.getCanonicalLocales(tag)[0] ?? 'en');
  } catch {
    return buildFormatIn('en');
  }
}

function buildFormatIn(lang: string): Format {
  const number = new Intl.NumberFormat(lang);
  const twoDigits = new Intl.NumberFormat(lang, {minimumIntegerDigits: 2});
  const plurals = new Intl.PluralRules(lang);
  const unit = (name: 'minute' | 'second') =>
    new Intl.NumberFormat(lang, {style: 'unit', unit: name, unitDisplay: 'long'});
  return {
    number: (n) => number.format(n),
    plural: (n) => plurals.select(n),
    clock(seconds) {
      const whole = Math.max(0, Math.ceil(seconds));
      return `${number.format(Math.floor(whole / 60))}:${twoDigits.format(whole % 60)}`;
    },
    duration: (seconds) =>
      seconds >= 60
        ? unit('minute').format(Math.round(seconds / 60))
        : unit('second').format(Math.max(0, Math.ceil(seconds))),
  };
}
