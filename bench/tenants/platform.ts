/**
 * One platform mode of the bench: `containerless serve` as an operator starts it (a child process
 * on a free port, runc containers, the mock backend's host allowed outbound), every tenant deployed
 * with a short `idle_ms` (keep-alive compressed in time), pinned to containers or left to the
 * default policy; then the schedule, then the cold starts from /metrics.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../accel-servers.ts';
import { drive, type RunResult } from './drive.ts';
import type { Arrival } from './load.ts';
import type { Tenant } from './functions.ts';
import { MODE_LABEL } from './report.ts';

export interface PlatformRun extends RunResult {
  coldStarts: number;
  deployFailures: string[];
  /** Seconds to start the platform and deploy every tenant. */
  setupS: number;
}

async function deploy(url: string, t: Tenant, config: object): Promise<string | undefined> {
  const res = await fetch(`${url}/api/functions/${t.name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: t.source, config }) });
  if (res.status === 200 || res.status === 201) return undefined;
  return `${t.name}: ${res.status} ${(await res.text()).slice(0, 200)}`;
}

/** Sum of a Prometheus counter over its labels. */
export function counterSum(metrics: string, name: string): number {
  let sum = 0;
  for (const line of metrics.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  return sum;
}

export async function runPlatform(o: { mode: 'containers' | 'auto'; tenants: Tenant[]; schedule: Arrival[]; duration: number; idleMs: number; backendUrl: string; sandbox: string; serverLog?: string; cpuProfDir?: string; nodeArgs?: string[]; serveArgs?: string[] }): Promise<PlatformRun> {
  const t0 = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-tenants-'));
  const backendHost = new URL(o.backendUrl).host;
  const platform = await startPlatform({ dataDir, sandbox: o.sandbox, allowOutbound: backendHost, cpuProfDir: o.cpuProfDir, nodeArgs: o.nodeArgs, args: o.serveArgs, logFile: o.serverLog ? `${o.serverLog}.${o.mode}` : undefined });
  try {
    const deployFailures: string[] = [];
    const config = { idle_ms: o.idleMs, env: { BACKEND: o.backendUrl } };
    for (const t of o.tenants) {
      const failed = await deploy(platform.url, t, config);
      if (failed) deployFailures.push(failed);
      else if (o.mode === 'containers') {
        const res = await fetch(`${platform.url}/api/functions/${t.name}/mode`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'containers' }) });
        if (!res.ok) deployFailures.push(`${t.name}: mode ${res.status}`);
      }
    }
    const setupS = (performance.now() - t0) / 1000;
    process.stderr.write(`platform started and ${o.tenants.length - deployFailures.length} functions deployed in ${setupS.toFixed(1)} s\n`);
    const run = await drive({ label: MODE_LABEL[o.mode], baseUrl: platform.url, rootPid: platform.pid, tenants: o.tenants, schedule: o.schedule, duration: o.duration });
    const coldStarts = counterSum(await (await fetch(`${platform.url}/metrics`)).text(), 'containerless_cold_starts_total');
    return { ...run, coldStarts, deployFailures, setupS };
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
