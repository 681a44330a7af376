import type { TrafficSpec } from './traffic.ts';

/** How a function got to accelerated mode in the demo, or why it did not. */
export interface AccelerationOutcome {
  ok: boolean;
  /** From the first request after unpinning to the first accelerated response. */
  ms: number;
  requests: number;
  /** What it took ("default policy", "POST compile", …) or why acceleration is unavailable. */
  how: string;
}

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; text: string }> {
  const r = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, text: await r.text() };
}

const errorOf = (text: string) => {
  try {
    return String((JSON.parse(text) as { error?: unknown }).error ?? text);
  } catch {
    return text;
  }
};

/**
 * Frees a function pinned to containers (`PUT …/mode {"mode":"auto"}`) and sends its traffic one
 * request at a time until a response is `x-containerless-mode: accelerated`: the default policy
 * traces and compiles it. If the policy has not switched after `nudgeAfter` requests, asks for a
 * compile (`POST …/compile`), as an operator would. Bounded by `maxRequests` and `maxMs`; a
 * function that never gets there is reported with the platform's reason, not as a failure.
 */
export async function accelerate(base: string, name: string, specs: TrafficSpec[], o: { nudgeAfter: number; maxRequests: number; maxMs: number; onRequest(mode: string): void }): Promise<AccelerationOutcome> {
  const api = `${base}/api/functions/${name}`;
  const pin = await call(`${api}/mode`, 'PUT', { mode: 'auto' });
  if (pin.status !== 200) return { ok: false, ms: 0, requests: 0, how: `cannot unpin: HTTP ${pin.status} ${errorOf(pin.text)}` };
  const t0 = performance.now();
  let how = 'default policy';
  let refusal = '';
  let n = 0;
  // After a refused compile, a few more requests may still complete the trace; then give up.
  while (n < o.maxRequests && performance.now() - t0 < o.maxMs && !(refusal && n >= 2 * o.nudgeAfter)) {
    const spec = specs[n++ % specs.length]!;
    let mode = 'error';
    try {
      const r = await fetch(spec.url, { method: spec.method, body: spec.body, headers: spec.headers });
      await r.text();
      mode = r.headers.get('x-containerless-mode') ?? 'none';
    } catch {}
    o.onRequest(mode);
    if (mode === 'accelerated') return { ok: true, ms: performance.now() - t0, requests: n, how };
    if (n === o.nudgeAfter) {
      const c = await call(`${api}/compile`, 'POST');
      how = c.status === 200 ? `POST compile after ${n} requests` : how;
      if (c.status !== 200) refusal = errorOf(c.text);
    }
  }
  const state = await call(api, 'GET').catch(() => ({ status: 0, text: '{}' }));
  let reason = refusal;
  try {
    const d = JSON.parse(state.text) as { mode_reason?: string };
    if (d.mode_reason) reason = reason ? `${reason}; mode: ${d.mode_reason}` : d.mode_reason;
  } catch {}
  return { ok: false, ms: performance.now() - t0, requests: n, how: `not accelerated after ${n} requests${reason ? ` (${reason})` : ''}` };
}
