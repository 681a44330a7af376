/**
 * What an idle accelerated function costs the dispatcher (issue 13: at most 0.5 MB): each corpus
 * function without outbound calls is traced locally on a few of its requests and compiled through
 * the real compiler; then --copies copies of every program are loaded under their own keys in one
 * InlineRunner in this process (as an accelerator worker holds them), each serves one request so
 * its instance exists, and the heap growth after a full GC is divided by the programs loaded.
 * Unloading them all must give the memory back.
 *
 *   node --expose-gc --import tsx bench/idle-program.ts [--copies 10]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { compileTree, InlineRunner, type Binding } from '../src/acceleration/index.ts';
import { toRawRequest } from '../src/cli/trace-run/request-spec.ts';
import { prepareSource } from '../src/platform/index.ts';
import { traceLocally } from '../src/tracer/local.ts';
import { corpus } from '../corpus/index.ts';

const { values: v } = parseArgs({ options: { copies: { type: 'string', default: '10' } } });
const copies = Number(v.copies);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const binding: Binding = { io: { request: async () => undefined }, log() {} };
const noIO = { request: async () => undefined };

const programs: Array<{ name: string; code: string; raw: ReturnType<typeof toRawRequest> }> = [];
for (const entry of corpus) {
  if (entry.backend) continue;
  const prepared = prepareSource(readFileSync(join(import.meta.dirname, '..', 'corpus', `${entry.name}.js`), 'utf8'));
  if (!prepared.ok) continue;
  const requests = fc.sample(entry.requests, { numRuns: 5, seed: 1 }).map((s) => toRawRequest(s));
  try {
    const { tree, skeleton } = await traceLocally(prepared.facts.code, requests, noIO);
    const c = compileTree(JSON.parse(JSON.stringify(tree)), skeleton);
    if (c.ok) programs.push({ name: entry.name, code: c.code, raw: requests[0]! });
  } catch {
    // A function the local tracer cannot run is not part of this measure.
  }
}

const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
};
const runner = new InlineRunner();
const before = heap();
let loaded = 0;
const codeBytes = programs.reduce((n, p) => n + p.code.length, 0) * copies;
for (let i = 0; i < copies; i++) {
  for (const p of programs) {
    const key = `${p.name}#${i}`;
    const error = await runner.load(key, { code: p.code, env: {} }, binding);
    if (error !== undefined) continue;
    await runner.handle(key, p.raw, { timeoutMs: 2000, id: `${key}-r` });
    loaded++;
  }
}
const after = heap();
for (let i = 0; i < copies; i++) for (const p of programs) runner.unload(`${p.name}#${i}`);
const freed = heap();
const mb = (b: number) => (b / 2 ** 20).toFixed(2);
console.log(`${programs.length} corpus programs × ${copies} copies: ${loaded} loaded, each having served one request`);
console.log(`heap growth ${mb(after - before)} MB: ${((after - before) / loaded / 1024).toFixed(0)} KB per idle program (its code text alone: ${(codeBytes / loaded / 1024).toFixed(1)} KB)`);
console.log(`after unloading all: ${mb(freed - before)} MB above the start`);
