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
    expect(parseLifetime('500ms')).to.equal(0.5);
    expect(parseLifetime('1h30m')).to.equal(5400);
    expect(parseLifetime('1H 30M 15S')).to.equal(5415);
    expect(parseLifetime(' 2 m ')).to.equal(120);
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

  it('refuses text that is not a lifetime, however it is built, and text too long to be one', () => {
    for (const bad of [
      '1'.repeat(40) + 'x',
      '1'.repeat(30) + 'x',
      '1 '.repeat(5000) + 'x',
      '1 '.repeat(20) + 'x',
      '1.'.repeat(20),
      '1m'.repeat(20) + '!',
      'P' + '1'.repeat(40) + 'Dx',
      ' '.repeat(100) + '5m',
      '5'.repeat(10_000),
      '1.5.5m',
      'm5',
      '5 mm',
      '5mss',
    ]) {
      expect(parseLifetime(bad), bad.slice(0, 50)).to.be.undefined;
    }
  });

  it('reads a lifetime up to the length cap', () => {
    // 63 characters of whitespace and one minute: inside the cap, so read.
    expect(parseLifetime(`${' '.repeat(30)}1m${' '.repeat(30)}`)).to.equal(60);
    expect(parseLifetime('1s '.repeat(21))).to.equal(21);
  });

  it('refuses lifetimes longer than 24 hours', () => {
    expect(parseLifetime('24h')).to.equal(86400);
    expect(parseLifetime(86401)).to.be.undefined;
    expect(parseLifetime('25h')).to.be.undefined;
    expect(parseLifetime('PT24H1S')).to.be.undefined;
  });
});
