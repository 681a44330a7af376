// Writes to frozen values (Object.freeze is the library's one way to make a value non-extensible):
// sloppy code ignores them, strict code throws Node's TypeError. Both runs must agree, whether the
// write takes compiled code's fast path (an existing key, an index in bounds) or the runtime's.
// Also the names of the containerless API's members, which Node gives as src/api defines them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

function fn(body: string, top = ''): string {
  return `${top}\nconst c = require('containerless');\nc.listen(function (req) {\n${body}\n});`;
}

const writes = `
  const r = [];
  const o = Object.freeze({ a: 1, b: { c: 2 } });
  const a = Object.freeze([1, 2, 3]);
  const e = [];
  function attempt(f) { try { r.push(f()); } catch (x) { r.push(x.name + ': ' + x.message); } }
  attempt(() => (o.a = 5));
  attempt(() => (o.z = 5));
  attempt(() => { const k = 'a'; o[k] = 6; return o.a; });
  attempt(() => { const k = 'n' + 'ew'; o[k] = 6; return o[k]; });
  attempt(() => (o['1'] = 7));
  attempt(() => (o.b.c = 8));
  attempt(() => (a[0] = 9));
  attempt(() => { let i = 1; a[i] = 10; return a[i]; });
  attempt(() => (a[5] = 11));
  attempt(() => (a.length = 0));
  attempt(() => (a.extra = 1));
  attempt(() => { o.a += 1; return o.a; });
  attempt(() => { a[0]++; return a[0]; });
  for (let i = 0; i < 3; i++) attempt(() => { const t = i < 2 ? { a: 1 } : o; t.a = 2; return t.a; });
  for (let i = 0; i < 3; i++) attempt(() => { const t = i < 2 ? [0, 0] : a; t[1] = 2; return t[1]; });
  attempt(() => delete o.q);
  r.push(o, a, a.length, Object.isFrozen(o), Object.isFrozen(a), e);
  c.respond(r);`;

test('writes to frozen objects and arrays in sloppy code are ignored, as in Node', async () => {
  const { node, accel } = await both(fn(writes), [raw()]);
  assert.deepEqual(accel, node);
});

test('writes to frozen objects and arrays in strict code throw Node\'s TypeError', async () => {
  const { node, accel } = await both(fn(writes, '"use strict";'), [raw()]);
  assert.deepEqual(accel, node);
});

test('in-place library mutation of a frozen array and delete of a frozen own property abort cleanly', async () => {
  for (const body of ['const a = Object.freeze([1]); a.push(2); c.respond(a);', 'const o = Object.freeze({ x: 1 }); c.respond(delete o.x);']) {
    const r = await accelerate(fn(body)).handle(raw(), { timeoutMs: 1000 });
    assert.equal(r.kind, 'abort', body);
    assert.ok(abortedWith(r, 'unsupported:value', /^frozen-(object|delete)$/), `${body}: ${JSON.stringify(r)}`);
  }
});

test('names of the containerless API members are those Node gives them', async () => {
  const { node, accel } = await both(fn('c.respond([c.get.name, c.post.name, c.put.name, c.delete.name, c.listen.name, c.respond.name, typeof c.get]);'), [raw()]);
  assert.deepEqual(accel, node);
});

// src/api freezes the containerless object: Node ignores writes to it in sloppy code and throws in
// strict code; accelerated code must not abort (a re-execution per request) nor let the write land.
const apiWrites = `
  const r = [];
  function attempt(f) { try { r.push(f()); } catch (x) { r.push(x.name + ': ' + x.message); } }
  attempt(() => (c.extra = 1));
  attempt(() => (c.respond = 2));
  attempt(() => { const k = 'li' + 'sten'; c[k] = 3; return typeof c.listen; });
  r.push(c.extra, typeof c.respond);
  c.respond(r);`;

for (const mode of ['sloppy', 'strict'] as const) {
  test(`writes to the containerless object in ${mode} code behave as in Node`, async () => {
    const { node, accel } = await both(fn(apiWrites, mode === 'strict' ? '"use strict";' : ''), [raw()]);
    assert.equal((accel[0] as { kind?: string }).kind, undefined, 'not an abort');
    assert.deepEqual(accel, node);
  });
}
