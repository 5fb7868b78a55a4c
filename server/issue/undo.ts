/**
 * What a refused issue must hand back, kept as the stages take it and handed
 * back in one place (`handBack`), last first. Places in the rate windows are
 * kept apart from the rest: once the user was looked up or a notification may
 * have gone out, a refusal keeps them taken (otherwise a lookup that throws
 * would be a free oracle, and a gateway that sends and then times out a free
 * way to send codes without end), while everything else goes back whatever the
 * refusal.
 */
export class Undo {
  private readonly steps: {window: boolean; run: () => Promise<unknown>}[] = [];

  /** A place taken in a rate window: handed back unless the refusal keeps the windows. */
  window(run: () => Promise<unknown>): void {
    this.steps.push({window: true, run});
  }

  /** Anything else written (the challenge, its request id, the Idempotency-Key's claim). */
  write(run: () => Promise<unknown>): void {
    this.steps.push({window: false, run});
  }

  /** Takes over what `other` holds, to hand it back with the rest. */
  absorb(other: Undo): void {
    this.steps.push(...other.steps.splice(0));
  }

  /** Hands back what was taken, last first; a step that fails does not stop the others. */
  async handBack(windows: 'give back' | 'keep'): Promise<void> {
    for (const step of this.steps.splice(0).reverse())
      if (!step.window || windows === 'give back')
        await step.run().catch(() => undefined);
  }
}
