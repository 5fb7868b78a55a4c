import {createCipheriv, createDecipheriv, hkdfSync, randomBytes} from 'node:crypto';

/**
 * The code kept for `resendStrategy: 'reuse'`, and only then: AES-256-GCM with
 * a key derived from the server's secret for this use alone (HKDF-SHA256), a
 * fresh 96-bit IV each time, and the request id as associated data, so a
 * sealed code moved onto another challenge does not open. Base64url of
 * IV ‖ tag ‖ ciphertext.
 */
export function codeSealer(secret: Uint8Array) {
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'otp-step sealed code', 32));
  return {
    seal(requestId: string, code: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(requestId));
      const sealed = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    /** The code, or undefined for anything that does not open (tampered, another challenge's). */
    open(requestId: string, sealed: string): string | undefined {
      try {
        const bytes = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(requestId));
        decipher.setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([
          decipher.update(bytes.subarray(28)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
