/**
 * Runs store operations that do not depend on each other at once, so that on
 * a network store they share one round trip (redis-store.ts pipelines what is
 * sent in one tick), and resolves once every one has settled: a request must
 * not be judged, or its undo list handed back, while one of its writes is
 * still in flight. Rejects with the first failure, once all are done.
 */
export async function atOnce<const T extends readonly unknown[]>(
  operations: T,
): Promise<{-readonly [K in keyof T]: Awaited<T[K]>}> {
  const settled = await Promise.allSettled(operations);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
