// Differential tests of async functions and generators that see their receiver (rt.afnt / rt.gfnt):
// async class methods using this, private fields and super, async object-literal methods, generator
// methods, `arguments` in an async function. Each runs in Node and accelerated, answering the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSource } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

const run = (prelude: string): string =>
  program(`main(req).then((out) => c.respond(out), (e) => c.respond({ threw: String(e && e.name), message: String(e && e.message) }));`, `'use strict';\n${prelude}`);

const SAME: Record<string, string> = {
  'async class methods with this, fields and private fields': run(`
class Store {
  items = [];
  #count = 0;
  async add(x) { await null; this.items.push(x); this.#count++; return this; }
  async total() { const xs = await Promise.all(this.items.map(async (x) => x * 2)); return { sum: xs.reduce((a, b) => a + b, 0), n: this.#count }; }
  static async make(...xs) { const s = new this(); for (const x of xs) await s.add(x); return s; }
}
async function main() { const s = await Store.make(1, 2, 3); await s.add(4); return [await s.total(), s.items, s instanceof Store]; }`),
  'async methods calling super methods': run(`
class Base { async load(id) { await null; return { id, from: 'base', who: this.name }; } }
class Cached extends Base {
  constructor() { super(); this.name = 'cached'; this.hits = 0; }
  async load(id) { this.hits++; const r = await super.load(id); return { ...r, hits: this.hits }; }
}
async function main() { const c = new Cached(); await c.load(1); return await c.load(2); }`),
  'async object-literal methods and arguments': run(`
const api = {
  base: 10,
  async get(n) { await Promise.resolve(); return this.base + n; },
  async sum() { let s = 0; for (let i = 0; i < arguments.length; i++) s += await arguments[i]; return s + this.base; },
};
async function main() { return [await api.get(5), await api.sum(1, Promise.resolve(2), 3), await api.get.call({ base: 100 }, 1)]; }`),
  'private and static async methods, and arrows inside them, see this': run(`
class Queue {
  static #made = 0;
  #jobs = [];
  static async create(name) { this.#made++; const q = new this(); q.name = name; return q; }
  static get made() { return Queue.#made; }
  async #run(job) { await null; return this.name + ':' + job; }
  async push(...jobs) { this.#jobs.push(...jobs); return Promise.all(this.#jobs.map(async (j) => await this.#run(j))); }
}
async function main() { const q = await Queue.create('q'); const r = await q.push('a', 'b'); await Queue.create('r'); return [r, Queue.made]; }`),
  'a rejection inside an async method reaches the caller': run(`
class Svc { constructor() { this.name = 'svc'; } async fail() { await null; throw new RangeError(this.name + ' down'); } }
async function main() { try { await new Svc().fail(); return 'no'; } catch (e) { return [e.name, e.message]; } }`),
  'generator methods using this': run(`
class Range {
  constructor(a, b) { this.a = a; this.b = b; }
  *values() { for (let i = this.a; i < this.b; i++) yield i * this.step(); }
  step() { return 2; }
}
const bag = { items: ['x', 'y'], *each() { for (const i of this.items) yield i.toUpperCase(); } };
async function main() { const r = new Range(1, 4); return [[...r.values()], [...bag.each()], [...bag.each.call({ items: ['q'] })]]; }`),
  'an async method with this called before and after awaits keeps its receiver': run(`
class Counter { n = 0; async bump(times) { for (let i = 0; i < times; i++) { this.n++; await new Promise((r) => setTimeout(r, 1)); } return this.n; } }
async function main() { const a = new Counter(); const b = new Counter(); const [x, y] = await Promise.all([a.bump(2), b.bump(3)]); return [x, y, a.n, b.n]; }`),
  'named async function and generator expressions that call themselves': run(`
const countdown = async function tick(n, out = []) { out.push(n); if (n === 0) return out; await null; return tick(n - 1, out); };
const walk = function* visit(node) { yield node.v; for (const k of node.kids || []) for (const v of visit(k)) yield v; };
async function main() { return [await countdown(3), [...walk({ v: 1, kids: [{ v: 2, kids: [{ v: 3 }] }, { v: 4 }] })]]; }`),
};

test('async methods and generators using this answer as Node does', async () => {
  for (const [name, source] of Object.entries(SAME)) {
    const node = await sameAsNode(source);
    assert.equal(node.status, 200, `${name}: ${node.body}`);
    assert.doesNotMatch(node.body, /threw/, name);
  }
});

test('they compile to rt.afnt and rt.gfnt, not to an abort', () => {
  const code = compileSource(SAME['async class methods with this, fields and private fields']!);
  assert.match(code, /rt\.afnt\("add", 1, 0, function\* \(\$this\d+, \$nt\d+, \$args\d+, /);
  assert.doesNotMatch(code, /-receiver/);
  assert.match(compileSource(SAME['generator methods using this']!), /rt\.gfnt\("values", 0, 0, function\* /);
});

test('async generator methods using this run as in Node (rt.agfnt)', async () => {
  const source = run(`async function main() { class A { constructor() { this.n = 2; } async *g() { yield this.n; yield* [1]; } } const it = new A().g(); return typeof it + ' ' + JSON.stringify(await it.next()); }`);
  const r = await accelerated(source);
  assert.notEqual((r as { kind?: string }).kind, 'abort', JSON.stringify(r));
  await sameAsNode(run(`async function main() { class A { constructor() { this.n = 2; } async *g() { yield this.n; yield this.n * 2; } } const out = []; for await (const v of new A().g()) out.push(v); return out.join(','); }`));
});

test('calls that threw inside an async function do not count against the depth after its awaits', async () => {
  const source = run(`
function deep(n) { if (n === 0) throw new Error('deep'); return deep(n - 1); }
async function failing() { await null; return deep(20); }
async function main() {
  let caught = 0;
  for (let i = 0; i < 300; i++) await failing().catch(() => caught++);
  const depth = (function probe(n) { return n === 0 ? 0 : 1 + probe(n - 1); })(200);
  return [caught, depth];
}`);
  const node = await sameAsNode(source);
  assert.equal(node.body, '[300,200]');
});

test('a catch after an await counts depth from where the function resumed, not where it was called', async () => {
  const source = run(`
function probe(n) { return n === 0 ? 0 : 1 + probe(n - 1); }
async function guarded() {
  try { await null; throw new Error('late'); } catch (e) { return probe(400); }
  finally { probe(300); }
}
function nest(n) { return n === 0 ? guarded() : nest(n - 1); }
async function main() { return [await nest(1300), await nest(1300)]; }`);
  const node = await sameAsNode(source);
  assert.equal(node.body, '[400,400]');
});
