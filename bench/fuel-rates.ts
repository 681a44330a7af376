/**
 * What one unit of fuel costs, per kind of work: the calibration of src/accelerator/builtins/costs.ts.
 *
 *   npx tsx bench/fuel-rates.ts [--rounds 5] [--only NAME,…] [--no-write]
 *
 * Each workload is a function run accelerated (compiled through the real compiler, in one process)
 * with fuel and memory limits high enough not to stop it; per request the CPU time of this process
 * and the fuel the request was charged (AccelResult.usage) give nanoseconds per unit. The median over
 * rounds is printed. The aim (docs/accelerator.md, "Fuel"): every kind of work at 2–20 ns a unit, so
 * that the default 1e6 units per request is a few milliseconds whatever the request does. The figures
 * are appended to bench/RESULTS-security.md with the date, the machine and the load average.
 */
import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from '@babel/parser';
import { compile } from '../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../src/accelerator/index.ts';
import type { RawRequest } from '../src/api/index.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, only: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });

interface Workload {
  name: string;
  /** The handler's body; `c` is the containerless module, `req` the request. Top-level setup in `top`. */
  body: string;
  top?: string;
  body_?: string;
  request?: Partial<RawRequest>;
}

const BIG = 400_000;
const workloads: Workload[] = [
  { name: 'loop (back edges)', body: 'let x = 0; for (let i = 0; i < 2000000; i++) x = x + i; c.respond(x);' },
  { name: 'calls', top: 'function f(a) { return a + 1; }', body: 'let x = 0; for (let i = 0; i < 500000; i++) x = f(x); c.respond(x);' },
  { name: 'property reads and writes', body: 'const o = { a: 1, b: 2 }; for (let i = 0; i < 500000; i++) { o.a = o.b + i; o.b = o.a; } c.respond(o.a);' },
  { name: 'indexOf one char', top: `const s = 'a'.repeat(${BIG});`, body: "let n = 0; for (let i = 0; i < 300; i++) n += s.indexOf('b'); c.respond(n);" },
  { name: 'indexOf near matches (ab in aaa…)', top: `const s = 'a'.repeat(${BIG}) + 'b';`, body: "let n = 0; for (let i = 0; i < 10; i++) n += s.indexOf('ab'); c.respond(n);" },
  { name: 'includes long pattern', top: `const s = 'a'.repeat(${BIG}); const p = 'a'.repeat(99) + 'c';`, body: 'let n = 0; for (let i = 0; i < 10; i++) if (s.includes(p)) n++; c.respond(n);' },
  { name: 'lastIndexOf long pattern', top: `const s = 'a'.repeat(${BIG}); const p = 'a'.repeat(99) + 'c';`, body: 'let n = 0; for (let i = 0; i < 2; i++) n += s.lastIndexOf(p); c.respond(n);' },
  { name: '=== equal-length strings', top: `const s = 'a'.repeat(${BIG}) + 'b'; const t = 'a'.repeat(${BIG}) + 'c';`, body: 'let n = 0; for (let i = 0; i < 2000; i++) if (s === t) n++; c.respond(n);' },
  { name: '< on strings', top: `const s = 'a'.repeat(${BIG}) + 'b'; const t = 'a'.repeat(${BIG}) + 'c';`, body: 'let n = 0; for (let i = 0; i < 2000; i++) if (s < t) n++; c.respond(n);' },
  { name: 'toUpperCase', top: `const s = 'abc'.repeat(${BIG / 3});`, body: 'let n = 0; for (let i = 0; i < 10; i++) n += s.toUpperCase().length; c.respond(n);' },
  { name: 'split', top: `const s = 'ab,'.repeat(${BIG / 3});`, body: "c.respond(s.split(',').length);" },
  { name: 'replaceAll', top: `const s = 'ab,'.repeat(${BIG / 3});`, body: "c.respond(s.replaceAll(',', ';').length);" },
  { name: 'repeat then flatten', body: "let n = 0; for (let i = 0; i < 10; i++) n += ('x' + i).repeat(200000).charCodeAt(5); c.respond(n);" },
  { name: 'large concatenation then flatten', top: `const s = 'x'.repeat(${BIG}); s.charCodeAt(0);`, body: 'let n = 0; for (let i = 0; i < 40; i++) n += (s + i).charCodeAt(1); c.respond(n);' },
  { name: 'append loop (small pieces)', body: "let s = ''; for (let i = 0; i < 20000; i++) s += 'piece ' + i + ';'; c.respond(s.length);" },
  { name: 'new Array(n).fill', body: 'let n = 0; for (let i = 0; i < 5; i++) n += new Array(200000).fill(7).length; c.respond(n);' },
  { name: 'array indexOf / includes', top: 'const a = []; for (let i = 0; i < 200000; i++) a.push(i);', body: 'let n = 0; for (let i = 0; i < 10; i++) n += a.indexOf(-1) + (a.includes(-1) ? 1 : 0); c.respond(n);' },
  { name: 'array slice / concat / reverse', top: 'const a = []; for (let i = 0; i < 200000; i++) a.push(i);', body: 'let n = 0; for (let i = 0; i < 3; i++) n += a.slice().concat(a).reverse().length; c.respond(n);' },
  { name: 'array map / filter (callbacks)', top: 'const a = []; for (let i = 0; i < 100000; i++) a.push(i);', body: 'c.respond(a.map(function (x) { return x + 1; }).filter(function (x) { return x % 2 === 0; }).length);' },
  { name: 'sort with a comparator', top: 'const a = []; for (let i = 0; i < 100000; i++) a.push((i * 7919) % 100003);', body: 'c.respond(a.slice().sort(function (x, y) { return x - y; })[0]);' },
  { name: 'sort, default order', top: 'const a = []; for (let i = 0; i < 50000; i++) a.push((i * 7919) % 100003);', body: 'c.respond(a.slice().sort()[0]);' },
  { name: 'JSON.stringify', top: 'const v = []; for (let i = 0; i < 20000; i++) v.push({ id: i, name: "item" + i, tags: ["a", "b"] });', body: 'c.respond(JSON.stringify(v).length);' },
  { name: 'JSON.parse', top: 'const v = []; for (let i = 0; i < 20000; i++) v.push({ id: i, name: "item" + i, tags: ["a", "b"] }); const s = JSON.stringify(v);', body: 'c.respond(JSON.parse(s).length);' },
  { name: 'Object.keys / spread / assign', top: 'const o = {}; for (let i = 0; i < 20000; i++) o["k" + i] = i;', body: 'let n = 0; for (let i = 0; i < 5; i++) n += Object.keys(Object.assign({}, o, { ...o })).length; c.respond(n);' },
  { name: 'console.log of objects', top: 'const v = []; for (let i = 0; i < 100; i++) v.push({ id: i, name: "item" + i, nested: { a: [1, 2, 3] } });', body: 'for (let i = 0; i < 20; i++) console.log(v); c.respond("ok");' },
  { name: 'join', top: 'const a = []; for (let i = 0; i < 200000; i++) a.push("x" + i);', body: "c.respond(a.join(',').length);" },
  { name: 'request body into the realm', body: 'c.respond(req.body.length);', request: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: 20000 }, (_, i) => ({ id: i, name: `item${i}` }))) } },
  { name: 'respond a large object', top: 'const v = []; for (let i = 0; i < 20000; i++) v.push({ id: i, name: "item" + i });', body: 'c.respond(v);' },
];

const rounds = Number(values.rounds);
const only = values.only?.split(',');
const base: RawRequest = { method: 'GET', path: '/', query: {}, headers: {}, body: '' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const limits = { fuel: 1e9, memoryBytes: 8e9, instanceMemoryBytes: 8e10 };

const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  process.stdout.write(`${s}\n`);
};
say(`fuel-rates ${new Date().toISOString()} ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
say('');
say('| work | units per request | CPU ms per request | ns per unit |');
say('| --- | ---: | ---: | ---: |');
for (const w of workloads) {
  if (only && !only.includes(w.name)) continue;
  const source = `const c = require('containerless');\n${w.top ?? ''}\nc.listen(function (req) {\n${w.body}\n});`;
  const code = compile({ program: parse(source, { sourceType: 'script' }).program }).code;
  const program = loadCompiled(code);
  const ns: number[] = [];
  let units = 0;
  let cpu = 0;
  const logs: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const inst = createInstance(program, { io: { request: async () => undefined }, log: (_s, l) => logs.push(l), limits });
    const t0 = process.cpuUsage();
    const res = await inst.handle({ ...base, ...w.request }, { timeoutMs: 60_000 });
    const d = process.cpuUsage(t0);
    if (res.kind === 'abort') throw new Error(`${w.name}: aborted (${res.reason} ${res.detail ?? ''})`);
    units = res.usage!.fuel;
    cpu = (d.user + d.system) / 1000;
    ns.push((cpu * 1e6) / units);
    logs.length = 0;
  }
  say(`| ${w.name} | ${units.toLocaleString('en-US')} | ${cpu.toFixed(1)} | ${median(ns).toFixed(1)} |`);
}
say('');
say(`command: npx tsx bench/fuel-rates.ts --rounds ${rounds}${values.only ? ` --only '${values.only}'` : ''}`);
if (!values['no-write']) appendFileSync(join(import.meta.dirname, 'RESULTS-security.md'), `\n### fuel-rates\n\n${lines.join('\n')}\n`);
