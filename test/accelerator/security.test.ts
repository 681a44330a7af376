// Invariant 2: no value from compiled code reaches a host object. Each escape attempt, run
// accelerated, either gives Node's own answer (checked against loadFunction) or aborts; no response
// ever carries host data (a secret planted in process.env, host source text, a host object dump).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, both, raw } from './helpers.ts';

process.env.CL_TEST_SECRET = 'sekret-7f3a';

function fn(body: string): string {
  return `const c = require('containerless');\nc.listen(function (req) {\n${body}\n});`;
}

const attempts: Record<string, string> = {
  'object constructor': `c.respond(String(({}).constructor));`,
  'constructor.constructor to Function': `c.respond([].constructor.constructor('return process')().env.CL_TEST_SECRET);`,
  'function constructor': `const f = function () {}; c.respond(f.constructor('return process.env.CL_TEST_SECRET')());`,
  'arrow constructor': `c.respond((() => 1).constructor('return process')().env.CL_TEST_SECRET);`,
  'api function constructor': `c.respond(c.respond.constructor('return process')().env.CL_TEST_SECRET);`,
  'api object constructor': `c.respond(c.constructor.constructor('return process')().env.CL_TEST_SECRET);`,
  '__proto__ read': `const p = ({}).__proto__; c.respond(p.constructor.constructor('return process')().env.CL_TEST_SECRET);`,
  '__proto__ computed read': `const k = '__pro' + 'to__'; c.respond(({})[k].constructor('return process')().env);`,
  '__proto__ write': `const o = {}; o.__proto__ = { polluted: 1 }; c.respond(({}).polluted);`,
  '__proto__ pollution via computed key': `const o = {}; o['__proto__']['polluted'] = 1; c.respond(({}).polluted);`,
  'JSON __proto__ is an own key': `const o = JSON.parse('{"__proto__": {"x": 1}}'); c.respond([o.__proto__, ({}).x, Object.keys(o)]);`,
  'Object.getPrototypeOf': `c.respond(Object.getPrototypeOf({}).constructor('return process')().env.CL_TEST_SECRET);`,
  'Object.prototype': `c.respond(Object.prototype.constructor('return process')().env.CL_TEST_SECRET);`,
  'Math.constructor': `c.respond(Math.constructor.constructor('return process')().env.CL_TEST_SECRET);`,
  'builtin function constructor': `c.respond(JSON.parse.constructor('return process')().env.CL_TEST_SECRET);`,
  'method extracted from a string': `const f = 'x'.toUpperCase; c.respond(f.constructor('return process')().env);`,
  'arguments.callee': `function f() { return arguments.callee.constructor('return process')(); } c.respond(f().env.CL_TEST_SECRET);`,
  'this': `function f() { return this; } c.respond(String(f()));`,
  'globalThis and global': `c.respond([String(global.process), globalThis.process === process, typeof globalThis.require, global.Function]);`,
  'globalThis constructor': `c.respond(globalThis.constructor.constructor('return process')().env.CL_TEST_SECRET);`,
  'require fs': `const fs = require('fs'); c.respond(fs.readFileSync('/etc/hostname', 'utf8'));`,
  'require child_process': `c.respond(String(require('child_process')));`,
  'eval': `c.respond(eval('process.env.CL_TEST_SECRET'));`,
  'Function global': `c.respond(Function('return process')().env.CL_TEST_SECRET);`,
  'Error.prepareStackTrace write': `Error.prepareStackTrace = (e, frames) => frames[0].getThis(); try { null.x; } catch (e) { c.respond(String(e.stack)); }`,
  'Error.prepareStackTrace read': `c.respond(typeof Error.prepareStackTrace);`,
  'error stack': `try { null.x; } catch (e) { c.respond(e.stack); }`,
  'caught runtime error constructor': `try { null.x; } catch (e) { c.respond(e.constructor.constructor('return process')().env.CL_TEST_SECRET); }`,
  'caught error __proto__': `try { undefinedThing; } catch (e) { c.respond(String(e.__proto__)); }`,
  'toString hook': `const o = { toString() { return 'hooked'; } }; c.respond('' + o);`,
  'valueOf hook': `const o = { valueOf() { return 42; } }; c.respond(o * 2);`,
  'toJSON hook': `c.respond({ toJSON() { return 'j'; } });`,
  'Symbol': `c.respond(String(Symbol.iterator));`,
  'Symbol.toPrimitive key': `const o = {}; o[Symbol.toPrimitive] = () => 1; c.respond(+o);`,
  'function source text': `function secret() { return 1; } c.respond(String(secret));`,
  'getter': `const o = { get x() { return 1; } }; c.respond(o.x);`,
  'class': `class A { constructor() { this.x = 1; } } c.respond(new A().x);`,
  'new of a closure': `function A() {} c.respond(String(new A()));`,
  'Reflect and Proxy': `c.respond(String(Reflect.ownKeys(new Proxy({}, {}))));`,
  'stack overflow caught as a value': `function r() { try { return r(); } catch (e) { return e; } } const e = r(); c.respond(String(e.constructor));`,
  'console internals': `c.respond(String(console.log.constructor));`,
  'setTimeout': `setTimeout(() => c.respond('late'), 1);`,
  'Buffer': `c.respond(Buffer.from('x').toString());`,
  'module.exports': `module.exports = 1; c.respond('x');`,
  'implicit global write': `leaked = 1; c.respond(String(leaked));`,
  'array method extraction': `const m = [].map; c.respond(String(m));`,
  'Object.defineProperty getter': `const o = {}; Object.defineProperty(o, 'x', { get: function () { return 1; } }); c.respond(o.x);`,
  'Object.assign onto a builtin': `Object.assign(Math, { x: 1 }); c.respond(Math.x);`,
  'sort comparator sees host values': `const seen = []; [3, 1, 2].sort((a, b) => { seen.push(typeof a); return a - b; }); c.respond(seen);`,
  'map callback extra arguments': `const r = [1].map(function (x, i, arr) { return [typeof arr, Array.isArray(arr)]; }); c.respond(r);`,
};

for (const [name, body] of Object.entries(attempts)) {
  test(`escape attempt: ${name}`, async () => {
    const source = fn(body);
    let node: unknown;
    let accel: unknown;
    try {
      ({ node, accel } = await both(source, [raw()]));
    } catch (err) {
      if (String((err as Error).message).startsWith('accelerated code added')) throw err;
      // Node itself refuses the source (e.g. a syntax it rejects at load): run accelerated alone.
      const inst = accelerate(source);
      accel = [await inst.handle(raw(), { timeoutMs: 300 })];
      node = [undefined];
    }
    const a = (accel as { kind?: string; body?: string }[])[0]!;
    assert.ok(!JSON.stringify(a).includes('sekret-7f3a'), 'host secret leaked');
    if (a.kind === 'abort') return;
    assert.deepEqual(a, (node as unknown[])[0], 'not an abort, so it must be exactly Node\'s answer');
  });
}

// Not in the table: the oracle there runs in this process, whose environment holds the secret.
test('escape attempt: process.env is the instance\'s own, never the host\'s', async () => {
  const r = await accelerate(fn(`c.respond([process.env.CL_TEST_SECRET, Object.keys(process.env), globalThis.process.env.CL_TEST_SECRET, global.process.env === process.env]);`)).handle(raw(), { timeoutMs: 300 });
  assert.equal(r.kind, 'response');
  if (r.kind === 'response') assert.equal(r.response.body, '[null,[],null,true]');
});

test('outbound bodies and logs carry no host objects', async () => {
  const logs: string[] = [];
  const inst = accelerate(fn(`console.log(c, c.respond, Math, [1, { a: 2 }], new Error('e')); c.respond('ok');`), undefined, undefined, logs);
  const r = await inst.handle(raw(), { timeoutMs: 300 });
  assert.equal(r.kind, 'response');
  // One log line per text line, as in a container.
  const text = logs.join('\n');
  assert.ok(logs.length >= 1 && logs.every((l) => l.startsWith('stdout: ')), text);
  assert.ok(!/sekret|process|\[native code\]/.test(text), text);
});
