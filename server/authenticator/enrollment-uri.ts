/**
 * What an enrolment shows: the `otpauth://` URI an app reads from a QR code
 * (Google Authenticator's Key Uri Format, which every app follows), and its QR
 * code as SVG markup.
 */
import {renderSVG} from 'uqr';
import {TOTP_DIGITS, TOTP_PERIOD_SECONDS} from './totp.js';

/**
 * `otpauth://totp/Issuer:user?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`:
 * the label and the issuer percent-encoded (a user named `a b&c` stays one
 * label), the issuer given twice as the format asks, for apps that read only one.
 */
export function otpauthUri(issuer: string, user: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(user)}`;
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, '%20')}`;
}

/**
 * The QR code of `uri` as SVG markup: rectangles and attributes only, no
 * script or style, so a page can put it in under a strict CSP. Error
 * correction M (15 %), as authenticator setup screens use; 4 modules of quiet zone.
 */
export const qrSvg = (uri: string): string =>
  renderSVG(uri, {ecc: 'M', border: 4, pixelSize: 4});
