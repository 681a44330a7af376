// require('crypto') and require('url') in compiled code: every answer equals Node's; what is not
// modelled aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;

const AGREE: Array<[string, string, string[]]> = [
  ['hashes and hmacs', `const crypto = require('crypto');
const { createHash, createHmac } = require('node:crypto');
c.listen(function (req) {
  const x = req.query.x;
  const etag = crypto.createHash('sha256').update(x).digest('hex');
  const parts = createHash('md5').update('a').update(x, 'utf8').digest('base64');
  const sig = createHmac('SHA256', 'secret-' + x.length).update(x).digest('base64url');
  const h1 = createHash('sha1');
  c.respond({ etag, parts, sig, same: h1.update(x) === h1, sha512: createHash('sha512').update(x).digest('hex').length, t: typeof crypto, uuid: crypto.randomUUID().length });
});`, ['hello', '', 'é😀 ünïcode']],
  ['url module', `const url = require('url');
const { URL: U, URLSearchParams: P } = require('node:url');
c.listen(function (req) {
  const u = new url.URL('/p?q=' + encodeURIComponent(req.query.x), 'https://example.com');
  c.respond({ href: u.href, q: new P(u.search).get('q'), same: U === URL && P === URLSearchParams, is: u instanceof U });
});`, ['a b', '&x=1']],
  ['util.format', `const util = require('util');
const { format } = require('node:util');
c.listen(function (req) {
  const x = req.query.x;
  c.respond({
    a: util.format('%s has %d items: %j', x, x.length, { x, n: [1, 2] }),
    b: format('plain', x, 3, null, undefined, [1, 'a'], { k: { deep: { er: [x] } } }),
    c: format('%i%% %f %o', '42.9', '1.5', x),
    d: format(x),
    e: util.format(),
  });
});`, ['a b', '%s', 'Déjà']],
  ['path', `const path = require('path');
const { join, extname } = require('node:path');
c.listen(function (req) {
  const x = req.query.x;
  c.respond({ join: [join('/srv', x, '../y'), path.join(x), path.join()], norm: path.normalize(x + '//./a/..'), base: [path.basename(x), path.basename(x, extname(x))],
    dir: path.dirname(x), ext: extname(x), abs: path.isAbsolute(x), parsed: path.parse(x), sep: [path.sep, path.delimiter] });
});`, ['/home/u/file.tar.gz', 'rel/dir/', '.bashrc', '', '../a/b.js']],
];

for (const [name, body, xs] of AGREE) {
  test(`built-in modules agree with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('what is not modelled aborts', async () => {
  for (const [code, reason, what] of [
    ["require('crypto').createHash('whirlpool-x')", 'unsupported:builtin', 'crypto.createHash'],
    ["require('crypto').createHash('sha1').digest('latin1')", 'unsupported:builtin', 'Hash.prototype.digest'],
    ["const h = require('crypto').createHash('sha1'); h.digest('hex'); h.digest('hex')", 'unsupported:builtin', 'Hash.prototype.digest'],
    ["require('crypto').createHash('sha1').update(1)", 'unsupported:builtin', 'Hash.prototype.update'],
    ["require('crypto').randomBytes(4)", 'unsupported:builtin', 'crypto.randomBytes'],
    ["require('url').parse('http://a')", 'unsupported:builtin', 'url.parse'],
    ["require('util').inspect({})", 'unsupported:builtin', 'util.inspect'],
    ["require('fs')", 'unsupported:module', 'require:fs'],
    ["require('path').resolve('a')", 'unsupported:builtin', 'path.resolve'],
    ["require('path').relative('/a', '/b')", 'unsupported:builtin', 'path.relative'],
    ["require('path').win32.join('a')", 'unsupported:builtin', 'path.win32'],
    ["require('path').join('a', 1)", 'unsupported:builtin', 'path.join'],
  ] as const) {
    const inst = accelerate(`${H}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, reason, what), `${code}: ${JSON.stringify(r)}`);
  }
});

test('util.format is charged by what it formats', async () => {
  const usage = async (n: number) => {
    const inst = accelerate(`${H}const util = require('util');\nc.listen(function (req) { const xs = []; for (let i = 0; i < ${n}; i++) xs.push({ i }); c.respond(util.format('%j %o', xs, xs).length); });`);
    const r = await inst.handle(raw(), { timeoutMs: 5000 });
    assert.equal(r.kind, 'response', JSON.stringify(r));
    return (r as { usage: { fuel: number; memory: number } }).usage;
  };
  const small = await usage(10);
  const large = await usage(200);
  assert.ok(large.fuel > small.fuel + 190, `fuel ${small.fuel} → ${large.fuel}`);
  assert.ok(large.memory > small.memory + 2000, `memory ${small.memory} → ${large.memory}`);
});
