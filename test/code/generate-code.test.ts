import {expect} from '@open-wc/testing';
import {ALPHABETS} from '../../src/code/alphabets.js';
import {generateCode} from '../../src/code/generate-code.js';

/** A byte source that plays back `bytes`, then fails: the test sees exactly which bytes were used. */
function playback(bytes: number[]) {
  let at = 0;
  return (length: number) => {
    if (at >= bytes.length) throw new Error('ran out of bytes');
    const chunk = bytes.slice(at, at + length);
    at += chunk.length;
    return new Uint8Array(chunk);
  };
}

describe('generateCode', () => {
  it('gives codes of the asked length from the alphabet only', () => {
    for (const alphabet of Object.values(ALPHABETS)) {
      for (let length = 4; length <= 10; length++) {
        const code = generateCode(length, alphabet);
        expect(code).to.have.length(length);
        for (const c of code) expect(alphabet).to.include(c);
      }
    }
  });

  it('throws away bytes at or above the largest multiple of the alphabet size', () => {
    // For 10 digits the limit is 250: 250..255 would favour 0..5 if taken modulo 10.
    const code = generateCode(
      4,
      ALPHABETS.numeric,
      playback([255, 250, 3, 251, 249, 0, 7]),
    );
    expect(code).to.equal('3907');
  });

  it('uses every byte for the 32-character alphabet, where no byte is biased', () => {
    const a = ALPHABETS.alphanumeric;
    expect(a).to.have.length(32);
    const code = generateCode(4, a, playback([255, 0, 31, 32]));
    expect(code).to.equal(a[31] + a[0] + a[31] + a[0]);
  });

  it('draws every digit equally often (chi-square over 100,000 digits)', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      for (const c of generateCode(10, ALPHABETS.numeric)) counts[Number(c)]++;
    }
    const expected = 10_000;
    const chiSquare = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: 27.88 is exceeded by chance once in 1,000 runs.
    // A modulo-biased generator gives about 0.023 more of 0..5: chi-square near 280.
    expect(chiSquare).to.be.below(27.88);
  });

  it('draws every character of the alphanumeric alphabet equally often', () => {
    const alphabet = ALPHABETS.alphanumeric;
    const counts = new Map<string, number>();
    for (let i = 0; i < 6_400; i++) {
      for (const c of generateCode(10, alphabet)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = 64_000 / alphabet.length;
    let chiSquare = 0;
    for (const c of alphabet)
      chiSquare += ((counts.get(c) ?? 0) - expected) ** 2 / expected;
    // 31 degrees of freedom, p = 0.001.
    expect(chiSquare).to.be.below(61.1);
  });

  it('refuses an alphabet that cannot be sampled from a byte', () => {
    expect(() => generateCode(6, 'x')).to.throw(RangeError);
  });
});
