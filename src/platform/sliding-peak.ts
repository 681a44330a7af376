/**
 * The peak of a quantity (requests in flight plus queued) over a sliding time window, kept in a ring
 * of buckets so that recording is O(1) and the peak forgets old bursts bucket by bucket.
 */
export class SlidingPeak {
  private readonly buckets: number[];
  private readonly stamps: number[];
  private readonly width: number;

  constructor(
    windowMs: number,
    private readonly now: () => number = Date.now,
    bucketCount = 10,
  ) {
    this.width = Math.max(1, Math.ceil(windowMs / bucketCount));
    this.buckets = new Array<number>(bucketCount).fill(0);
    this.stamps = new Array<number>(bucketCount).fill(-1);
  }

  record(value: number): void {
    const slot = Math.floor(this.now() / this.width);
    const i = slot % this.buckets.length;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.buckets[i] = value;
    } else if (value > this.buckets[i]!) this.buckets[i] = value;
  }

  /** Forgets every recorded value. */
  reset(): void {
    this.stamps.fill(-1);
  }

  peak(): number {
    const slot = Math.floor(this.now() / this.width);
    let max = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      if (slot - this.stamps[i]! < this.buckets.length && this.buckets[i]! > max) max = this.buckets[i]!;
    }
    return max;
  }
}
