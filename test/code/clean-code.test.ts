import {expect} from '@open-wc/testing';
import {
  cleanCode,
  extractCode,
  isWellFormedCode,
  keepAlphabet,
} from '../../src/code/clean-code.js';

describe('cleanCode', () => {
  it('drops spaces, dashes, dots and other separators', () => {
    expect(cleanCode(' 123 456 ', 'numeric')).to.equal('123456');
    expect(cleanCode('123-456', 'numeric')).to.equal('123456');
    expect(cleanCode('12.34.56', 'numeric')).to.equal('123456');
    expect(cleanCode('123\u00a0456\t', 'numeric')).to.equal('123456');
    expect(cleanCode('123–456', 'numeric')).to.equal('123456');
    expect(cleanCode('(123) 456', 'numeric')).to.equal('123456');
  });

  it('turns full-width digits into ASCII ones', () => {
    expect(cleanCode('１２３４５６', 'numeric')).to.equal('123456');
  });

  it('upper-cases an alphanumeric code and reads look-alikes as the character meant', () => {
    expect(cleanCode('ab-c2 3d', 'alphanumeric')).to.equal('ABC23D');
    expect(cleanCode('oil-u', 'alphanumeric')).to.equal('011V');
    expect(cleanCode('ab12', 'numeric')).to.equal('ab12');
  });
});

describe('keepAlphabet', () => {
  it('keeps only characters of the alphabet', () => {
    expect(keepAlphabet('1a2-b3', 'numeric')).to.equal('123');
    expect(keepAlphabet('x-y!z0', 'alphanumeric')).to.equal('XYZ0');
  });
});

describe('isWellFormedCode', () => {
  it('accepts exactly `length` characters of the alphabet', () => {
    expect(isWellFormedCode('123456', 6, 'numeric')).to.be.true;
    expect(isWellFormedCode('12345', 6, 'numeric')).to.be.false;
    expect(isWellFormedCode('1234567', 6, 'numeric')).to.be.false;
    expect(isWellFormedCode('12345a', 6, 'numeric')).to.be.false;
    expect(isWellFormedCode('ABC23D', 6, 'alphanumeric')).to.be.true;
    // I, L, O and U are not in the alphanumeric alphabet: they are read as 1, 1, 0 and V.
    expect(isWellFormedCode('ABCI0D', 6, 'alphanumeric')).to.be.false;
  });
});

describe('extractCode', () => {
  it('takes the code from a plain or separated paste', () => {
    expect(extractCode('123456', 6, 'numeric')).to.equal('123456');
    expect(extractCode(' 123-456\n', 6, 'numeric')).to.equal('123456');
    expect(extractCode('12 34 56', 6, 'numeric')).to.equal('123456');
  });

  it('takes the code out of a sentence', () => {
    expect(extractCode('Your code is 123 456', 6, 'numeric')).to.equal('123456');
    expect(
      extractCode('Your code is 123456. It expires in 10 minutes.', 6, 'numeric'),
    ).to.equal('123456');
    expect(extractCode('Código: 482-913 (válido por 5 min)', 6, 'numeric')).to.equal(
      '482913',
    );
    expect(extractCode('Ihr Code lautet 7391 02.', 6, 'numeric')).to.equal('739102');
  });

  it('prefers a run with a digit over words that read as a code', () => {
    // "CODE IS" reads as C0DE1S in Base32, but has no digit as written.
    expect(extractCode('Your code is AB3-4CD', 6, 'alphanumeric')).to.equal('AB34CD');
    expect(extractCode('use k7q 2zm now', 6, 'alphanumeric')).to.equal('K7Q2ZM');
  });

  it('keeps what it can when no run has the right length', () => {
    expect(extractCode('12-34', 6, 'numeric')).to.equal('1234');
    expect(extractCode('1234567890', 6, 'numeric')).to.equal('123456');
  });
});
