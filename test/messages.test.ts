import {expect} from '@open-wc/testing';
import {formatFor} from '../src/messages/format.js';
import {
  isolate,
  loadAllMessages,
  loadMessages,
  messagesFor,
} from '../src/messages/index.js';
import {ODD_TAGS} from './helpers.js';

/** A value set apart, as the messages put it: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE. */
const I = (value: string | number) => `\u2068${value}\u2069`;
const LANGUAGES = ['en', 'pt', 'de', 'ar'];
/** English and the three languages that load on demand, before the tests read them. */
const loadEveryLanguage = () =>
  Promise.all([
    loadAllMessages('en'),
    loadMessages('pt'),
    loadMessages('de'),
    loadMessages('ar'),
  ]);

describe('messages', () => {
  before(loadEveryLanguage);

  it('loads a language once, and has nothing to load for English or an unknown one', async () => {
    expect(loadMessages('pt-BR')).to.be.undefined;
    expect(loadMessages('ar-EG')).to.be.undefined;
    expect(loadMessages('en')).to.be.undefined;
    expect(loadMessages('fr')).to.be.undefined;
  });

  it('picks English, Portuguese, German or Arabic by language tag, English otherwise', () => {
    expect(messagesFor('en-GB').confirm).to.equal('Confirm');
    expect(messagesFor('pt-BR').confirm).to.equal('Confirmar');
    expect(messagesFor('PT').confirm).to.equal('Confirmar');
    expect(messagesFor('de-AT').confirm).to.equal('Bestätigen');
    expect(messagesFor('ar').confirm).to.equal('تأكيد');
    expect(messagesFor('AR-sa').confirm).to.equal('تأكيد');
    expect(messagesFor('fr').confirm).to.equal('Confirm');
  });

  it('lets a page add its own words over any language', () => {
    const fr = messagesFor('fr', {
      confirm: 'Valider',
      errors: {locked: 'Bloqué.'},
    } as never);
    expect(fr.confirm).to.equal('Valider');
    expect(fr.errors.locked).to.equal('Bloqué.');
    expect(fr.errors['unknown-user']).to.equal(messagesFor('en').errors['unknown-user']);
  });

  it('gives English, and loads nothing, for a tag that names a member of Object', () => {
    for (const odd of ODD_TAGS) {
      expect(loadMessages(odd), odd.slice(0, 20)).to.be.undefined;
      expect(messagesFor(odd).trigger, odd.slice(0, 20)).to.equal('Get code');
      expect(messagesFor(odd).errors.locked).to.equal(messagesFor('en').errors.locked);
    }
  });

  it('has every message in every language', () => {
    const keys = (o: object) => Object.keys(o).sort();
    for (const lang of LANGUAGES.slice(1)) {
      expect(keys(messagesFor(lang)), lang).to.deep.equal(keys(messagesFor('en')));
      expect(keys(messagesFor(lang).errors), lang).to.deep.equal(
        keys(messagesFor('en').errors),
      );
    }
  });

  it('formats numbers, plurals and durations with Intl', () => {
    const en = formatFor('en');
    expect(en.clock(245)).to.equal('4:05');
    expect(en.duration(60)).to.equal('1 minute');
    expect(en.duration(10)).to.equal('10 seconds');
    expect(messagesFor('en').attemptsLeft(1, en)).to.equal(`${I(1)} attempt left`);
    expect(messagesFor('en').attemptsLeft(3, en)).to.equal(`${I(3)} attempts left`);
    const pt = formatFor('pt');
    expect(messagesFor('pt').attemptsLeft(1, pt)).to.equal(`${I(1)} tentativa restante`);
    expect(messagesFor('pt').attemptsLeft(4, pt)).to.equal(
      `${I(4)} tentativas restantes`,
    );
    expect(pt.duration(60)).to.equal('1 minuto');
    const de = formatFor('de');
    expect(messagesFor('de').attemptsLeft(1, de)).to.equal(`Noch ${I(1)} Versuch`);
    expect(de.duration(30)).to.equal('30 Sekunden');
    expect(formatFor('ar-EG').clock(65)).to.equal('١:٠٥');
  });
});

describe('messages isolate what they put into sentences', () => {
  before(loadEveryLanguage);

  it('isolates with FSI … PDI', () => {
    expect(isolate('maria.silva')).to.equal('\u2068maria.silva\u2069');
    expect(isolate(6)).to.equal('\u20686\u2069');
  });

  it('sets apart user names, codes’ lengths, counts and times in every language', () => {
    const numeric = {length: 6, numeric: true};
    const mixed = {length: 8, numeric: false};
    for (const lang of LANGUAGES) {
      const t = messagesFor(lang);
      const f = formatFor(lang);
      const has = (message: string, value: string) =>
        expect(message, `${lang}: ${message}`).to.include(I(value));
      has(t.description(numeric, 'maria.silva', f), 'maria.silva');
      has(t.description(numeric, 'maria.silva', f), f.number(6));
      has(t.description(mixed, 'maria.silva', f), f.number(8));
      has(t.inputLabel(numeric, f), f.number(6));
      has(t.expiresIn(f.clock(245)), f.clock(245));
      has(t.left(f.duration(30)), f.duration(30));
      has(t.attemptsLeft(4, f), f.number(4));
      has(t.invalid(4, f), f.number(4));
      has(t.resendIn(f.number(30)), f.number(30));
      has(t.retryIn(f.number(2)), f.number(2));
    }
  });

  it('reads the same as before, once the isolates are taken out', () => {
    const visible = (s: string) => s.replace(/[\u2068\u2069]/g, '');
    const en = formatFor('en');
    const t = messagesFor('en');
    expect(
      visible(t.description({length: 6, numeric: true}, 'maria.silva', en)),
    ).to.equal('Enter the 6-digit code sent for maria.silva.');
    expect(visible(t.inputLabel({length: 8, numeric: false}, en))).to.equal(
      '8-character code',
    );
    expect(visible(t.invalid(1, en))).to.equal('That code is not right. 1 attempt left.');
    expect(visible(t.expiresIn('4:05'))).to.equal('Expires in 4:05');
    expect(visible(t.resendIn('30'))).to.equal('Resend in 30 s');
  });
});

describe('Arabic messages', () => {
  before(() => Promise.all([loadAllMessages('en'), loadMessages('ar')]));
  const ar = () => messagesFor('ar');
  const f = formatFor('ar');

  it('takes Intl’s six Arabic plural forms', () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => f.plural(n))).to.deep.equal([
      'zero',
      'one',
      'two',
      'few',
      'many',
      'other',
    ]);
  });

  it('says how many attempts are left in the form each number takes', () => {
    const left = (n: number) => ar().attemptsLeft(n, f);
    expect(left(0)).to.equal('لم تتبقَّ أي محاولة');
    expect(left(1)).to.equal('تبقّت محاولة واحدة');
    expect(left(2)).to.equal('تبقّت محاولتان');
    expect(left(3)).to.equal(`تبقّت ${I(f.number(3))} محاولات`);
    expect(left(10)).to.equal(`تبقّت ${I(f.number(10))} محاولات`);
    expect(left(11)).to.equal(`تبقّت ${I(f.number(11))} محاولة`);
    expect(left(100)).to.equal(`تبقّت ${I(f.number(100))} محاولة`);
    expect(ar().invalid(4, f)).to.equal(
      `هذا الرمز غير صحيح. تبقّت ${I(f.number(4))} محاولات.`,
    );
  });

  it('counts the code’s digits or characters in the form each length takes', () => {
    const label = (length: number, numeric = true) =>
      ar().inputLabel({length, numeric}, f);
    expect(label(1)).to.equal('رمز من رقم واحد');
    expect(label(2)).to.equal('رمز من رقمين');
    expect(label(6)).to.equal(`رمز من ${I(f.number(6))} أرقام`);
    expect(label(10, false)).to.equal(`رمز من ${I(f.number(10))} أحرف`);
    expect(label(11)).to.equal(`رمز من ${I(f.number(11))} رقمًا`);
    expect(label(100, false)).to.equal(`رمز من ${I(f.number(100))} حرف`);
    expect(ar().description({length: 6, numeric: true}, 'maria.silva', f)).to.equal(
      `أدخل الرمز المكوّن من ${I(f.number(6))} أرقام الذي أُرسل إلى ${I('maria.silva')}.`,
    );
  });

  it('writes numbers in Arabic digits', () => {
    expect(formatFor('ar-EG').number(30)).to.equal('٣٠');
  });
});

describe('formatFor', () => {
  it('falls back to English for a tag Intl refuses', () => {
    expect(formatFor('C').clock(65)).to.equal('1:05');
    expect(formatFor('not a tag').number(1000)).to.equal('1,000');
    for (const odd of ODD_TAGS) {
      const f = formatFor(odd);
      expect(f.clock(65), odd.slice(0, 20)).to.equal('1:05');
      expect(f.duration(60)).to.equal('1 minute');
      expect(f.plural(1)).to.equal('one');
    }
  });
});
