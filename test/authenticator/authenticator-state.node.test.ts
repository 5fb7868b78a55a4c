import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  entryShape,
  groupSecret,
  recoveryCodeText,
  recoveryCodesFile,
} from '../../src/authenticator/authenticator-state.js';

describe('the authenticator’s rules', () => {
  it('groups the secret in fours, the last group as long as it is', () => {
    assert.equal(groupSecret('JBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP');
    assert.equal(groupSecret('ABCDEFGHIJ'), 'ABCD EFGH IJ');
    assert.equal(groupSecret('A'.repeat(32)).replace(/ /g, ''), 'A'.repeat(32));
    assert.equal(groupSecret(''), '');
  });

  it('spells a cleaned recovery code as the server hands them out', () => {
    assert.equal(recoveryCodeText('ABCDE12345'), 'ABCDE-12345');
  });

  it('takes the app’s 6 digits, or a recovery code’s 10 characters only when signing in with one', () => {
    assert.deepEqual(entryShape({stage: 'sign-in', recovery: false}), {
      length: 6,
      alphabet: 'numeric',
    });
    assert.deepEqual(entryShape({stage: 'sign-in', recovery: true}), {
      length: 10,
      alphabet: 'alphanumeric',
    });
    // Setting up, the entry is always the app's.
    assert.equal(entryShape({stage: 'first-code', recovery: true}).length, 6);
  });

  it('writes the recovery codes’ file: what they are, then a code a line', () => {
    assert.equal(
      recoveryCodesFile('Recovery codes for ana.', ['AAAAA-BBBBB', 'CCCCC-DDDDD']),
      'Recovery codes for ana.\n\nAAAAA-BBBBB\nCCCCC-DDDDD\n',
    );
  });
});
