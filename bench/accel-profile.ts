/**
 * Where the time goes in a V8 CPU profile (`node --cpu-prof`, e.g. from
 * `bench/accel-compare.ts --cpu-prof DIR`): self time summed by area (the project's folders,
 * Node's HTTP stack, undici, compiled function code, GC, idle) and the top functions by self time.
 *
 *   npx tsx bench/accel-profile.ts FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** An area per source location, coarse enough to say "where the time goes" in one line. */
export function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8/native (program)';
  const m = /\/src\/([a-z-]+)\//.exec(url);
  if (m) return `src/${m[1]}`;
  if (/containerless-compiled|containerless-fast-ops/.test(url)) return 'compiled trace code (accelerated)';
  if (/^evalmachine|^vm:|\/function\/index\.js/.test(url)) return 'function code (original)';
  if (url === '') return 'native (syscalls, V8 builtins)';
  if (url.includes('node_modules/undici')) return 'undici (outbound HTTP)';
  if (url.includes('node_modules/pino') || url.includes('thread-stream') || url.includes('sonic-boom')) return 'pino (logs)';
  if (url.includes('node_modules/prom-client')) return 'prom-client (metrics)';
  if (url.includes('node_modules/better-sqlite3')) return 'sqlite (store)';
  if (url.includes('node_modules/tsx') || url.includes('node_modules/esbuild')) return 'module loading (start-up, tsx)';
  if (url.includes('node_modules/')) return `node_modules/${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? '?'}`;
  if (/node:_http|node:http|_http_/.test(url)) return 'node http server';
  if (/node:net|node:stream|internal\/streams|node:internal\/stream/.test(url)) return 'node net/streams';
  if (/async_hooks|AsyncLocalStorage/.test(url)) return 'node async_hooks';
  if (/node:internal\/(modules|bootstrap)|cjs-module-lexer/.test(url)) return 'module loading (start-up, tsx)';
  if (/node:internal\/(timers|process\/task_queues)|node:events/.test(url)) return 'node events, timers, ticks';
  if (url.startsWith('node:')) return 'node other';
  return 'other';
}

export function summarise(p: Profile, top: number): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Self time per node from the sample stream (timeDeltas are µs between consecutive samples).
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  let total = 0;
  let idle = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const a = area(n.callFrame.url, n.callFrame.functionName);
    if (a === 'idle') {
      idle += us;
      continue;
    }
    total += us;
    areas.set(a, (areas.get(a) ?? 0) + us);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
  const out = [`busy ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s`, 'self time by area:'];
  for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1])) out.push(`  ${pct(us).padStart(6)}  ${a}`);
  out.push(`top ${top} functions by self time:`);
  for (const [f, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top)) out.push(`  ${pct(us).padStart(6)}  ${f}`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  for (const file of positionals) {
    process.stdout.write(`${file}\n${summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(values.top)).join('\n')}\n\n`);
  }
}
