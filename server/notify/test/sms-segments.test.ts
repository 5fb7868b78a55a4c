import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {countSmsSegments} from '../sms-segments.js';

describe('countSmsSegments', () => {
  it('counts GSM-7 up to 160 septets as one segment, 161 as two of 153', () => {
    assert.deepEqual(countSmsSegments('a'.repeat(160)), {
      encoding: 'gsm-7',
      units: 160,
      segments: 1,
      perSegment: 160,
    });
    assert.equal(countSmsSegments('a'.repeat(161)).segments, 2);
    assert.equal(countSmsSegments('a'.repeat(306)).segments, 2);
    assert.equal(countSmsSegments('a'.repeat(307)).segments, 3);
  });

  it('counts extension-table characters as two septets', () => {
    assert.equal(countSmsSegments('€').units, 2);
    assert.equal(countSmsSegments('{}[]~|^\\').units, 16);
    assert.equal(countSmsSegments('€'.repeat(80)).segments, 1);
    assert.equal(countSmsSegments('€'.repeat(81)).segments, 2);
  });

  it('keeps GSM-7 accented letters (é, ü, Ö) in GSM-7', () => {
    assert.equal(countSmsSegments('é ü Ö ß Ñ à').encoding, 'gsm-7');
  });

  it('switches the whole text to UCS-2 for one character outside GSM-7', () => {
    const text = `${'a'.repeat(69)}ó`;
    assert.deepEqual(countSmsSegments(text), {
      encoding: 'ucs-2',
      units: 70,
      segments: 1,
      perSegment: 70,
    });
    assert.equal(countSmsSegments(`${text}a`).segments, 2);
    assert.equal(countSmsSegments('ç'.repeat(134)).segments, 2);
    assert.equal(countSmsSegments('ç'.repeat(135)).segments, 3);
  });

  it('counts UTF-16 units, so an emoji is two', () => {
    assert.equal(countSmsSegments('😀').units, 2);
    assert.equal(countSmsSegments('😀'.repeat(35)).segments, 1);
    assert.equal(countSmsSegments('😀'.repeat(36)).segments, 2);
  });

  it('counts Arabic as UCS-2', () => {
    assert.equal(countSmsSegments('رمز').encoding, 'ucs-2');
  });

  it('takes one segment for an empty text', () => {
    assert.equal(countSmsSegments('').segments, 1);
  });
});
