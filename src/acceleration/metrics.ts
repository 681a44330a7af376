import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '../metrics/metrics.ts';

/** Acceleration's Prometheus metrics, registered on the platform's own registry (metrics.ts). */
export interface AccelMetrics {
  aborts: Counter<'function' | 'reason'>;
  compiles: Counter<'function' | 'outcome'>;
  compileSeconds: Histogram<'function'>;
  demotions: Counter<'function'>;
  backstops: Counter<'function' | 'cause'>;
  mode: Gauge<'function' | 'mode'>;
  /** Pre-live checks of compiled code by outcome (passed, mismatch, aborts). */
  prelive: Counter<'function' | 'outcome'>;
  /** The platform's counter of re-executions (an abort's is counted by acceleration). */
  reexecutions: Counter<'function' | 'reason'>;
}

const byRegistry = new WeakMap<object, AccelMetrics>();

export function accelMetrics(m: Metrics): AccelMetrics {
  // One set per registry: a registry refuses a second metric of the same name.
  const known = byRegistry.get(m.registry);
  if (known) return known;
  const registers = [m.registry];
  const made: AccelMetrics = {
    aborts: new Counter({ name: 'containerless_aborts_total', help: 'Accelerated attempts that aborted, by reason (each was re-executed in a container)', labelNames: ['function', 'reason'], registers }),
    compiles: new Counter({ name: 'containerless_compiles_total', help: 'Trace tree compilations by outcome (ok, failed)', labelNames: ['function', 'outcome'], registers }),
    compileSeconds: new Histogram({ name: 'containerless_compile_duration_seconds', help: 'Compile + validate + load time of a trace tree', labelNames: ['function'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers }),
    demotions: new Counter({ name: 'containerless_demotions_total', help: 'Functions demoted from accelerated to containers by the policy', labelNames: ['function'], registers }),
    backstops: new Counter({ name: 'containerless_backstops_total', help: 'Accelerator workers stopped by the backstop (watchdog, heap-limit, crash) while this function ran', labelNames: ['function', 'cause'], registers }),
    reexecutions: m.reexecutions,
    prelive: new Counter({ name: 'containerless_prelive_checks_total', help: 'Pre-live checks of compiled code by outcome (passed; mismatch or aborts: the code did not go live)', labelNames: ['function', 'outcome'], registers }),
    mode: new Gauge({ name: 'containerless_function_mode', help: 'The mode the next request of each function takes first (1 for that mode)', labelNames: ['function', 'mode'], registers }),
  };
  byRegistry.set(m.registry, made);
  return made;
}
