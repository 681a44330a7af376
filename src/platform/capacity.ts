/**
 * The platform-wide container budget shared by every function's pool: one machine has finite memory,
 * so past this many containers a pool cannot grow and waiting requests end in 503 (no capacity).
 */
export class Capacity {
  private used = 0;
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
    if (this.used > 0) this.used--;
  }

  addReclaimer(fn: () => boolean): () => void {
    this.reclaimers.add(fn);
    return () => this.reclaimers.delete(fn);
  }
}
