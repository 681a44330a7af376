// Node's Buffer in compiled code (builtins/node-buffer.ts): every answer equals Node's, views share
// bytes as Node's do, and what is not modelled aborts naming it.
import { test } from 'node:test';
import { agreeWithNode, assertAbortsNaming } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['encodings, lengths and comparisons', `c.listen(function (req) {
  const s = req.query.x;
  const out = [];
  const tries = [
    () => Buffer.from(s).toString('hex'), () => Buffer.from(s).toString('base64'), () => Buffer.from(s).toString('base64url'),
    () => Buffer.from(Buffer.from(s).toString('base64'), 'base64').toString(), () => Buffer.from(s, 'latin1').toString('hex'),
    () => Buffer.from(s, 'hex').toString('hex'), () => Buffer.from(s).toString('utf8', 1, 3), () => Buffer.from(s).toString('nope'),
    () => [Buffer.byteLength(s), Buffer.byteLength(s, 'base64'), Buffer.byteLength(Buffer.from(s)), Buffer.byteLength(new ArrayBuffer(3))],
    () => { const b = Buffer.from(s); return [b.length, b[0], b[b.length], b instanceof Uint8Array, b instanceof Buffer, Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(1)), String(b), b + '!', ArrayBuffer.isView(b)]; },
    () => [Buffer.from(s).equals(Buffer.from(s)), Buffer.from(s).compare(Buffer.from('m')), Buffer.compare(Buffer.from(s), Buffer.from('a'))],
    () => Buffer.from(s).toJSON(), () => [...Buffer.from(s)], () => JSON.stringify({ b: Buffer.from(s), u: new Uint8Array(Buffer.from(s)), ab: new ArrayBuffer(2) }, null, 1), () => new TextDecoder().decode(Buffer.from(s)),
    () => [Buffer.isEncoding('utf8'), Buffer.isEncoding('UTF-8'), Buffer.isEncoding(s), Buffer.isEncoding(1)],
  ];
  for (const f of tries) {
    try { out.push(f()); } catch (e) { out.push(e.name + ': ' + e.message + (e.code ? ' ' + e.code : '')); }
  }
  c.respond(out);
});`, ['héllo', 'a', '', '68690a', 'zoë €']],
  ['views share bytes: slice, subarray, ArrayBuffers, alloc and concat', `c.listen(function (req) {
  const n = Number(req.query.x);
  const b = Buffer.alloc(6, 'ab');
  const s = b.slice(1, 4);
  s[0] = 120 + n;
  const sub = b.subarray(-2);
  sub.fill(n);
  const ab = new ArrayBuffer(4);
  const over = Buffer.from(ab, 1, 2);
  over[1] = 300;
  const copy = Buffer.from(b);
  copy[0] = 0;
  const joined = Buffer.concat([b, new Uint8Array([n]), Buffer.from('z')], 8);
  c.respond({ b: [...b], s: [...s], sub: [...sub], ab: [...new Uint8Array(ab)], over: [over.length, over.byteOffset, Buffer.isBuffer(over)], copy: [...copy], joined: joined.toString('hex'),
    alloc: [Buffer.alloc(3).toString('hex'), Buffer.alloc(2, n).toString('hex'), Buffer.alloc(3, 'aGk=', 'base64').toString()], from: Buffer.from([256, -1, n + 0.7]).toString('hex') });
});`, ['0', '5', '255']],
  ['hashes and HMACs take and give Buffers', `const crypto = require('crypto');
const { Buffer: B } = require('buffer');
c.listen(function (req) {
  const data = B.from(req.query.x);
  const raw = crypto.createHash('sha256').update(data).digest();
  c.respond({ hex: crypto.createHash('sha1').update(data).digest('hex'), raw: [B.isBuffer(raw), raw.length, raw.toString('base64')],
    mac: crypto.createHmac('sha256', B.from('key')).update(new Uint8Array([1, 2])).update(req.query.x).digest('base64url'), same: B === Buffer });
});`, ['abc', '']],
];

agreeWithNode('Buffer', H, AGREE);

test('what is not modelled aborts naming it', async () => {
  await assertAbortsNaming(H, [
    ['Buffer.from(undefined)', 'Buffer.from'],
    ['Buffer.from({ length: 1 })', 'Buffer.from'],
    ["Buffer.from('a', 7)", 'Buffer.from'],
    ['Buffer.from("ab").toString(1)', 'Buffer.prototype.toString'],
    ['Buffer.alloc("3")', 'Buffer.alloc'],
    ['Buffer.alloc(1 << 25)', 'Buffer.alloc'],
    ['new Buffer(2)', 'new Buffer'],
    ['Buffer(2)', 'Buffer'],
    ['JSON.stringify(Buffer.from("a"), (k, v) => v)', 'JSON.stringify'],
    ['Buffer.from("ab").readUInt8(0)', 'Buffer.prototype.readUInt8'],
    ['Buffer.from("ab").write("x")', 'Buffer.prototype.write'],
    ['Buffer.concat([1])', 'Buffer.concat'],
    ['Buffer.from("ab").compare(Buffer.from("a"), 0, 1)', 'Buffer.prototype.compare'],
  ] as const);
});
