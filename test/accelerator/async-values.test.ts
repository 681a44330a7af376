// Promises, generator objects and timers as values in every generic operation: each gives Node's
// answer or aborts with a reason of the closed set other than `internal` (never a different answer,
// never a host object).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerated, inNode, program } from './async-helpers.ts';

const values = ['Promise.resolve(1)', '(function* () { yield 1; })()', 'setTimeout(function () {}, 1)', 'setImmediate(function () {})'];
const operations = ['Array.from(V)', 'Object.keys(V)', 'JSON.stringify(V)', '({ ...V })', 'Object.assign({}, V)', "'x' in V", 'V == 1', 'V + ""',
  'Object.entries(V)', 'Array.isArray(V)', 'V instanceof Object', 'typeof V', 'V.foo', 'delete V.x', 'V.x = 1', 'Object.getOwnPropertyNames(V)',
  'String(V)', '[V].join()', 'Object.is(V, V)', 'Object.hasOwn(V, "then")', 'V.hasOwnProperty("then")', 'V.constructor', 'JSON.stringify([V])', '[].concat(V).length'];

test('async values in generic operations: Node\'s answer or a clean abort', async () => {
  let equal = 0;
  for (const v of values) {
    for (const op of operations) {
      const body = `let out; const V = ${v}; try { out = ${op}; } catch (e) { out = 'threw ' + e.name + ': ' + e.message; } c.respond({ r: out === undefined ? 'undef' : out });`;
      const a = await accelerated(program(body));
      if ('kind' in a) {
        assert.equal(a.kind, 'abort');
        assert.notEqual(a.kind === 'abort' && a.reason, 'internal', `${v}: ${op}: ${JSON.stringify(a)}`);
        continue;
      }
      assert.deepEqual(a, await inNode(program(body)), `${v}: ${op}`);
      equal++;
    }
  }
  assert.ok(equal >= 20, `only ${equal} operations answered`);
});
