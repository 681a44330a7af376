// Uint8Array, TextEncoder and TextDecoder in compiled code: every answer equals Node's (the oracle
// runs the same source in src/api's loadFunction); what is not modelled aborts instead of differing;
// compiled code never reaches the host's typed array.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['encode and read bytes', `c.listen(function (req) {
  const e = new TextEncoder();
  const u = e.encode(req.query.x);
  const out = [];
  for (const b of u) out.push(b);
  c.respond({ enc: e.encoding, len: u.length, bl: u.byteLength, off: u.byteOffset, first: u[0], past: u[u.length], neg: u[-1], frac: u[0.5], out: out, spread: [...u], from: Array.from(u), s: String(u), j: u.join('-'), is: u instanceof Uint8Array, typ: typeof u, miss: u.nope });
});`, ['hi', '', 'héllo €', '😀']],
  ['hex of utf-8', `c.listen(function (req) {
  const u = new TextEncoder().encode(req.query.x);
  c.respond(Array.from(u).map(function (b) { return b.toString(16).padStart(2, '0'); }).join(''));
});`, ['abc', 'ü∆', '']],
  ['writes wrap as uint8', `c.listen(function (req) {
  const u = new Uint8Array(4);
  u[0] = Number(req.query.x); u[1] = -1; u[2] = 1.9; u[3] = 256 + 7; u[9] = 5; u[-0] = 3;
  const a = new Uint8Array([1, 300, -2, Number(req.query.x)]);
  const b = new Uint8Array(a); b[0] = 99;
  c.respond({ u: [...u], a: [...a], b: [...b], e: new Uint8Array().length, u9: u[9] });
});`, ['300', '-5', 'NaN', '42']],
  ['loops read and write by computed index', `c.listen(function (req) {
  const u = new TextEncoder().encode(req.query.x);
  let sum = 0;
  for (let i = 0; i < u.length; i++) { u[i] = u[i] * 3; sum += u[i]; }
  const k = '1';
  u[k] = 1000;
  c.respond({ u: Array.from(u, function (b) { return b + 1; }), sum: sum, k: u[k], s: \`\${u}\`, eq: u == u.join(), max: Math.max(...u), arr: Array.isArray(u) });
});`, ['abc', 'zz', '']],
  ['round trip', `c.listen(function (req) {
  const d = new TextDecoder();
  const u = new TextEncoder().encode(req.query.x);
  c.respond({ back: d.decode(u), enc: d.encoding, fatal: d.fatal, bom: d.ignoreBOM, none: d.decode(), bad: d.decode(new Uint8Array([0xff, 0x41])) });
});`, ['plain', 'é€😀', '']],
  ['views of one buffer share its bytes', `c.listen(function (req) {
  const n = Number(req.query.x);
  const ab = new ArrayBuffer(8);
  const a = new Uint8Array(ab);
  const b = new Uint8Array(ab, 2, 4);
  const t = new Uint8Array(ab, 5);
  a[3] = n; b[0] = n + 1; t[2] = 300; b[9] = 1; t[-1] = 2;
  const sub = a.subarray(1, -2);
  sub[0] = 7; sub[4] = 9;
  const sl = a.slice(2, 6); sl[0] = 99;
  const abs = ab.slice(1, 3); const c2 = new Uint8Array(abs); c2[0] = 55;
  c.respond({ a: [...a], b: [...b], t: [...t], sub: [...sub], sl: [...sl], c2: [...c2], len: ab.byteLength, absl: abs.byteLength,
    offs: [a.byteOffset, b.byteOffset, t.byteOffset, sub.byteOffset, sl.byteOffset], same: b.buffer === ab && sub.buffer === ab && sl.buffer !== ab,
    lens: [b.length, t.length, sub.length, sub.byteLength], isv: [ArrayBuffer.isView(a), ArrayBuffer.isView(ab), ArrayBuffer.isView([1])],
    abIs: ab instanceof ArrayBuffer, s: String(ab), u9: b[9] });
});`, ['1', '255', '-3']],
  ['set, fill and from through views', `c.listen(function (req) {
  const n = Number(req.query.x);
  const a = new Uint8Array(6);
  const mid = a.subarray(1, 5);
  mid.fill(n);
  a.fill(1, 4);
  mid.set([10, 11], 1);
  a.set(new Uint8Array([20, 21]));
  mid.set(a.subarray(0, 3), 1);
  const f = Uint8Array.from([n, 256, 3]);
  const g = Uint8Array.from(f); g[0] = 0;
  const buf = a.buffer;
  const back = new TextDecoder().decode(new TextEncoder().encode('hé').buffer);
  c.respond({ a: [...a], mid: [...mid], f: [...f], g: [...g], r: a.fill(5, -2) === a, last: [...new Uint8Array(buf, 4)], back: back, bpe: Uint8Array.BYTES_PER_ELEMENT });
});`, ['2', '300', '-1']],
  ['range errors are Node\'s', `c.listen(function (req) {
  const n = Number(req.query.x);
  const out = [];
  const tries = [
    function () { return new Uint8Array(new ArrayBuffer(4), n); },
    function () { return new Uint8Array(new ArrayBuffer(4), 1, n); },
    function () { new Uint8Array(2).set([1, 2], n); return 'ok'; },
  ];
  for (const f of tries) {
    try { const r = f(); out.push(typeof r === 'string' ? r : r.length); } catch (e) { out.push(e.name + ': ' + e.message); }
  }
  c.respond(out);
});`, ['0', '1', '3', '5', '-1']],
];

for (const [name, body, xs] of AGREE) {
  test(`bytes agree with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('crypto.getRandomValues fills the array in place', async () => {
  const { node, accel } = await both(H + `c.listen(function () {
  const u = new Uint8Array(32);
  const r = crypto.getRandomValues(u);
  const all = [...u];
  c.respond({ same: r === u, len: all.length, bytes: all.every(function (b) { return Number.isInteger(b) && b >= 0 && b < 256; }), varied: new Set(all).size > 4 });
});`, [raw(), raw()]);
  assert.deepEqual(accel, node);
  assert.equal(JSON.parse(node[0]!.body).varied, true);
});

test('what is not modelled aborts naming it', async () => {
  const cases: Array<[string, string]> = [
    ['new Uint8Array(2).subarray("1")', 'Uint8Array.prototype.subarray'],
    ['new Uint8Array(2).copyWithin(0, 1)', 'Uint8Array.prototype.copyWithin'],
    ['new ArrayBuffer(2, { maxByteLength: 4 })', 'ArrayBuffer'],
    ['new ArrayBuffer(2).resize(1)', 'ArrayBuffer.prototype.resize'],
    ['Uint8Array.from([1], function (x) { return x; })', 'Uint8Array.from'],
    ['new Uint8Array(-1)', 'Uint8Array'],
    ['new Uint8Array(2, 1)', 'Uint8Array'],
    ['new Uint8Array("3")', 'Uint8Array'],
    ['JSON.stringify(new Uint8Array(2), function (k, v) { return v; })', 'JSON.stringify'],
    ['structuredClone(new Uint8Array(2))', 'structuredClone'],
    ['new TextDecoder("latin1")', 'TextDecoder'],
    ['crypto.getRandomValues([1, 2])', 'crypto.getRandomValues'],
    ['crypto.subtle.sign("HMAC", null, new Uint8Array(1))', 'crypto.subtle.sign'],
    ['new TextDecoder().decode(new Uint8Array(1), { stream: true })', 'TextDecoder.prototype.decode'],
    ['new TextEncoder().encodeInto("a", new Uint8Array(1))', 'TextEncoder.prototype.encodeInto'],
  ];
  for (const [code, what] of cases) {
    const inst = accelerate(H + `c.listen(function () { const r = ${code}; c.respond(String(r)); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', what), `${code}: ${JSON.stringify(r)}`);
  }
});

test('a view\'s and a buffer\'s constructor are the realm\'s builtins, as in Node', async () => {
  const { node, accel } = await both(H + `c.listen(function () {
  const u = new TextEncoder().encode('a');
  c.respond([u.constructor === Uint8Array, u.buffer.constructor === ArrayBuffer, u.subarray(0).constructor === Uint8Array, typeof u.constructor, u.constructor.name]);
});`, [raw()]);
  assert.deepEqual(accel, node);
});

test('the realm never reaches the host typed array', async () => {
  const { node, accel } = await both(H + `c.listen(function () {
  const u = new Uint8Array(2);
  c.respond([typeof u.constructor, typeof u.__proto__, typeof u.prototype]);
});`, [raw()]);
  // Node has them; the accelerator must abort on each rather than hand out the host's objects.
  assert.equal(node[0]!.status, 200);
  assert.equal((accel[0] as { kind?: string }).kind, 'abort');
  for (const path of ['__proto__', 'buffer.__proto__', 'subarray(0).__proto__', 'constructor.prototype.fill', 'buffer.constructor.prototype.slice']) {
    const [first, ...rest] = path.split('.');
    const expr = `new TextEncoder().encode('a')${first!.endsWith(')') ? `.${first}` : `['${first}']`}${rest.map((k) => `['${k}']`).join('')}`;
    const inst = accelerate(H + `c.listen(function () { const v = ${expr}; c.respond(typeof v); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal((r as { kind: string }).kind, 'abort', path);
  }
});

test('allocating bytes in a loop runs out of memory, as arrays do', async () => {
  const inst = accelerate(H + `c.listen(function () { const keep = []; for (;;) keep.push(new Uint8Array(65536)); });`, undefined, { memoryBytes: 8 << 20 });
  const r = await inst.handle(raw(), { timeoutMs: 5000 });
  assert.ok(abortedWith(r, 'memory', /.*/) || (r as { kind?: string; reason?: string }).reason === 'memory', JSON.stringify(r));
});
