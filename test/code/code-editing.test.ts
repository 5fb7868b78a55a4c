import {expect} from '@open-wc/testing';
import {activeBox, typeCharacter, type CodeText} from '../../src/code/code-editing.js';

const at = (value: string, start: number, end = start): CodeText => ({value, start, end});

describe('code editing', () => {
  it('appends at the end', () => {
    expect(typeCharacter(at('12', 2), '3', 6)).to.deep.equal(at('123', 3));
  });

  it('overwrites the character at the caret in the middle', () => {
    expect(typeCharacter(at('123456', 2), '9', 6)).to.deep.equal(at('129456', 3));
  });

  it('replaces the last character when typing past the length', () => {
    expect(typeCharacter(at('123456', 6), '9', 6)).to.deep.equal(at('123459', 6));
  });

  it('replaces a selection, as a text field does', () => {
    expect(typeCharacter(at('123456', 0, 6), '7', 6)).to.deep.equal(at('7', 1));
    expect(typeCharacter(at('123456', 1, 3), '7', 6)).to.deep.equal(at('17456', 2));
  });

  it('marks the box typing would fill, or the last box when full', () => {
    expect(activeBox(at('12', 2), 6)).to.equal(2);
    expect(activeBox(at('123456', 6), 6)).to.equal(5);
    expect(activeBox(at('123456', 0), 6)).to.equal(0);
  });
});
