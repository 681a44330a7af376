import type { FnResponse, RawRequest } from '../api/index.ts';
import type { RecordedCall } from '../io/index.ts';

/** One traced request as the pre-live check replays it: the request, its calls' answers, the container's response. */
export interface TracedExample {
  raw: RawRequest;
  calls: RecordedCall[];
  response: FnResponse;
}

/** A sampled request holds at most this much text (request, answers and response); a larger one is not kept. */
export const MAX_EXAMPLE_CHARS = 64 * 1024;

/**
 * The most recent traced requests of one function version (at most `size`, each at most
 * MAX_EXAMPLE_CHARS: with the default size, at most 512 KiB of text per version): what its compiled
 * code must answer alike before it goes live. Identical requests with identical answers are kept
 * once (the newest), so a burst of them does not crowd out the others.
 */
export class TracedSample {
  private items: Array<{ key: string; example: TracedExample }> = [];

  constructor(private readonly size: () => number) {}

  add(example: TracedExample): void {
    const size = this.size();
    if (size <= 0 || exampleChars(example) > MAX_EXAMPLE_CHARS) return;
    const key = JSON.stringify([example.raw, example.calls]);
    this.items = this.items.filter((i) => i.key !== key);
    this.items.push({ key, example });
    if (this.items.length > size) this.items.splice(0, this.items.length - size);
  }

  /** Oldest first. */
  examples(): TracedExample[] {
    return this.items.map((i) => i.example);
  }

  get length(): number {
    return this.items.length;
  }
}

function exampleChars(e: TracedExample): number {
  let n = e.raw.body.length + e.raw.path.length + e.response.body.length;
  for (const [k, v] of Object.entries(e.raw.headers)) n += k.length + v.length;
  for (const [k, v] of Object.entries(e.raw.query)) n += k.length + v.length;
  for (const [k, v] of Object.entries(e.response.headers)) n += k.length + v.length;
  for (const c of e.calls) n += c.url.length + (c.body?.length ?? 0) + (c.response?.body.length ?? 0);
  return n;
}
