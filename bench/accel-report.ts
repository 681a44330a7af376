/**
 * The markdown report of bench/accel-compare.ts: per function and configuration the medians over
 * rounds, then the ratios accelerated/containers and accelerated/limit with their geometric means
 * (I/O-bound, CPU-bound, all). Ratios are "higher is better for accelerated": throughput a/c and
 * a/l; latency and CPU c/a and l/a (how many times lower accelerated is).
 */
import type { LoadResult } from './accel-load.ts';

export type Config = 'containers' | 'accelerated' | 'limit';

export interface PhaseFigures {
  load: LoadResult;
  cpuMsPerReq: number;
  /** CPU seconds per wall second during the phase. */
  cores: number;
  rssBytes: number;
  load1: number;
}

export interface FunctionResult {
  name: string;
  kind: 'io' | 'cpu';
  sat: Partial<Record<Config, PhaseFigures[]>>;
  rate: Partial<Record<Config, PhaseFigures[]>>;
  rateValue?: number;
  accel?: { ok: boolean; ms?: number; requests: number; how: string };
  /** Aborts counted by the platform during the accelerated fixed-rate phases. */
  aborts?: number;
  notes: string[];
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const geomean = (xs: number[]) => (xs.length === 0 ? NaN : Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length));

const med = (ps: PhaseFigures[] | undefined, get: (p: PhaseFigures) => number) => (ps && ps.length ? median(ps.map(get)) : NaN);
const num = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');

export function renderReport(r: { date: string; cmd: string; machine: string; containerConfig: Record<string, unknown>; duration: number; rounds: number; connections: number; rateConnections: number; results: FunctionResult[] }): string {
  const out: string[] = [];
  out.push(`## Accelerated vs containers vs limit: ${r.date}`, '');
  out.push(`- command: \`${r.cmd}\``, `- machine: ${r.machine}`);
  out.push(`- containers: runc, pinned with PUT mode containers, config ${JSON.stringify(r.containerConfig)}; limit: bench/limit-server.ts (plain Node, no sandbox)`);
  out.push(`- each phase ${r.duration} s measured after a warm-up, ${r.connections} connections at saturation, ${r.rateConnections} at the fixed rate (autocannon overallRate), ${r.rounds} round(s), medians over rounds; autocannon in the bench process, servers and mock backend in their own processes`, '');
  out.push('| function | config | req/s (saturation) | p50 ms @ rate | p99 ms @ rate | rate req/s | CPU ms/req (sat.) | RSS MB | modes seen | errors | aborts |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const f of r.results) {
    for (const c of ['containers', 'accelerated', 'limit'] as const) {
      const sat = f.sat[c];
      const rate = f.rate[c];
      if (!sat && !(c === 'accelerated' && f.accel)) continue;
      if (!sat) {
        out.push(`| ${f.name} | ${c} | unavailable | | | | | | | | |`);
        continue;
      }
      const seen = new Set([...sat, ...(rate ?? [])].flatMap((p) => Object.keys(p.load.modes)));
      const errors = [...sat, ...(rate ?? [])].reduce((n, p) => n + p.load.errors, 0);
      const reexec = [...sat, ...(rate ?? [])].reduce((n, p) => n + p.load.reexecuted, 0);
      out.push(
        `| ${f.name} | ${c} | ${num(med(sat, (p) => p.load.rps))} | ${num(med(rate, (p) => p.load.p50), 2)} | ${num(med(rate, (p) => p.load.p99), 2)} | ${f.rateValue ?? 'n/a'} | ` +
          `${num(med(sat, (p) => p.cpuMsPerReq), 3)} | ${num(med(sat, (p) => p.rssBytes / 2 ** 20))} | ${[...seen].join(', ')} | ${errors} | ${c === 'accelerated' ? `${f.aborts ?? 'n/a'} (re-executed ${reexec})` : ''} |`,
      );
    }
  }
  out.push('', '| function | kind | time to accelerated | throughput a/c | throughput a/l | p50 c/a | p99 c/a | p99 l/a | CPU/req c/a | CPU/req l/a |', '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const rows: Array<{ kind: string; ac: number; al: number; p99: number }> = [];
  for (const f of r.results) {
    const g = (c: Config, set: 'sat' | 'rate', get: (p: PhaseFigures) => number) => med(f[set][c], get);
    const ac = g('accelerated', 'sat', (p) => p.load.rps) / g('containers', 'sat', (p) => p.load.rps);
    const al = g('accelerated', 'sat', (p) => p.load.rps) / g('limit', 'sat', (p) => p.load.rps);
    const p50 = g('containers', 'rate', (p) => p.load.p50) / g('accelerated', 'rate', (p) => p.load.p50);
    const p99 = g('containers', 'rate', (p) => p.load.p99) / g('accelerated', 'rate', (p) => p.load.p99);
    const p99l = g('limit', 'rate', (p) => p.load.p99) / g('accelerated', 'rate', (p) => p.load.p99);
    const cpuC = g('containers', 'sat', (p) => p.cpuMsPerReq) / g('accelerated', 'sat', (p) => p.cpuMsPerReq);
    const cpuL = g('limit', 'sat', (p) => p.cpuMsPerReq) / g('accelerated', 'sat', (p) => p.cpuMsPerReq);
    const tta = f.accel ? (f.accel.ok ? `${num(f.accel.ms!)} ms, ${f.accel.requests} requests` : 'not accelerated') : 'n/a';
    rows.push({ kind: f.kind, ac, al, p99 });
    out.push(`| ${f.name} | ${f.kind} | ${tta} | ${ratio(ac)} | ${ratio(al)} | ${ratio(p50)} | ${ratio(p99)} | ${ratio(p99l)} | ${ratio(cpuC)} | ${ratio(cpuL)} |`);
  }
  const gm = (sel: (x: (typeof rows)[number]) => boolean, k: 'ac' | 'al' | 'p99') => ratio(geomean(rows.filter(sel).map((x) => x[k]).filter(Number.isFinite)));
  for (const [label, sel] of [['I/O-bound', (x: (typeof rows)[number]) => x.kind === 'io'], ['CPU-bound', (x: (typeof rows)[number]) => x.kind === 'cpu'], ['all', () => true]] as const) {
    out.push(`| **geomean ${label}** | | | ${gm(sel, 'ac')} | ${gm(sel, 'al')} | | ${gm(sel, 'p99')} | | | |`);
  }
  const notes = r.results.flatMap((f) => [...f.notes.map((n) => `${f.name}: ${n}`), ...(f.accel ? [`${f.name}: acceleration via ${f.accel.how}`] : [])]);
  if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
  out.push('');
  return out.join('\n');
}
