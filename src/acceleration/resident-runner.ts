import type { RawRequest } from '../api/index.ts';
import type { LoadSpec } from './accel-messages.ts';
import type { AccelRunner, Attempt, Binding } from './accel-runner.ts';

interface Entry {
  spec: LoadSpec;
  binding: Binding;
  /** The inner runner's load, while the program is resident; undefined once evicted or not yet loaded. */
  loaded?: Promise<string | undefined>;
  inflight: number;
  /** It was unloaded to make room: loading it again is a reload. */
  evicted?: boolean;
  /** A stored program that failed to load when first needed: told once, to its owner. */
  onLoadError?: (error: string) => void;
}

export interface ResidencyOptions {
  /** Programs resident at once (each with its instance; the platform's memory budget sets it); the least recently used idle one goes first. */
  maxResident: number;
  /** Counts a program loaded again after an eviction (a metric). */
  onReload?(): void;
}

/**
 * Which compiled programs are loaded in the runner (issue 13: the long tail). A program stored by an
 * earlier run is loaded when its first request comes (`loadLazily`), not at start-up; past
 * `maxResident` the least recently used program with nothing in flight is unloaded, and loaded again
 * from the code kept here when a request needs it: an evicted function costs one load, as a
 * container's scale to zero costs a cold start, and like that its globals start afresh. Fresh
 * compiles load at once (`load`): their outcome decides whether they go live.
 */
export class ResidentRunner implements AccelRunner {
  private readonly entries = new Map<string, Entry>();
  private resident = 0;

  constructor(
    private readonly inner: AccelRunner,
    private readonly o: ResidencyOptions,
  ) {}

  get kind(): AccelRunner['kind'] {
    return this.inner.kind;
  }

  warm(): void {
    this.inner.warm?.();
  }

  /** Programs loaded in the runner now. */
  get residentCount(): number {
    return this.resident;
  }

  load(key: string, spec: LoadSpec, binding: Binding): Promise<string | undefined> {
    this.unload(key);
    const entry: Entry = { spec, binding, inflight: 0 };
    this.entries.set(key, entry);
    return this.ensure(key, entry);
  }

  /** Registers a program to load on its first request; `onLoadError` hears if it then fails to load. */
  loadLazily(key: string, spec: LoadSpec, binding: Binding, onLoadError: (error: string) => void): void {
    this.unload(key);
    this.entries.set(key, { spec, binding, inflight: 0, onLoadError });
  }

  async handle(key: string, raw: RawRequest, opts: { timeoutMs: number; id: string }): Promise<Attempt> {
    const entry = this.entries.get(key);
    if (!entry) return this.inner.handle(key, raw, opts); // the inner runner answers "not loaded"
    // Most recently used last: eviction walks from the front.
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.inflight++;
    try {
      const error = await this.ensure(key, entry);
      if (error !== undefined) {
        const tell = entry.onLoadError;
        entry.onLoadError = undefined;
        tell?.(error);
        return { result: { kind: 'abort', reason: 'internal', detail: `the compiled code did not load: ${error}`, outbound: [] }, logs: [] };
      }
      return await this.inner.handle(key, raw, opts);
    } finally {
      entry.inflight--;
    }
  }

  unload(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    if (entry.loaded) {
      // Cleared so that a load still in flight that then fails does not give the slot back twice.
      entry.loaded = undefined;
      this.resident--;
      this.inner.unload(key);
    }
  }

  close(): Promise<void> {
    this.entries.clear();
    this.resident = 0;
    return this.inner.close();
  }

  private ensure(key: string, entry: Entry): Promise<string | undefined> {
    if (entry.loaded) return entry.loaded;
    this.resident++;
    if (entry.evicted) this.o.onReload?.();
    const loaded = this.inner.load(key, entry.spec, entry.binding).then((error) => {
      if (error !== undefined && entry.loaded === loaded) {
        // Not resident: a later request tries again (its owner was told once).
        entry.loaded = undefined;
        this.resident--;
        this.inner.unload(key);
      }
      return error;
    });
    entry.loaded = loaded;
    this.evict(entry);
    return loaded;
  }

  /** Unloads the least recently used idle programs while more than `maxResident` are loaded. */
  private evict(keep: Entry): void {
    if (this.resident <= this.o.maxResident) return;
    for (const [key, e] of this.entries) {
      if (this.resident <= this.o.maxResident) return;
      if (e === keep || !e.loaded || e.inflight > 0) continue;
      e.loaded = undefined;
      e.evicted = true;
      this.resident--;
      this.inner.unload(key);
    }
  }
}
