import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {pickLanguage} from '../language.js';

describe('pickLanguage', () => {
  it("takes the destination's language first", () => {
    assert.equal(pickLanguage('de', 'pt-BR,pt;q=0.9'), 'de');
    assert.equal(pickLanguage('pt-BR', null), 'pt');
    assert.equal(pickLanguage('AR_EG', undefined), 'ar');
  });

  it("falls back to Accept-Language when the destination's language has no template", () => {
    assert.equal(pickLanguage('fr', 'de-CH'), 'de');
    assert.equal(pickLanguage(undefined, 'pt-BR'), 'pt');
  });

  it('orders Accept-Language by q-value, then by position', () => {
    assert.equal(pickLanguage(undefined, 'en;q=0.5, ar;q=0.8, de;q=0.8'), 'ar');
    assert.equal(pickLanguage(undefined, 'fr, de;q=0.1, pt;q=0.2'), 'pt');
  });

  it('skips q=0 and tags without a template', () => {
    assert.equal(pickLanguage(undefined, 'de;q=0, ja, pt;q=0.3'), 'pt');
  });

  it('takes English for *, for nothing usable, and for garbage', () => {
    assert.equal(pickLanguage(undefined, 'fr, *;q=0.5, de;q=0.1'), 'en');
    assert.equal(pickLanguage(undefined, 'ja, zh'), 'en');
    assert.equal(pickLanguage(undefined, ''), 'en');
    assert.equal(pickLanguage(undefined, ';;;,,,q=abc'), 'en');
    assert.equal(pickLanguage('', undefined), 'en');
  });

  it('answers a huge header in bounded time', () => {
    const header = `${'x-y;q=0.5,'.repeat(100_000)}de`;
    const started = performance.now();
    assert.equal(pickLanguage(undefined, header), 'en');
    assert.ok(performance.now() - started < 100);
  });
});
