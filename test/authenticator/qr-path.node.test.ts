// The QR code the element draws, read back as a phone would: the path drawn
// onto a bitmap, the bitmap decoded by jsQR (not our code), for URIs short and long.
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {describe, it} from 'node:test';
import {encode} from 'uqr';
import {qrPath} from '../../src/authenticator/qr-path.js';

const jsQR = createRequire(import.meta.url)('jsqr') as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => {data: string} | null;

/** The path's runs painted black on white, `scale` pixels a module, with a 4-module quiet zone. */
function paint({size, d}: {size: number; d: string}, scale = 4): Uint8ClampedArray {
  const side = (size + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y, w] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g))
    for (let px = (Number(x) + 4) * scale; px < (Number(x) + Number(w) + 4) * scale; px++)
      for (let py = (Number(y) + 4) * scale; py < (Number(y) + 5) * scale; py++) {
        const at = (py * side + px) * 4;
        pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
      }
  return pixels;
}

const URIS = [
  'otpauth://totp/otp-step%20demo:ana?secret=JBSWY3DPEHPK3PXP&issuer=otp-step%20demo',
  `otpauth://totp/Example%20Bank:${encodeURIComponent('firstname.lastname.with-a-long-domain@example.com')}?secret=${'A'.repeat(32)}&issuer=Example%20Bank&algorithm=SHA1&digits=6&period=30`,
  `otpauth://totp/${encodeURIComponent('Zé Ñandú 名前')}?secret=${'B'.repeat(32)}`,
];

describe('qrPath', () => {
  for (const uri of URIS)
    it(`draws a QR code a reader decodes to the URI (${uri.length} characters)`, () => {
      const path = qrPath(uri);
      const side = (path.size + 8) * 4;
      assert.equal(jsQR(paint(path), side, side)?.data, uri);
    });

  it('draws every dark module of the encoding, and no light one', () => {
    const uri = URIS[0];
    const {size, data} = encode(uri, {ecc: 'M', border: 0});
    const path = qrPath(uri);
    assert.equal(path.size, size);
    const drawn = data.map((row) => row.map(() => false));
    for (const [, x, y, w] of path.d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g))
      for (let i = 0; i < Number(w); i++) drawn[Number(y)][Number(x) + i] = true;
    assert.deepEqual(drawn, data);
  });

  it('is one path of runs: no markup of anyone else’s', () => {
    assert.match(qrPath(URIS[0]).d, /^(M\d+ \d+h\d+v1h-\d+z)+$/);
  });
});
