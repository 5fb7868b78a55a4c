import {expect} from '@open-wc/testing';
import {parseLifetime} from '../../src/step/parse-lifetime.js';

describe('parseLifetime', () => {
  it('reads plain seconds, as a number or as text', () => {
    expect(parseLifetime(300)).to.equal(300);
    expect(parseLifetime('300')).to.equal(300);
    expect(parseLifetime(' 45 ')).to.equal(45);
  });

  it('reads the short forms', () => {
    expect(parseLifetime('90s')).to.equal(90);
    expect(parseLifetime('5m')).to.equal(300);
    expect(parseLifetime('1h')).to.equal(3600);
    expect(parseLifetime('1.5m')).to.equal(90);
    expect(parseLifetime('1h 30m')).to.equal(5400);
    expect(parseLifetime('2M')).to.equal(120);
  });

  it('reads ISO 8601 durations', () => {
    expect(parseLifetime('PT5M')).to.equal(300);
    expect(parseLifetime('PT90S')).to.equal(90);
    expect(parseLifetime('PT1H30M')).to.equal(5400);
    expect(parseLifetime('pt2m')).to.equal(120);
    expect(parseLifetime('P1D')).to.equal(86400);
  });

  it('refuses zero, negative and unparseable lifetimes', () => {
    for (const bad of [
      0,
      -5,
      '0',
      '-5',
      '0s',
      'PT0S',
      '',
      '  ',
      'five',
      '5 minutes',
      'P',
      'PT',
      'P1M',
      NaN,
      Infinity,
    ]) {
      expect(parseLifetime(bad), String(bad)).to.be.undefined;
    }
  });

  it('refuses lifetimes longer than 24 hours', () => {
    expect(parseLifetime('24h')).to.equal(86400);
    expect(parseLifetime(86401)).to.be.undefined;
    expect(parseLifetime('25h')).to.be.undefined;
    expect(parseLifetime('PT24H1S')).to.be.undefined;
  });
});
