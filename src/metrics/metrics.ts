import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The platform's Prometheus metrics, on a registry of its own (not prom-client's global one) so
 * that several platforms in one process, as in tests, do not collide. `/metrics` serves `registry`.
 */
export interface Metrics {
  registry: Registry;
  requests: Counter<'function' | 'mode' | 'status'>;
  latency: Histogram<'function' | 'mode'>;
  containers: Gauge<'function' | 'state'>;
  /** Generic runners started and waiting for any function's cold start (platform/stem-cells.ts). */
  stemCells: Gauge;
  coldStarts: Counter<'function'>;
  /** Compiled programs loaded again after being unloaded to make room (acceleration/resident-runner.ts). */
  instanceReloads: Counter;
  coldStartSeconds: Histogram<'function'>;
  reexecutions: Counter<'function' | 'reason'>;
  rejections: Counter<'function' | 'status'>;
  /** `reason` (egress.ts RefusalReason) only on outcome="refused". */
  outbound: Counter<'function' | 'method' | 'outcome' | 'reason'>;
  outboundSeconds: Histogram<'function' | 'method'>;
  /**
   * The per-request counts of `requests`, `latency`, `outbound` and `outboundSeconds`: every
   * increment and observation of these four goes through their cells (see CountedCounter).
   */
  counted: {
    requests: CountedCounter;
    latency: CountedHistogram;
    outbound: CountedCounter;
    outboundSeconds: CountedHistogram;
  };
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'containerless_process_' });
  const registers = [registry];
  const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  const counted = { requests: new CountedCounter(), latency: new CountedHistogram(buckets), outbound: new CountedCounter(), outboundSeconds: new CountedHistogram(buckets) };
  return {
    registry,
    requests: new Counter({ name: 'containerless_requests_total', help: 'Function invocations by function, mode and HTTP status', labelNames: ['function', 'mode', 'status'], registers, collect() { counted.requests.flushInto(this); } }),
    latency: new Histogram({ name: 'containerless_request_duration_seconds', help: 'Invocation latency in the dispatcher', labelNames: ['function', 'mode'], buckets, registers, collect() { counted.latency.flushInto(this); } }),
    containers: new Gauge({ name: 'containerless_containers', help: 'Containers per function by state (starting, ready)', labelNames: ['function', 'state'], registers }),
    stemCells: new Gauge({ name: 'containerless_stem_cells', help: "Generic runners started and waiting for any function's cold start", registers }),
    instanceReloads: new Counter({ name: 'containerless_accelerated_reloads_total', help: 'Compiled programs loaded again after the least recently used were unloaded to make room', registers }),
    coldStarts: new Counter({ name: 'containerless_cold_starts_total', help: 'Requests that waited for a container to start', labelNames: ['function'], registers }),
    coldStartSeconds: new Histogram({ name: 'containerless_container_start_seconds', help: 'Time to start a container and load the function', labelNames: ['function'], buckets, registers }),
    reexecutions: new Counter({ name: 'containerless_reexecutions_total', help: 'Requests re-executed in a fresh container', labelNames: ['function', 'reason'], registers }),
    rejections: new Counter({ name: 'containerless_rejections_total', help: 'Requests refused for capacity (429, 503)', labelNames: ['function', 'status'], registers }),
    outbound: new Counter({ name: 'containerless_outbound_calls_total', help: 'Outbound calls made by functions through the I/O layer', labelNames: ['function', 'method', 'outcome', 'reason'], registers, collect() { counted.outbound.flushInto(this); } }),
    outboundSeconds: new Histogram({ name: 'containerless_outbound_duration_seconds', help: 'Outbound call latency', labelNames: ['function', 'method'], buckets, registers, collect() { counted.outboundSeconds.flushInto(this); } }),
    counted,
  };
}

/** One label set's count of a CountedCounter; `inc` is a field update. */
export class CounterCell {
  /** Increments not yet handed to prom-client. */
  pending = 0;
  constructor(readonly labels: Readonly<Record<string, string>>) {}
  inc(): void {
    this.pending++;
  }
}

/**
 * A prom-client counter's per-request increments, counted per label set in a plain field and
 * handed to prom-client (`inc(labels, n)`, its public API) in the metric's `collect`, which runs on
 * every read of the metric (/metrics): prom-client validates and hashes the labels on every `inc`,
 * a child's too. Label sets reach prom-client in the order their cells were made, which is the
 * order of their first increment, so /metrics is exactly what per-request `inc` calls gave.
 */
export class CountedCounter {
  private readonly cells: CounterCell[] = [];

  /** The cell of one label set; make it once and keep it (every call makes a new cell). */
  cell(labels: Record<string, string>): CounterCell {
    const c = new CounterCell(labels);
    this.cells.push(c);
    return c;
  }

  flushInto(counter: Counter<string>): void {
    for (const c of this.cells) {
      if (c.pending === 0) continue;
      counter.inc(c.labels, c.pending);
      c.pending = 0;
    }
  }
}

/** prom-client's record of one label set of a histogram (lib/histogram.js, createBaseValues). */
interface PromHistogramValues {
  labels: Record<string, string | number>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/** One label set of a CountedHistogram: cumulative count, sum and per-bucket counts. */
export class HistogramCell {
  count = 0;
  sum = 0;
  readonly buckets: Float64Array;
  /** prom-client's record of this label set, once it has one. */
  values?: PromHistogramValues;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = new Float64Array(bounds.length);
  }

  /** As prom-client's `observe`: the value's bucket is the first upper bound it does not exceed. */
  observe(v: number): void {
    if (!Number.isFinite(v)) throw new TypeError(`Value is not a valid number: ${v}`);
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) {
      if (v <= b[i]!) {
        this.buckets[i]!++;
        break;
      }
    }
    // Summed in observation order, as prom-client sums: the same floating-point total.
    this.sum += v;
    this.count++;
  }
}

/**
 * A prom-client histogram's per-request observations, kept per label set in plain fields (totals in
 * the order prom-client would add them) and written into the histogram's own record of that label
 * set in its `collect`, on every read of the metric. prom-client has no public way to set a
 * histogram's counts, so this writes its record's `bucketValues`, `sum` and `count` (prom-client
 * 15; test/dispatcher/metrics.test.ts compares the /metrics text with prom-client's own `observe`).
 */
export class CountedHistogram {
  private readonly cells: HistogramCell[] = [];

  constructor(private readonly bounds: readonly number[]) {}

  cell(labels: Record<string, string>): HistogramCell {
    const c = new HistogramCell(labels, this.bounds);
    this.cells.push(c);
    return c;
  }

  flushInto(h: Histogram<string>): void {
    for (const c of this.cells) {
      if (c.count === 0) continue;
      let v = c.values;
      if (!v) {
        v = c.values = recordOf(h, c.labels);
        if (!v) {
          // Not there yet: prom-client's own `zero` makes it (in this order of first observations).
          h.zero(c.labels);
          v = c.values = recordOf(h, c.labels);
          if (!v) throw new Error(`prom-client histogram ${(h as unknown as { name: string }).name}: no record after zero()`);
        }
      }
      v.count = c.count;
      v.sum = c.sum;
      for (let i = 0; i < this.bounds.length; i++) v.bucketValues[this.bounds[i]!] = c.buckets[i]!;
    }
  }
}

function recordOf(h: Histogram<string>, labels: Readonly<Record<string, string>>): PromHistogramValues | undefined {
  const map = (h as unknown as { hashMap: Record<string, PromHistogramValues> }).hashMap;
  const names = Object.keys(labels);
  for (const k in map) {
    const rec = map[k]!;
    if (Object.keys(rec.labels).length === names.length && names.every((n) => String(rec.labels[n]) === labels[n])) return rec;
  }
  return undefined;
}

/**
 * Metric children resolved once per label pair: prom-client validates and hashes a label object on
 * every `inc`/`observe` with labels, and `labels(...)` once is most of that work done for good.
 * Children stay valid as long as the metric (nothing here removes labels).
 */
export class LabelCache<T> {
  private readonly byA = new Map<string, Map<string, T>>();

  constructor(private readonly make: (a: string, b: string) => T) {}

  get(a: string, b: string): T {
    let byB = this.byA.get(a);
    if (!byB) this.byA.set(a, (byB = new Map()));
    let v = byB.get(b);
    if (v === undefined) byB.set(b, (v = this.make(a, b)));
    return v;
  }
}
