/**
 * The label rules (server/metrics/labels.ts): each maps what a request or a
 * fact holds to a fixed set of values, whatever an attacker sends.
 */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
  channelLabel,
  countryLabel,
  labelBounds,
  reasonVocabulary,
  statusClass,
} from '../metrics/labels.js';

describe('metrics labels', () => {
  it('keeps only the listed clients and steps, every other name is other, none is empty', () => {
    const bounds = labelBounds({clients: ['web', 'ios'], steps: ['login']});
    assert.deepEqual(
      ['web', 'ios', 'Web', 'web ', 'android', '', 'other'].map(bounds.client),
      ['web', 'ios', 'other', 'other', 'other', 'other', 'other'],
    );
    assert.deepEqual(['login', 'LOGIN', 'checkout'].map(bounds.step), [
      'login',
      'other',
      'other',
    ]);
    assert.equal(bounds.client(undefined), '');
    // With nothing listed, nothing a caller names becomes a label value.
    assert.equal(labelBounds(undefined).client('web'), 'other');
  });

  it('keeps a country of two capital letters or a calling code, and nothing else', () => {
    assert.deepEqual(
      ['BR', 'PT', '+881', '+8', 'br', 'BRA', '+12345', '"} 1', 'B'].map(countryLabel),
      ['BR', 'PT', '+881', '+8', 'other', 'other', 'other', 'other', 'other'],
    );
    assert.equal(countryLabel(undefined), '');
  });

  it('keeps the two channels, an answer status as its class, and a bounded vocabulary of reasons', () => {
    assert.deepEqual(['email', 'sms', 'fax', undefined].map(channelLabel), [
      'email',
      'sms',
      'other',
      '',
    ]);
    assert.deepEqual([201, 204, 422, 503, 99, 600].map(statusClass), [
      '2xx',
      '2xx',
      '4xx',
      '5xx',
      'other',
      'other',
    ]);
    const reason = reasonVocabulary(3);
    assert.deepEqual(
      ['invalid', 'expired', 'Used', 'a b', 'used', 'locked', 'invalid'].map(reason),
      ['invalid', 'expired', 'other', 'other', 'used', 'other', 'invalid'],
    );
  });
});
