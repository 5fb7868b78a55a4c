import {expect, fixture, fixtureSync, html} from '@open-wc/testing';
import {formatFor} from '../src/messages/format.js';
import {languageOf} from '../src/messages/language-controller.js';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  enterCode,
  guardUncaughtErrors,
  part,
  parts,
  rawText,
  text,
  uniqueUser,
  visible,
  wrongCode,
  ODD_TAGS,
} from './helpers.js';

/** A value set apart from the sentence around it: FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE. */
const I = (value: string) => `\u2068${value}\u2069`;

/** Where the characters `from` to `to` (exclusive) of a text node are drawn. */
function rectOf(node: Text, from: number, to = from + 1): DOMRect {
  const range = document.createRange();
  range.setStart(node, from);
  range.setEnd(node, to);
  return range.getBoundingClientRect();
}

/** An Arabic page's element, its dialog open. */
async function arabicDialog(user = uniqueUser()) {
  const root = fixtureSync<HTMLDivElement>(
    html`<div lang="ar" dir="rtl"><otp-step demo user=${user}></otp-step></div>`,
  );
  const el = root.querySelector('otp-step')!;
  await el.updateComplete;
  await clickTriggerForCode(el);
  return el;
}

guardUncaughtErrors();

describe('<otp-step> languages and direction', () => {
  it('speaks English, and works, for a lang that names no language or a member of Object', async () => {
    for (const lang of ODD_TAGS) {
      const el = await fixture<OtpStep>(
        html`<otp-step demo lang=${lang} user=${uniqueUser()}></otp-step>`,
      );
      const label = lang.slice(0, 20) || '(empty)';
      expect(text(el, 'trigger'), label).to.equal('Get code');
      expect(await el.requestCode(), label).to.be.true;
      await el.updateComplete;
      expect(text(el, 'title'), label).to.equal('Enter the one-time code');
      expect(text(el, 'timer'), label).to.match(/^Expires in \d:\d\d$/);
      el.close();
      el.remove();
    }
  });

  it('speaks Portuguese from its own lang', async () => {
    const el = await fixture<OtpStep>(
      html`<otp-step demo lang="pt-BR" user=${uniqueUser()}></otp-step>`,
    );
    expect(text(el, 'trigger')).to.equal('Obter código');
    await clickTriggerForCode(el);
    expect(text(el, 'title')).to.equal('Digite o código de uso único');
    expect(visible(part<HTMLInputElement>(el, 'input').labels![0].textContent)).to.equal(
      'Código de 6 dígitos',
    );
    await enterCode(el, wrongCode(el.forTestCode));
    expect(text(el, 'message')).to.equal('Código incorreto. 4 tentativas restantes.');
    await expect(el).to.be.accessible();
  });

  it('speaks German from the nearest ancestor’s lang', async () => {
    const root = fixtureSync<HTMLDivElement>(
      html`<div lang="de">
        <section><otp-step demo user=${uniqueUser()}></otp-step></section>
      </div>`,
    );
    const el = root.querySelector('otp-step')!;
    await el.updateComplete;
    expect(text(el, 'trigger')).to.equal('Code anfordern');
    await clickTriggerForCode(el);
    expect(text(el, 'attempts')).to.equal('Noch 5 Versuche');
    expect(text(el, 'timer')).to.match(/^Läuft ab in (5:00|4:59)$/);
  });

  // Before any other test here speaks Arabic, so its messages are not loaded yet.
  it('loads Arabic when first asked for, speaking English until it is here', async () => {
    const el = fixtureSync<OtpStep>(
      html`<otp-step demo lang="ar" user=${uniqueUser()}></otp-step>`,
    );
    // The first render comes a few microtasks after connection; Arabic takes a request.
    for (let i = 0; i < 20 && !el.hasUpdated; i++) await null;
    expect(el.hasUpdated).to.be.true;
    expect(text(el, 'trigger')).to.equal('Get code');
    await el.updateComplete;
    expect(text(el, 'trigger')).to.equal('الحصول على الرمز');
  });

  it('speaks Arabic, setting apart the user name, counts and times in every message', async () => {
    const user = uniqueUser('maria.silva');
    const el = await arabicDialog(user);
    const f = formatFor('ar');
    const number = (n: number) => I(f.number(n));
    expect(text(el, 'title')).to.equal('أدخل رمز التحقق لمرة واحدة');
    expect(rawText(el, 'description')).to.equal(
      `أدخل الرمز المكوّن من ${number(6)} أرقام الذي أُرسل إلى ${I(user)}.`,
    );
    expect(rawText(el, 'attempts')).to.equal(`تبقّت ${number(5)} محاولات`);
    // 5:00 or 4:59, in Arabic digits, left to right inside its isolate.
    expect(
      [5 * 60, 5 * 60 - 1].map((s) => `تنتهي صلاحية الرمز بعد ${I(f.clock(s))}`),
    ).to.include(rawText(el, 'timer'));
    expect(part<HTMLInputElement>(el, 'input').labels![0].textContent!.trim()).to.equal(
      `رمز من ${number(6)} أرقام`,
    );
    await enterCode(el, wrongCode(el.forTestCode));
    expect(rawText(el, 'message')).to.equal(
      `هذا الرمز غير صحيح. تبقّت ${number(4)} محاولات.`,
    );
    // After a wrong code the count is said once, in the message.
    expect(rawText(el, 'attempts')).to.equal('');
    expect([30, 29].map((s) => `إعادة الإرسال بعد ${number(s)} ث`)).to.include(
      rawText(el, 'resend'),
    );
    await expect(el).to.be.accessible();
  });

  it('keeps a user name in its own order inside right-to-left Arabic', async () => {
    // A name that starts with digits: not set apart, they would join the Arabic
    // before them and be drawn right of the rest ("maria-7" for "7-maria").
    const user = `7-${uniqueUser('maria')}`;
    const el = await arabicDialog(user);
    const description = part(el, 'description');
    // One line, so left and right compare within it.
    description.style.whiteSpace = 'nowrap';
    const node = [...description.childNodes].find(
      (n): n is Text => n instanceof Text && n.data.includes(user),
    )!;
    const start = node.data.indexOf(user);
    const end = start + user.length;
    const first = rectOf(node, start);
    const last = rectOf(node, end - 1);
    const name = rectOf(node, start, end);
    // Left to right within the name: its first character left of its last.
    expect(first.left, 'first character of the name').to.be.below(last.left);
    // The sentence right to left: its first word right of the name, its full stop left of it.
    const word = node.data.indexOf('أدخل');
    expect(rectOf(node, word, word + 4).left, 'first word').to.be.at.least(name.right);
    const stop = node.data.lastIndexOf('.');
    expect(rectOf(node, stop).right, 'full stop').to.be.at.most(name.left);
  });

  it('speaks English where the language is not one it has', async () => {
    const el = await fixture<OtpStep>(
      html`<otp-step demo lang="fr" user=${uniqueUser()}></otp-step>`,
    );
    expect(text(el, 'trigger')).to.equal('Get code');
  });

  it('takes a page’s own messages for another language', async () => {
    const el = fixtureSync<OtpStep>(
      html`<otp-step demo lang="fr" user=${uniqueUser()}></otp-step>`,
    );
    el.messages = {
      trigger: 'Obtenir un code',
      attemptsLeft: (n, f) => `${f.number(n)} essais restants`,
    };
    await el.updateComplete;
    expect(text(el, 'trigger')).to.equal('Obtenir un code');
    await clickTriggerForCode(el);
    expect(text(el, 'attempts')).to.equal('5 essais restants');
  });

  it('mirrors the layout right to left but keeps the code left to right', async () => {
    const root = fixtureSync<HTMLDivElement>(
      html`<div dir="rtl" lang="ar-EG">
        <otp-step demo user=${uniqueUser()}></otp-step>
      </div>`,
    );
    const el = root.querySelector('otp-step')!;
    await el.updateComplete;
    await clickTriggerForCode(el);
    expect(getComputedStyle(part(el, 'actions')).direction).to.equal('rtl');
    expect(getComputedStyle(part(el, 'boxes')).direction).to.equal('ltr');
    expect(part(el, 'input').dir).to.equal('ltr');
    expect(part(el, 'code').dir).to.equal('ltr');
    // The first box is on the left, where the code starts.
    const [first, second] = parts(el, 'box');
    expect(first.getBoundingClientRect().x).to.be.below(second.getBoundingClientRect().x);
    // Numbers in the page's language, from Intl.
    expect(text(el, 'timer')).to.match(/[٠-٩]/);
    await expect(el).to.be.accessible();
  });
});

describe('languageOf', () => {
  it('falls back to English where there is no navigator, as on a server (SSR on Node 20)', () => {
    const element = document.createElement('div');
    expect(languageOf(element)).to.equal(navigator.language || 'en');
    // Hides the browser's navigator for this one call, then puts it back as it was
    // (an own property of window in Chromium, one of its prototype elsewhere).
    const own = Object.getOwnPropertyDescriptor(window, 'navigator');
    Object.defineProperty(window, 'navigator', {value: undefined, configurable: true});
    try {
      expect(typeof navigator).to.equal('undefined');
      expect(languageOf(element)).to.equal('en');
    } finally {
      if (own) Object.defineProperty(window, 'navigator', own);
      else delete (window as {navigator?: Navigator}).navigator;
    }
    expect(navigator.language).to.be.a('string');
  });
});
