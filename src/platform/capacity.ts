/** An idle container a holder would give back, and for how long it has been idle. */
export interface ReclaimOffer {
  /** Infinity for a runner that holds no function's code yet (the cheapest to lose). */
  idleMs: number;
  reclaim(): void;
}

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
  private readonly reclaimers = new Set<() => ReclaimOffer | undefined>();

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
   * starts that must not evict anyone. Idle containers are given back, the one idle longest first,
   * until it fits.
   */
  tryTake(opts: { reclaim?: boolean; mb?: number } = {}): boolean {
    const mb = opts.mb ?? 0;
    while (!this.fits(mb)) {
      if (opts.reclaim === false || mb > this.memoryMb) return false;
      const victim = this.longestIdle();
      if (!victim) return false;
      victim.reclaim();
    }
    this.take(mb);
    return true;
  }

  /**
   * Least recently used across every holder: with more active functions than room (80 tenants
   * under a 64-container limit), taking the first holder's idle container evicted the most popular
   * functions, registered first, over and over (942 reclaims and a cold start each in a 60 s run).
   */
  private longestIdle(): ReclaimOffer | undefined {
    let best: ReclaimOffer | undefined;
    for (const offer of this.reclaimers) {
      const o = offer();
      if (o && (!best || o.idleMs > best.idleMs)) best = o;
    }
    return best;
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

  /** `fn` offers the holder's most reclaimable container, or nothing it would give up now. */
  addReclaimer(fn: () => ReclaimOffer | undefined): () => void {
    this.reclaimers.add(fn);
    return () => this.reclaimers.delete(fn);
  }

  private take(mb: number): void {
    this.used++;
    this.usedMb += mb;
  }
}
