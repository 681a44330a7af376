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
    ['new Uint8Array(2).subarray(0)', 'Uint8Array.prototype.subarray'],
    ['new Uint8Array(2).buffer', 'Uint8Array.prototype.buffer'],
    ['new Uint8Array(-1)', 'Uint8Array'],
    ['new Uint8Array(2, 1)', 'Uint8Array'],
    ['new Uint8Array("3")', 'Uint8Array'],
    ['JSON.stringify(new Uint8Array(2))', 'JSON.stringify'],
    ['structuredClone(new Uint8Array(2))', 'structuredClone'],
    ['new TextDecoder("latin1")', 'TextDecoder'],
    ['crypto.getRandomValues([1, 2])', 'crypto.getRandomValues'],
    ['crypto.getRandomValues(new Uint8Array(65537))', 'crypto.getRandomValues'],
    ['crypto.subtle', 'crypto.subtle'],
    ['new TextDecoder().decode(new Uint8Array(1), { stream: true })', 'TextDecoder.prototype.decode'],
    ['new TextEncoder().encodeInto("a", new Uint8Array(1))', 'TextEncoder.prototype.encodeInto'],
  ];
  for (const [code, what] of cases) {
    const inst = accelerate(H + `c.listen(function () { const r = ${code}; c.respond(String(r)); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', what), `${code}: ${JSON.stringify(r)}`);
  }
});

test('the realm never reaches the host typed array', async () => {
  const { node, accel } = await both(H + `c.listen(function () {
  const u = new Uint8Array(2);
  c.respond([typeof u.constructor, typeof u.__proto__, typeof u.prototype]);
});`, [raw()]);
  // Node has them; the accelerator must abort on each rather than hand out the host's objects.
  assert.equal(node[0]!.status, 200);
  assert.equal((accel[0] as { kind?: string }).kind, 'abort');
  for (const key of ['constructor', '__proto__', 'buffer']) {
    const inst = accelerate(H + `c.listen(function () { const v = new TextEncoder().encode('a')['${key}']; c.respond(typeof v); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.equal((r as { kind: string }).kind, 'abort', key);
  }
});

test('allocating bytes in a loop runs out of memory, as arrays do', async () => {
  const inst = accelerate(H + `c.listen(function () { const keep = []; for (;;) keep.push(new Uint8Array(65536)); });`, undefined, { memoryBytes: 8 << 20 });
  const r = await inst.handle(raw(), { timeoutMs: 5000 });
  assert.ok(abortedWith(r, 'memory', /.*/) || (r as { kind?: string; reason?: string }).reason === 'memory', JSON.stringify(r));
});
