import { readFileSync } from 'node:fs';
import type { Policy } from '../../src/acceleration/policy.ts';
import type { Platform } from '../../src/server/index.ts';
import { call, platform } from '../e2e/helpers.ts';

export { call, freePort, mockBackend, serveProcess, sleep, tempDir } from '../e2e/helpers.ts';

/** Deploys (create or replace) with the platform's own policy: no pin, unlike the e2e helper. */
export async function deploy(p: { url: string }, name: string, source: string, config?: Record<string, unknown>) {
  const res = await fetch(`${p.url}/api/functions/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config ? { source, config } : { source }),
  });
  const body = await res.text();
  if (res.status >= 300) throw new Error(`deploy ${name}: ${res.status} ${body}`);
  return JSON.parse(body) as Record<string, unknown>;
}

type TestContext = { after(fn: () => unknown): void };

/** A real platform (runc) with a small policy so that tests reach acceleration in a few requests. */
export function accelPlatform(t: TestContext, policy: Partial<Policy> = {}, over: Record<string, unknown> = {}): Promise<Platform> {
  return platform(t, { policy: { compileAfterRequests: 3, compileWhenStableFor: 2, recompileDelayMs: 10, persistTraceMs: 100, ...policy }, ...over });
}

export const corpus = (name: string) => readFileSync(new URL(`../../corpus/${name}.js`, import.meta.url), 'utf8');

export const mode = (r: { headers: Headers }) => r.headers.get('x-containerless-mode');

/** Polls until `cond` holds (a background compile is asynchronous); fails with `what` after `ms`. */
export async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

/** Invokes until a response is served `accelerated` (the compile runs in the background). */
export async function untilAccelerated(p: { url: string }, path: string, init: RequestInit = {}, ms = 60_000) {
  let last: Awaited<ReturnType<typeof call>> | undefined;
  await until(`${path} served accelerated (last: ${last && mode(last)})`, async () => {
    last = await call(p, path, init);
    return mode(last) === 'accelerated';
  }, ms);
  return last!;
}

export async function fnInfo(p: { url: string }, name: string) {
  return (await call(p, `/api/functions/${name}`)).json();
}
