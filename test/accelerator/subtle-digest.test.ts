// crypto.subtle.digest in compiled code (builtins/web-crypto.ts): the host's webcrypto hashes a copy
// of the bytes, the realm's promise resolves to a new ArrayBuffer; every answer equals Node's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

test('subtle.digest agrees with Node, in any order with other promises', async () => {
  const src = `${H}
const hex = (ab) => Array.from(new Uint8Array(ab)).map((b) => b.toString(16).padStart(2, '0')).join('');
c.listen(async function (req) {
  const data = new TextEncoder().encode(req.query.x);
  const order = [];
  const p = crypto.subtle.digest('SHA-256', data).then((ab) => { order.push('digest'); return ab; });
  Promise.resolve().then(() => order.push('micro'));
  const [a, b, d, e] = await Promise.all([p, crypto.subtle.digest({ name: 'sha-1' }, data.buffer), crypto.subtle.digest('SHA-512', Buffer.from(req.query.x)), crypto.subtle.digest('SHA-384', new Uint8Array(0))]);
  c.respond({ a: hex(a), len: [a.byteLength, b.byteLength, d.byteLength, e.byteLength], b: Buffer.from(b).toString('base64'), isAB: a instanceof ArrayBuffer, order });
});`;
  const xs = ['abc', '', 'héllo wörld'];
  const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
  for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], x);
});

test('what subtle.digest does not model aborts naming it', async () => {
  for (const code of ["crypto.subtle.digest('SHA-256', 'text')", "crypto.subtle.digest({}, new Uint8Array(1))"]) {
    const inst = accelerate(`${H}c.listen(async function (req) { await ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, 'unsupported:builtin', 'crypto.subtle.digest'), `${code}: ${JSON.stringify(r)}`);
  }
  const inst = accelerate(`${H}c.listen(function (req) { crypto.subtle.importKey('raw', new Uint8Array(1), 'HMAC', false, ['sign']); c.respond('done'); });`);
  assert.ok(abortedWith(await inst.handle(raw(), { timeoutMs: 1000 }), 'unsupported:builtin', 'crypto.subtle.importKey'));
});
