import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { createMetrics } from '../../src/metrics/index.ts';

/**
 * The request path counts into plain cells that reach prom-client only when /metrics is read
 * (metrics.ts, CountedCounter and CountedHistogram). The text must be exactly what prom-client's own
 * per-request `inc`/`observe` gives, for the same increments in the same order.
 */
function reference() {
  const registry = new Registry();
  const registers = [registry];
  const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    requests: new Counter({ name: 'containerless_requests_total', help: 'Function invocations by function, mode and HTTP status', labelNames: ['function', 'mode', 'status'], registers }),
    latency: new Histogram({ name: 'containerless_request_duration_seconds', help: 'Invocation latency in the dispatcher', labelNames: ['function', 'mode'], buckets, registers }),
    outbound: new Counter({ name: 'containerless_outbound_calls_total', help: 'Outbound calls made by functions through the I/O layer', labelNames: ['function', 'method', 'outcome'], registers }),
    outboundSeconds: new Histogram({ name: 'containerless_outbound_duration_seconds', help: 'Outbound call latency', labelNames: ['function', 'method'], buckets, registers }),
  };
}

/** Only the four counted metrics, in the reference registry's order. */
async function counted(registry: Registry): Promise<string> {
  const names = ['containerless_requests_total', 'containerless_request_duration_seconds', 'containerless_outbound_calls_total', 'containerless_outbound_duration_seconds'];
  const parts: string[] = [];
  for (const n of names) parts.push(await registry.getSingleMetricAsString(n));
  return parts.join('\n\n');
}

test('counted request metrics give exactly the text of prom-client inc/observe, read after read', async () => {
  const ref = reference();
  const m = createMetrics({ defaultMetrics: false });
  const reqCells = new Map<string, ReturnType<typeof m.counted.requests.cell>>();
  const latCells = new Map<string, ReturnType<typeof m.counted.latency.cell>>();
  const outCells = new Map<string, ReturnType<typeof m.counted.outbound.cell>>();
  const secCells = new Map<string, ReturnType<typeof m.counted.outboundSeconds.cell>>();
  const cell = <C>(cache: Map<string, C>, key: string, make: () => C): C => {
    let c = cache.get(key);
    if (!c) cache.set(key, (c = make()));
    return c;
  };
  // Deterministic pseudo-random latencies across every bucket, exact bounds, and past the last one.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const values = [0, 0.001, 0.0025, 30, 31, 1e-9, 0.1 + 0.2];
  const fns = ['a', 'b-fn', 'c'];
  const modes = ['accelerated', 'container', 'tracing'];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 500; i++) {
      const fn = fns[Math.floor(rnd() * (round + 1)) % fns.length]!;
      const mode = modes[Math.floor(rnd() * 3)]!;
      const status = String([200, 500, 404, 201][Math.floor(rnd() * 4)]);
      const v = i < values.length ? values[i]! : rnd() ** 3 * 40;
      ref.requests.labels(fn, mode, status).inc();
      cell(reqCells, `${fn} ${mode} ${status}`, () => m.counted.requests.cell({ function: fn, mode, status })).inc();
      ref.latency.labels(fn, mode).observe(v);
      cell(latCells, `${fn} ${mode}`, () => m.counted.latency.cell({ function: fn, mode })).observe(v);
      if (mode !== 'container') {
        const method = rnd() < 0.5 ? 'GET' : 'POST';
        const outcome = rnd() < 0.9 ? 'ok' : 'error';
        ref.outbound.labels(fn, method, outcome).inc();
        cell(outCells, `${fn} ${method} ${outcome}`, () => m.counted.outbound.cell({ function: fn, method, outcome })).inc();
        ref.outboundSeconds.labels(fn, method).observe(v / 3);
        cell(secCells, `${fn} ${method}`, () => m.counted.outboundSeconds.cell({ function: fn, method })).observe(v / 3);
      }
    }
    // Read after each round: flushing twice, or with nothing new, changes nothing.
    const want = await counted(ref.registry);
    assert.equal(await counted(m.registry), want);
    assert.equal(await counted(m.registry), want);
    assert.match(want, /containerless_request_duration_seconds_bucket\{le="\+Inf",function="a",mode="accelerated"\} \d+/);
  }
  // The whole registry's text has them too (registry.metrics() is what GET /metrics serves).
  const all = await m.registry.metrics();
  for (const line of (await counted(ref.registry)).split('\n')) assert.ok(all.includes(line), line);
});

test('a counted histogram refuses what prom-client refuses', () => {
  const m = createMetrics({ defaultMetrics: false });
  const c = m.counted.latency.cell({ function: 'f', mode: 'accelerated' });
  assert.throws(() => c.observe(NaN), TypeError);
  assert.throws(() => c.observe(Infinity), TypeError);
});
