import {expect} from '@open-wc/testing';
import {
  clampCode,
  codeFromText,
  groupSize,
  inputShape,
  patternOf,
  validityOf,
} from '../../src/input/code-shape.js';

const numeric = inputShape(6, 'numeric');
const alphanumeric = inputShape(6, 'alphanumeric');

describe("<otp-input>'s code shape", () => {
  it('holds the length to 4–10 and reads an unknown alphabet as numeric', () => {
    expect(inputShape(8, 'alphanumeric')).to.deep.equal({
      length: 8,
      alphabet: 'alphanumeric',
      numeric: false,
    });
    expect(inputShape(2, 'numeric').length).to.equal(4);
    expect(inputShape(99, 'numeric').length).to.equal(10);
    expect(inputShape(NaN, 'numeric').length).to.equal(6);
    expect(inputShape(6.6, 'numeric').length).to.equal(7);
    expect(inputShape(6, 'hex')).to.deep.equal({
      length: 6,
      alphabet: 'numeric',
      numeric: true,
    });
  });

  it('groups 6 characters in threes and 8 in fours by default, other lengths not', () => {
    const defaults = [4, 5, 6, 7, 8, 9, 10].map((length) => groupSize(undefined, length));
    expect(defaults).to.deep.equal([0, 0, 3, 0, 4, 0, 0]);
  });

  it('takes a group size from 0 up as written, and the default for anything else', () => {
    expect(groupSize('0', 6), 'off').to.equal(0);
    expect(groupSize(0, 8), 'off').to.equal(0);
    expect(groupSize('5', 10), 'a recovery code').to.equal(5);
    expect(groupSize(3, 7), 'uneven').to.equal(3);
    expect(groupSize('2', 6)).to.equal(2);
    expect(groupSize('12', 6), 'more than the length: one group').to.equal(12);
    expect(groupSize('3.9', 10), 'read as parseInt does').to.equal(3);
    expect(groupSize(' 4 ', 10)).to.equal(4);
    for (const bad of [
      '-1',
      -3,
      '-0.5',
      'abc',
      '',
      'NaN',
      NaN,
      Infinity,
      null,
      undefined,
    ])
      expect(
        [
          groupSize(bad as string, 6),
          groupSize(bad as string, 8),
          groupSize(bad as string, 10),
        ],
        String(bad),
      ).to.deep.equal([3, 4, 0]);
  });

  it('gives the pattern of the alphabet and length', () => {
    expect(patternOf(numeric)).to.equal('\\d{6}');
    expect(patternOf(inputShape(8, 'alphanumeric'))).to.equal('[0-9A-Za-z]{8}');
  });

  it('holds a value set by the page to the alphabet and length', () => {
    expect(clampCode('12-34 5678', numeric)).to.equal('123456');
    expect(clampCode('oil k7q', alphanumeric)).to.equal('011K7Q');
    expect(clampCode('１２３', numeric)).to.equal('123');
  });

  it('takes the code out of text that arrived at once, or lets the page do it', () => {
    expect(codeFromText('Your code is 123 456. Do not share it.', numeric)).to.equal(
      '123456',
    );
    expect(codeFromText('#482913 @example.com', numeric)).to.equal('482913');
    expect(codeFromText('ab', numeric, () => '12x34567')).to.equal('123456');
  });

  it('says why a value keeps the form from submitting', () => {
    expect(validityOf('', numeric, false)).to.be.undefined;
    expect(validityOf('482913', numeric, true)).to.be.undefined;
    expect(validityOf('', numeric, true)).to.deep.equal({
      flags: {valueMissing: true},
      message: 'Enter the 6-digit code.',
    });
    expect(validityOf('48', alphanumeric, true)?.message).to.equal(
      'Enter the 6-character code.',
    );
    expect(validityOf('48', numeric, false)).to.deep.equal({
      flags: {patternMismatch: true},
      message: 'Enter the 6-digit code.',
    });
  });
});
