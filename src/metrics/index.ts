/**
 * metrics: the platform's Prometheus registry (prom-client) and the cheap per-label cells the request
 * path counts into, read by prom-client only when /metrics is scraped. Depends on nothing of ours.
 */
export { createMetrics, LabelCache, CounterCell, HistogramCell, type Metrics } from './metrics.ts';
