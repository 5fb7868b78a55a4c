import {createCipheriv, createDecipheriv, hkdfSync, randomBytes} from 'node:crypto';

/**
 * Text sealed with AES-256-GCM under a key derived from `secret` for one use
 * alone (HKDF-SHA256, `info` naming the use), a fresh 96-bit IV each time, and
 * what it belongs to as associated data, so a sealed value moved onto another
 * owner does not open. Base64url of IV ‖ tag ‖ ciphertext.
 */
export function sealer(secret: Uint8Array, info: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, '', info, 32));
  return {
    seal(owner: string, text: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(owner));
      const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    },
    /** The text, or undefined for anything that does not open (tampered, another owner's). */
    open(owner: string, sealed: string): string | undefined {
      try {
        const bytes = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(owner));
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

export type Sealer = ReturnType<typeof sealer>;

/**
 * The code kept for `resendStrategy: 'reuse'`, and only then, sealed with the
 * request id as its owner, so a sealed code moved onto another challenge does
 * not open.
 */
export const codeSealer = (secret: Uint8Array): Sealer =>
  sealer(secret, 'otp-step sealed code');
