// `new Error()` without a message has no own `message` in Node (it reads Error.prototype's ''), and
// that is observable: hasOwnProperty, `in`, Object.assign, a later write's enumerability. Checked
// against Node running the same source (src/api's loadFunction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { both, raw } from './helpers.ts';

const MAKERS = ['new Error()', 'new Error(undefined)', 'Error()', 'new TypeError()', 'new RangeError(undefined)', 'new SyntaxError()',
  'new ReferenceError()', "new Error('')", 'new Error(null)', 'new Error(0)', "new TypeError('boom')"];

const OBSERVE = [
  'Object.keys(e)', 'JSON.stringify(e)', "e.hasOwnProperty('message')", "Object.hasOwn(e, 'message')", 'e.message', 'typeof e.message',
  'String(e)', "e + ''", 'e.toString()', "'message' in e", "'name' in e", 'e.name', 'Object.assign({}, e)', '({ ...e })',
  "e.propertyIsEnumerable('message')", 'e instanceof Error',
  // A write creates an own enumerable message when none was there, and keeps a given one non-enumerable.
  "(e.message = 'later', [Object.keys(e), JSON.stringify(e), String(e), e.propertyIsEnumerable('message')])",
];

const source = `const c = require('containerless');
c.listen(function (req) {
  const out = [];
  function t(f) { try { out.push(JSON.stringify(f())); } catch (x) { out.push('throw ' + x.name + ': ' + x.message); } }
${MAKERS.map((m) => `  (function () { const e = ${m}; ${OBSERVE.map((o) => `t(function () { return ${o}; });`).join(' ')} })();`).join('\n')}
  if (req.path === '/respond') c.respond(new Error());
  else if (req.path === '/throw') throw new Error();
  else if (req.path === '/throw-type') throw new TypeError(undefined);
  else c.respond(out);
});`;

test('new Error() and friends without a message: no own message, as in Node', async () => {
  const { node, accel } = await both(source, [raw(), raw({ path: '/respond' }), raw({ path: '/throw' }), raw({ path: '/throw-type' })]);
  const nodeRows = JSON.parse(node[0]!.body) as string[];
  assert.ok(!("kind" in accel[0]!), JSON.stringify(accel[0]));
  const accelRows = JSON.parse((accel[0] as { body: string }).body) as string[];
  assert.equal(accelRows.length, MAKERS.length * OBSERVE.length);
  for (let i = 0; i < nodeRows.length; i++) {
    assert.deepEqual(accelRows[i], nodeRows[i], `${MAKERS[Math.floor(i / OBSERVE.length)]}: ${OBSERVE[i % OBSERVE.length]}`);
  }
  assert.deepEqual(accel.slice(1), node.slice(1));
});
