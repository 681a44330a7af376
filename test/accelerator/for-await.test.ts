// `for await` against Node: the order of every job (each case logs interleaved promise callbacks),
// closing on break, return and throw, the TypeErrors, and async-from-sync iteration as Node 20 does
// it (a rejected value does not close the sync iterator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { traceLocally } from '../../src/tracer/local.ts';
import { agreeInOrder, compileSource, raw, recordingIO } from './helpers.ts';

/** A paper-style function whose async handler runs `body` (with `log` and a ticker) and answers the log. */
const wrap = (body: string) => `const c = require('containerless');
c.listen(async function (req) {
  const log = [];
  const tick = (n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log.push('t' + i)); return p; };
  try {
${body}
  } catch (e) { log.push('caught ' + (e && e.name) + ': ' + (e && e.message)); }
  await tick(6);
  c.respond(log);
});`;

const CASES: Array<[string, string]> = [
  ['values and promises, in job order', `tick(6);
    for await (const v of [1, Promise.resolve(2), 3]) log.push('v' + v);
    log.push('end');`],
  ['a sync generator, left by break: its finally runs in order', `function* g() { try { yield 1; yield 2; yield 3; } finally { log.push('fin'); } }
    tick(8);
    for await (const v of g()) { log.push('v' + v); if (v === 2) break; }
    log.push('after');`],
  ['a rejected value: caught, the sync generator not closed (Node 20)', `function* g() { try { yield 1; yield Promise.reject(new RangeError('no')); yield 3; } finally { log.push('fin'); } }
    tick(6);
    for await (const v of g()) log.push('v' + v);`],
  ['an async iterator object: break awaits its return()', `const it = { i: 0,
      [Symbol.asyncIterator]() { log.push('open'); return this; },
      next() { log.push('next'); return Promise.resolve({ value: this.i++, done: this.i > 5 }); },
      return() { log.push('return'); return Promise.resolve({ done: true }); } };
    tick(10);
    for await (const v of it) { log.push('v' + v); if (v === 2) break; }
    log.push('after');`],
  ['a throw out of the body: return() is awaited, the first error wins', `const it = { [Symbol.asyncIterator]() { return { next: () => ({ value: 1, done: false }), return() { log.push('return'); throw new Error('from return'); } }; } };
    tick(4);
    for await (const v of it) { log.push('v' + v); throw new TypeError('from body'); }`],
  ['return inside the loop of an async function', `async function first(xs) { for await (const x of xs) { if (x > 1) return x; log.push('x' + x); } return -1; }
    tick(6);
    log.push('first ' + await first([1, Promise.resolve(5), 7]));
    log.push('none ' + await first([]));`],
  ['next() that throws: no return() call', `const it = { [Symbol.asyncIterator]() { return { next() { throw new SyntaxError('bad next'); }, return() { log.push('return'); return {}; } }; } };
    for await (const v of it) log.push('v' + v);`],
  ['a result that is not an object', `const it = { [Symbol.asyncIterator]() { return { next: () => 1 }; } };
    for await (const v of it) log.push('v' + v);`],
  ['return() that gives no object, on break', `const it = { [Symbol.asyncIterator]() { return { next: () => ({ value: 1, done: false }), return: () => 3 }; } };
    for await (const v of it) break;`],
  ['a value that is not iterable, and undefined', `const x = 5;
    try { for await (const v of x) log.push(v); } catch (e) { log.push(e.message); }
    const o = { a: 1 };
    try { for await (const v of o.a) log.push(v); } catch (e) { log.push(e.message); }
    let u;
    for await (const v of u) log.push(v);`],
  ['patterns in the head, var and an outer binding', `const settled = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('e2'))]);
    for await (const [i, r] of settled.map((r, i) => [i, r])) log.push(i + ':' + r.status);
    for await (var { a, b = 'd' } of [{ a: 1 }, Promise.resolve({ a: 2, b: 3 })]) log.push(a + b);
    let last;
    for await (last of 'xyz') log.push(last);
    log.push('last ' + last + ' ' + a);`],
  ['labels: continue and break an outer loop through nested for await', `outer: for await (const i of [1, 2, 3]) {
      inner: for await (const j of [Promise.resolve('a'), 'b']) {
        if (i === 2) continue outer;
        if (i === 3 && j === 'b') break outer;
        log.push(i + j);
      }
    }
    log.push('done');`],
  ['Maps, Sets and two loops interleaved', `const m = new Map([['k1', 1], ['k2', 2]]);
    const s = new Set([Promise.resolve('s1'), 's2']);
    const a = (async () => { for await (const [k, v] of m) log.push(k + v); })();
    const b = (async () => { for await (const v of s) log.push(v); })();
    await Promise.all([a, b]);`],
];

agreeInOrder('for await', CASES, wrap);

test('for await compiles to the runtime\'s operations; outside an async function it is refused', () => {
  const code = compileSource(wrap('for await (const v of [1]) log.push(v);'));
  assert.match(code, /\$\d+ = rt\.afor\(rt\.arr\(\[1\]\), null\);/);
  assert.match(code, /if \(rt\.adone\(\$\d+, \(yield rt\.anext\(\$\d+\)\)\)\) \{/);
  assert.match(code, /rt\.achk\(\(yield rt\.aclose\(\$\d+\)\)\);/);
});

test('for await is traced (no Unsupported node), compiled from the trace, and answers as Node does', async () => {
  const src = wrap(`for await (const [k, v] of new Map([['a', Promise.resolve(1)], ['b', 2]])) { if (v === 2) break; log.push(k); }`);
  const { tree, responses } = await traceLocally(src, [raw()], recordingIO());
  assert.ok(!JSON.stringify(tree.program).includes('"Unsupported"'));
  const inst = createInstance(loadCompiled(compile(tree).code), { io: recordingIO(), log() {} });
  const r = await inst.handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  assert.equal(r.kind === 'response' && r.response.body, responses[0]!.body);
});
