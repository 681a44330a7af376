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
  coldStarts: Counter<'function'>;
  coldStartSeconds: Histogram<'function'>;
  reexecutions: Counter<'function' | 'reason'>;
  rejections: Counter<'function' | 'status'>;
  outbound: Counter<'function' | 'method' | 'outcome'>;
  outboundSeconds: Histogram<'function' | 'method'>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'containerless_process_' });
  const registers = [registry];
  const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    requests: new Counter({ name: 'containerless_requests_total', help: 'Function invocations by function, mode and HTTP status', labelNames: ['function', 'mode', 'status'], registers }),
    latency: new Histogram({ name: 'containerless_request_duration_seconds', help: 'Invocation latency in the dispatcher', labelNames: ['function', 'mode'], buckets, registers }),
    containers: new Gauge({ name: 'containerless_containers', help: 'Containers per function by state (starting, ready)', labelNames: ['function', 'state'], registers }),
    coldStarts: new Counter({ name: 'containerless_cold_starts_total', help: 'Requests that waited for a container to start', labelNames: ['function'], registers }),
    coldStartSeconds: new Histogram({ name: 'containerless_container_start_seconds', help: 'Time to start a container and load the function', labelNames: ['function'], buckets, registers }),
    reexecutions: new Counter({ name: 'containerless_reexecutions_total', help: 'Requests re-executed in a fresh container', labelNames: ['function', 'reason'], registers }),
    rejections: new Counter({ name: 'containerless_rejections_total', help: 'Requests refused for capacity (429, 503)', labelNames: ['function', 'status'], registers }),
    outbound: new Counter({ name: 'containerless_outbound_calls_total', help: 'Outbound calls made by functions through the I/O layer', labelNames: ['function', 'method', 'outcome'], registers }),
    outboundSeconds: new Histogram({ name: 'containerless_outbound_duration_seconds', help: 'Outbound call latency', labelNames: ['function', 'method'], buckets, registers }),
  };
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
