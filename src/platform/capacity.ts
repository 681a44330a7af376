/**
 * The platform-wide container budget shared by every function's pool: one machine has finite memory,
 * so past `max` containers, or past `memoryMb` of their memory limits together, a pool cannot grow.
 * A pool whose requests wait with no container of its own queues here (`whenFree`) and is handed the
 * room next released, oldest first: a burst of cold starts is served in turn rather than answered
 * 503 while the budget is briefly full.
 */
export class Capacity {
  private used = 0;
  private usedMb = 0;
  private readonly waiting: Array<{ grant: () => void; mb: number }> = [];
  /** Holders of idle containers (shared runners, pools) that may give one back when another needs room. */
  private readonly reclaimers = new Set<() => boolean>();

  constructor(
    readonly max: number,
    readonly memoryMb = Infinity,
  ) {}

  get inUse(): number {
    return this.used;
  }

  get memoryInUseMb(): number {
    return this.usedMb;
  }

  /** Whether a container of `mb` fits now, without reclaiming anything. */
  fits(mb = 0): boolean {
    return this.used < this.max && this.usedMb + mb <= this.memoryMb;
  }

  /**
   * Takes room for one container with a memory limit of `mb`; `reclaim: false` for speculative
   * starts that must not evict anyone. Idle containers are given back, first registered first,
   * until it fits.
   */
  tryTake(opts: { reclaim?: boolean; mb?: number } = {}): boolean {
    const mb = opts.mb ?? 0;
    while (!this.fits(mb)) {
      if (opts.reclaim === false || mb > this.memoryMb) return false;
      let freed = false;
      for (const reclaim of this.reclaimers) {
        if (reclaim()) {
          freed = true;
          break;
        }
      }
      if (!freed) return false;
    }
    this.take(mb);
    return true;
  }

  /** Gives back the room of one container of `mb`; waiters it now fits are handed it, oldest first. */
  release(mb = 0): void {
    if (this.used > 0) this.used--;
    this.usedMb = Math.max(0, this.usedMb - mb);
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.mb)) {
      const next = this.waiting.shift()!;
      this.take(next.mb);
      next.grant();
    }
  }

  /** Calls `grant` with room taken for a container of `mb` once released; the caller must use or release it. */
  whenFree(grant: () => void, mb = 0): () => void {
    const w = { grant, mb };
    this.waiting.push(w);
    return () => {
      const i = this.waiting.indexOf(w);
      if (i >= 0) this.waiting.splice(i, 1);
    };
  }

  addReclaimer(fn: () => boolean): () => void {
    this.reclaimers.add(fn);
    return () => this.reclaimers.delete(fn);
  }

  private take(mb: number): void {
    this.used++;
    this.usedMb += mb;
  }
}
