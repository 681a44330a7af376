/**
 * Container-mode benchmarks (issue 2): for hello and echo, cold-start latency (median of several),
 * warm throughput and p50/p99 at saturation with autocannon, dispatcher and container RSS.
 * The platform runs as `containerless serve` in its own process; the load generator runs here, so the
 * two never share an event loop. Prints numbers and appends them to bench/RESULTS.md.
 *
 *   npx tsx bench/containers.ts [--duration 10] [--connections 32] [--cold 7] [--sandbox runc]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const ROOT = join(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    cold: { type: 'string', default: '7' },
    sandbox: { type: 'string', default: 'auto' },
    'no-write': { type: 'boolean', default: false },
  },
});
const duration = Number(args.duration);
// Other work on the machine skews every figure; the results file records how busy it was.
const startLoad = loadavg()[0]!.toFixed(2);
const connections = Number(args.connections);
const coldRuns = Number(args.cold);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const mb = (b: number | null | undefined) => (b === null || b === undefined || Number.isNaN(b) ? 'n/a' : `${(b / 1024 / 1024).toFixed(1)} MB`);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'containerless-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/containerless.js'), 'serve', '--port', String(port), '--data-dir', dataDir, '--sandbox', args.sandbox!], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {}
      if (i > 300) throw new Error('server did not start');
      await sleep(100);
    }
    const health = (await (await fetch(`${base}/healthz`)).json()) as { sandbox: string };
    const deploy = async (name: string, file: string, config: Record<string, unknown>) => {
      const r = await fetch(`${base}/api/functions/${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: readFileSync(join(ROOT, 'examples', file), 'utf8'), config }),
      });
      if (r.status >= 300) throw new Error(`deploy ${name}: ${r.status} ${await r.text()}`);
      // Pinned: this benchmark is the containers-only baseline, whatever the default policy does.
      const pin = await fetch(`${base}/api/functions/${name}/mode`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"containers"}' });
      if (pin.status !== 200) throw new Error(`pin ${name}: ${pin.status} ${await pin.text()}`);
    };
    const timed = async (url: string, init?: RequestInit) => {
      const t0 = performance.now();
      const r = await fetch(url, init);
      await r.text();
      if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
      return performance.now() - t0;
    };
    const containers = async (name: string) => {
      const d = (await (await fetch(`${base}/api/functions/${name}`)).json()) as { containers: Array<{ rss_bytes: number | null }> };
      return d.containers;
    };

    say(`sandbox: ${health.sandbox}`);
    const targets = [
      { name: 'hello', file: 'hello.js', init: undefined as RequestInit | undefined, path: '/' },
      { name: 'echo', file: 'echo.js', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"bench","n":[1,2,3]}' }, path: '/items?id=7' },
    ];
    for (const t of targets) {
      // Cold start with the pre-started runner: deploy, let the runner start, first request.
      const prestarted: number[] = [];
      for (let i = 0; i < coldRuns; i++) {
        await deploy(`${t.name}-p${i}`, t.file, {});
        await sleep(800);
        prestarted.push(await timed(`${base}/fn/${t.name}-p${i}${t.path}`, t.init));
        await fetch(`${base}/api/functions/${t.name}-p${i}`, { method: 'DELETE' });
      }
      // Full cold start: after scale to zero there is no runner; start + load are on the path.
      await deploy(t.name, t.file, { idle_ms: 300 });
      await timed(`${base}/fn/${t.name}${t.path}`, t.init);
      const full: number[] = [];
      for (let i = 0; i < coldRuns; i++) {
        for (let w = 0; w < 50 && (await containers(t.name)).length > 0; w++) await sleep(100);
        full.push(await timed(`${base}/fn/${t.name}${t.path}`, t.init));
      }
      await deploy(t.name, t.file, {}); // default config for the warm run
      await timed(`${base}/fn/${t.name}${t.path}`, t.init);
      const result = await autocannon({
        url: `${base}/fn/${t.name}${t.path}`,
        connections,
        duration,
        method: (t.init?.method ?? 'GET') as 'GET',
        headers: t.init?.headers as Record<string, string> | undefined,
        body: t.init?.body as string | undefined,
        workers: 1,
      });
      const ctrs = await containers(t.name);
      const ctrRss = ctrs.map((c) => c.rss_bytes).filter((x): x is number => typeof x === 'number');
      say(`${t.name}: cold start (pre-started runner) median ${median(prestarted).toFixed(1)} ms of ${coldRuns} [${prestarted.map((x) => x.toFixed(0)).join(', ')}]`);
      say(`${t.name}: cold start (start + load) median ${median(full).toFixed(1)} ms of ${coldRuns} [${full.map((x) => x.toFixed(0)).join(', ')}]`);
      say(
        `${t.name}: warm ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms ` +
          `(${connections} connections, ${duration} s, non-2xx ${result.non2xx}, errors ${result.errors})`,
      );
      say(`${t.name}: ${ctrs.length} containers after the run, container memory (driver-reported: cgroup usage for runc) ${ctrRss.length ? `${mb(median(ctrRss))} median, ${mb(ctrRss.reduce((a, b) => a + b, 0))} total` : 'n/a'}`);
    }
    say(`dispatcher RSS after the runs: ${mb(rssOf(server.pid!))}`);
    if (!args['no-write']) writeResults(lines);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function writeResults(lines: string[]): void {
  const file = join(ROOT, 'bench', 'RESULTS.md');
  if (!existsSync(file)) writeFileSync(file, '# Benchmark results\n\nAppended by the bench scripts; newest last.\n');
  const cmd = `npx tsx bench/containers.ts ${process.argv.slice(2).join(' ')}`.trim();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average at start ${startLoad}`;
  appendFileSync(file, `\n## Containers: ${new Date().toISOString()}\n\n- command: \`${cmd}\`\n- machine: ${machine}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
}

await main();
