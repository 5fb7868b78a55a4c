import {expect, fixture, fixtureSync, html} from '@open-wc/testing';
import '../src/otp-step.js';
import type {OtpStep} from '../src/otp-step.js';
import {
  clickTriggerForCode,
  enterCode,
  guardUncaughtErrors,
  part,
  parts,
  text,
  uniqueUser,
  wrongCode,
  ODD_TAGS,
} from './helpers.js';

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
    expect(part<HTMLInputElement>(el, 'input').labels![0].textContent!.trim()).to.equal(
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
