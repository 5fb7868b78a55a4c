import {expect} from '@open-wc/testing';
import {cleanCode, isWellFormedCode} from '../../src/code/clean-code.js';

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

  it('upper-cases an alphanumeric code but not a numeric one', () => {
    expect(cleanCode('ab-c2 3d', 'alphanumeric')).to.equal('ABC23D');
    expect(cleanCode('ab12', 'numeric')).to.equal('ab12');
  });
});

describe('isWellFormedCode', () => {
  it('accepts exactly `length` characters of the alphabet', () => {
    expect(isWellFormedCode('123456', 6, 'numeric')).to.be.true;
    expect(isWellFormedCode('12345', 6, 'numeric')).to.be.false;
    expect(isWellFormedCode('1234567', 6, 'numeric')).to.be.false;
    expect(isWellFormedCode('12345a', 6, 'numeric')).to.be.false;
    expect(isWellFormedCode('ABC23D', 6, 'alphanumeric')).to.be.true;
    // 0, O, 1, I and L are not in the alphanumeric alphabet.
    expect(isWellFormedCode('ABC10D', 6, 'alphanumeric')).to.be.false;
  });
});
