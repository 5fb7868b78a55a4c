import {randomFillSync} from 'node:crypto';

/** Bytes drawn from the OS at a time: one system call for hundreds of codes. */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/**
 * Random bytes from the OS's CSPRNG, drawn a pool at a time and each handed
 * out once, as Node's own `randomUUID` does: drawing 10 bytes per code from the
 * OS was about a tenth of an issue's CPU time. The bytes are a view of the
 * pool, to read at once and not keep.
 */
export function pooledRandomBytes(length: number): Uint8Array {
  if (length > POOL_BYTES) return randomFillSync(new Uint8Array(length));
  if (used + length > pool.length) {
    pool = randomFillSync(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  used += length;
  return pool.subarray(used - length, used);
}
