import {expect} from '@open-wc/testing';
import {formatFor, loadMessages, messagesFor} from '../src/messages/index.js';
import {ODD_TAGS} from './helpers.js';

describe('messages', () => {
  before(() => Promise.all([loadMessages('pt'), loadMessages('de')]));

  it('loads a language once, and has nothing to load for English or an unknown one', async () => {
    expect(loadMessages('pt-BR')).to.be.undefined;
    expect(loadMessages('en')).to.be.undefined;
    expect(loadMessages('fr')).to.be.undefined;
  });

  it('picks English, Portuguese or German by language tag, English otherwise', () => {
    expect(messagesFor('en-GB').confirm).to.equal('Confirm');
    expect(messagesFor('pt-BR').confirm).to.equal('Confirmar');
    expect(messagesFor('PT').confirm).to.equal('Confirmar');
    expect(messagesFor('de-AT').confirm).to.equal('Bestätigen');
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
    for (const lang of ['pt', 'de']) {
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
    expect(messagesFor('en').attemptsLeft(1, en)).to.equal('1 attempt left');
    expect(messagesFor('en').attemptsLeft(3, en)).to.equal('3 attempts left');
    const pt = formatFor('pt');
    expect(messagesFor('pt').attemptsLeft(1, pt)).to.equal('1 tentativa restante');
    expect(messagesFor('pt').attemptsLeft(4, pt)).to.equal('4 tentativas restantes');
    expect(pt.duration(60)).to.equal('1 minuto');
    const de = formatFor('de');
    expect(messagesFor('de').attemptsLeft(1, de)).to.equal('Noch 1 Versuch');
    expect(de.duration(30)).to.equal('30 Sekunden');
    expect(formatFor('ar-EG').clock(65)).to.equal('١:٠٥');
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
