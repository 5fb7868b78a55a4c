const encoder = new TextEncoder();

/** 16 random bytes: enough that no two challenges share a salt. */
export function randomSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(16));
}

/** SHA-256 over salt ‖ code, so the code itself is never stored. */
export async function digestCode(code: string, salt: Uint8Array): Promise<Uint8Array> {
  const text = encoder.encode(code);
  const input = new Uint8Array(salt.length + text.length);
  input.set(salt);
  input.set(text, salt.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

/**
 * Compares two byte strings in time that depends only on their length, so how
 * long a wrong guess takes to reject tells nothing of how close it came.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}
