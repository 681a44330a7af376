/**
 * The platform-wide container budget shared by every function's pool: one machine has finite memory,
 * so past this many containers a pool cannot grow. A pool whose requests wait with no container of
 * its own queues here (`whenFree`) and is handed the next unit released, oldest first: a burst of
 * cold starts is served in turn rather than answered 503 while the budget is briefly full.
 */
export class Capacity {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  /** Pools that may give back an idle container when another pool needs one. */
  private readonly reclaimers = new Set<() => boolean>();

  constructor(readonly max: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes one unit; `reclaim: false` for speculative starts that must not evict anyone. */
  tryTake(opts: { reclaim?: boolean } = {}): boolean {
    if (this.used < this.max) {
      this.used++;
      return true;
    }
    if (opts.reclaim === false) return false;
    for (const reclaim of this.reclaimers) {
      if (reclaim() && this.used < this.max) {
        this.used++;
        return true;
      }
    }
    return false;
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the unit passes to the waiter as it is
    else if (this.used > 0) this.used--;
  }

  /** Calls `grant` with a unit taken for it once one is released; the caller must use or release it. */
  whenFree(grant: () => void): () => void {
    this.waiting.push(grant);
    return () => {
      const i = this.waiting.indexOf(grant);
      if (i >= 0) this.waiting.splice(i, 1);
    };
  }

  addReclaimer(fn: () => boolean): () => void {
    this.reclaimers.add(fn);
    return () => this.reclaimers.delete(fn);
  }
}
