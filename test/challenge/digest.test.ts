import {expect} from '@open-wc/testing';
import {digestCode, equalBytes, randomSalt} from '../../src/challenge/digest.js';

describe('digest', () => {
  it('gives the same digest for the same code and salt, another for another salt', async () => {
    const salt = randomSalt();
    const a = await digestCode('123456', salt);
    const b = await digestCode('123456', salt);
    const c = await digestCode('123456', randomSalt());
    expect(a).to.have.length(32);
    expect(equalBytes(a, b)).to.be.true;
    expect(equalBytes(a, c)).to.be.false;
  });

  it('is SHA-256 of the salt followed by the code', async () => {
    const salt = new TextEncoder().encode('salt');
    const digest = await digestCode('123456', salt);
    const expected = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode('salt123456')),
    );
    expect([...digest]).to.deep.equal([...expected]);
  });

  it('compares byte strings whole', () => {
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).to.be.true;
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).to.be.false;
    expect(equalBytes(new Uint8Array([9, 2, 3]), new Uint8Array([1, 2, 3]))).to.be.false;
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).to.be.false;
  });

  it('makes a new 16-byte salt each time', () => {
    expect(randomSalt()).to.have.length(16);
    expect(equalBytes(randomSalt(), randomSalt())).to.be.false;
  });
});
