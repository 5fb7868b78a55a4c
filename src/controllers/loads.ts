/**
 * What an element is loading on demand (a language's messages, the flow's code,
 * the dialog's), kept so that its `updateComplete` waits until all of it has
 * settled and been drawn.
 */
export class Loads {
  readonly #pending = new Set<Promise<unknown>>();

  /** Whether something is still loading. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  /** Resolves once what is loading now has settled, whichever way; never rejects. */
  settled(): Promise<unknown> {
    return Promise.all(this.#pending);
  }

  /** Keeps `loading` counted until it settles, and hands it back. */
  readonly track = <T>(loading: Promise<T>): Promise<T> => {
    const settled: Promise<unknown> = loading.then(
      () => this.#pending.delete(settled),
      () => this.#pending.delete(settled),
    );
    this.#pending.add(settled);
    return loading;
  };
}
