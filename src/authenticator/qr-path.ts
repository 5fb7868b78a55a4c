/**
 * The QR code of a text as one SVG path, drawn by the element itself (Lit's
 * `svg`): the server's `qrSvg` markup is never put into the page, which a
 * strict CSP with Trusted Types would refuse, and which the element has no
 * reason to trust. uqr does the encoding (ISO/IEC 18004); this module is loaded
 * only with the authenticator's dialog.
 */
import {encode} from 'uqr';

export interface QrPath {
  /** Modules on a side, without the quiet zone. */
  size: number;
  /** The dark modules, one `M x y h w v1 h-w z` per run in a row, in module units. */
  d: string;
}

export function qrPath(text: string): QrPath {
  // Medium error correction, as authenticator QR codes usually have: a screen's
  // glare or a smudged camera still reads. The quiet zone is the view's padding.
  const {size, data} = encode(text, {ecc: 'M', border: 0});
  let d = '';
  data.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      let w = 1;
      while (x + w < size && row[x + w]) w++;
      d += `M${x} ${y}h${w}v1h-${w}z`;
      x += w;
    }
  });
  return {size, d};
}
