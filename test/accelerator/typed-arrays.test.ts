// The typed arrays beyond Uint8Array (builtins/typed-arrays.ts): construction, length, elements with
// each type's conversion, instanceof, ArrayBuffer.isView, tags, String(x), iteration, and the
// %TypedArray%.prototype chain safe-stable-stringify reads; every answer equals Node's, the rest aborts.
import { test } from 'node:test';
import { agreeWithNode, assertAbortsNaming } from './helpers.ts';

const H = `const c = require('containerless');\n`;
const NAMES = `['Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'Uint8ClampedArray']`;

agreeWithNode('typed arrays', H, [
  ['each kind: construction, elements, conversions', `const CTORS = { Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, Uint8ClampedArray };
c.listen(function (req) {
  const xs = req.query.x.split(',').map(Number);
  const out = [];
  for (const name of ${NAMES}) {
    const C = CTORS[name];
    const a = new C(xs);
    const b = new C(3);
    b[0] = xs[0]; b[2] = -1.5; b[7] = 9; b['-0'] = 4;
    const copy = new C(a);
    const empty = new C();
    a[0] = 300;
    out.push([name, a.length, a.byteLength, a.byteOffset, [...a], Array.from(b), String(b), b + '', copy[0], copy[1], empty.length, a[-1], a[99], b[7],
      a instanceof C, a instanceof Uint8Array, a instanceof Object, Array.isArray(a), ArrayBuffer.isView(a), Object.prototype.toString.call(a), C.BYTES_PER_ELEMENT, C.name, typeof a, C === globalThis[name]]);
  }
  c.respond(out);
});`, ['1,2,3', '-1,255.7,65536', '1e10,-0,NaN', '']],
  ['the %TypedArray%.prototype toStringTag getter, as safe-stable-stringify uses it', `const tag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Object.getPrototypeOf(new Int8Array())), Symbol.toStringTag).get;
const isTypedArrayWithEntries = (v) => tag.call(v) !== undefined && v.length !== 0;
c.listen(function (req) {
  const n = Number(req.query.x);
  const vals = [new Int8Array(n), new Float64Array([n]), new Uint8Array(n), Buffer.from('ab'), [1, 2], { length: 1 }, 'str', n, null, undefined, new Map(), () => 1];
  c.respond({ tags: vals.map((v) => [tag.call(v) ?? 'none', isTypedArrayWithEntries(v)]), proto: Object.getPrototypeOf(new Int16Array()) === Object.getPrototypeOf(new Int16Array(2)),
    shared: Object.getPrototypeOf(Object.getPrototypeOf(new Int8Array())) === Object.getPrototypeOf(Object.getPrototypeOf(new Float32Array())), name: tag.name, len: tag.length });
});`, ['0', '2']],
]);

test('typed arrays: what is not modelled aborts naming it', async () => {
  await assertAbortsNaming(H, [
    ['new Int16Array(new ArrayBuffer(4), 0, 1)', 'Int16Array'],
    ['new Int16Array(new ArrayBuffer(4))', 'Int16Array'],
    ['new Float32Array(-1)', 'Float32Array'],
    ['new Int8Array(["1"])', 'Int8Array'],
    ['new Int8Array(2).buffer', 'Int8Array.prototype.buffer'],
    ['new Int8Array(2).map((x) => x)', 'Int8Array.prototype.map'],
    ['new Int8Array(2)[0] = "1"', 'Int8Array element write'],
    ['JSON.stringify(new Int8Array(2))', 'JSON.stringify'],
    ['Object.getPrototypeOf(new Error("e"))', 'Object.getPrototypeOf'],
    ['Object.getPrototypeOf(Buffer.from("a"))', 'Object.getPrototypeOf'],
    ['Object.getPrototypeOf(new Int8Array()).constructor', 'Int8Array.prototype.constructor'],
    ['BigInt64Array', 'unsupported:global', 'global:BigInt64Array'],
    ['const o = {}; o[Symbol.toStringTag] = "x"', 'unsupported:value', 'symbol-key'],
    ['Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Object.getPrototypeOf(new Int8Array())), "length")', 'Object.getOwnPropertyDescriptor'],
  ]);
});
