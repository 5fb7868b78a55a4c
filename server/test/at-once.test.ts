/** atOnce: operations run together, and nothing is judged before every one of them has settled. */
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {atOnce} from '../at-once.js';

const later = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) =>
    setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms),
  );

describe('atOnce', () => {
  it('answers every result in order once all are done', async () => {
    assert.deepEqual(await atOnce([later(20, 'a'), later(1, 2), undefined]), [
      'a',
      2,
      undefined,
    ]);
  });

  it('rejects with the first failure only once the slower operations have settled too', async () => {
    let slowDone = false;
    const slow = later(40, 'slow').then((v) => ((slowDone = true), v));
    await assert.rejects(
      atOnce([later(1, 'first', true), slow, later(5, 'second', true)]),
      /first/,
    );
    // A request that hands back what it took must find every write on its undo list.
    assert.equal(slowDone, true);
  });
});
