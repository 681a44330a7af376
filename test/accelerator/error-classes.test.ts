// `class X extends Error` (and the other Error constructors) in compiled code: the instances are
// errors to every operation, as in Node, and what is not modelled aborts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith, accelerate, both, raw } from './helpers.ts';

const H = `const c = require('containerless');\n`;
const CLASSES = `
class NotFound extends Error {
  constructor(what) {
    super(\`\${what} not found\`);
    this.status = 404;
  }
  get code() { return 'E' + this.status; }
  describe() { return this.name + '/' + this.message; }
}
class Named extends TypeError { name = 'Named'; }
class Deeper extends NotFound { constructor() { super('deep'); this.extra = true; } }
class Plain extends RangeError {}
`;

const AGREE: Array<[string, string, string[]]> = [
  ['reads, instanceof, String, JSON', `${CLASSES}
c.listen(function (req) {
  const e = new NotFound(req.query.x);
  const n = new Named(req.query.x);
  const d = new Deeper();
  const p = new Plain();
  const q = new Plain(req.query.x, undefined);
  c.respond({
    e: [e.message, e.name, e.status, e.code, e.describe(), String(e), \`\${e}\`, e.toString(), e instanceof NotFound, e instanceof Error, e instanceof TypeError, e instanceof Object, e.constructor === NotFound, e.constructor.name, 'status' in e, 'code' in e, 'message' in e],
    n: [n.message, n.name, String(n), n instanceof Named, n instanceof TypeError, n instanceof Error, JSON.stringify(n), Object.keys(n)],
    d: [d.message, d.status, d.extra, d.code, d instanceof Deeper, d instanceof NotFound, d instanceof Error, String(d)],
    p: [p.message, p.name, String(p), JSON.stringify(p), q.message, p instanceof RangeError, p instanceof Plain],
    spread: { ...n },
  });
});`, ['item 1', '', 'ü']],
  ['thrown and caught, uncaught', `${CLASSES}
c.listen(function (req) {
  try {
    if (req.query.x === 'deep') throw new Deeper();
    throw new NotFound(req.query.x);
  } catch (err) {
    if (req.query.x === 'rethrow') throw err;
    if (req.query.x === 'named') throw new Named('bad input');
    if (err instanceof NotFound) return c.respond({ error: err.message, code: err.code }, { status: err.status });
    c.respond({ other: String(err) }, { status: 500 });
  }
});`, ['a', 'deep', 'rethrow', 'named']],
  ['async handlers', `${CLASSES}
async function find(id) { if (id !== '1') throw new NotFound('item ' + id); return { id }; }
c.listen(async function (req) {
  try { c.respond(await find(req.query.x)); } catch (e) { c.respond({ e: e.message, is: e instanceof NotFound, s: e.status }, { status: e.status || 500 }); }
});`, ['1', '2']],
  ['cause', `class AppError extends Error { constructor(m, o) { super(m, o); this.name = 'AppError'; } }
c.listen(function (req) {
  const root = new TypeError('root cause');
  const e = new Error('outer', req.query.x === 'none' ? {} : { cause: req.query.x === 'undef' ? undefined : root });
  const a = new AppError('app', { cause: { code: 42 } });
  const n2 = new RangeError('r', 'not an object');
  console.log(e);
  c.respond({ c1: e.cause === root, uc: e.cause, own: e.hasOwnProperty('cause'), a: a.cause, n2: n2.cause, keys: Object.keys(e), json: JSON.stringify(e), s: String(e), spread: { ...e }, w: (e.cause = 5, e.cause) });
});`, ['root', 'undef', 'none']],
];

// URIError is a realm value: V8's from the URI functions becomes it; it can be made, caught, extended.
AGREE.push(['URIError from the URI functions, made, caught and extended', `
class Bad extends URIError {}
c.listen(function (req) {
  const out = [];
  try { out.push(decodeURIComponent(req.query.x)); } catch (e) {
    out.push([e instanceof URIError, e instanceof Error, e instanceof TypeError, e.name, e.message, String(e), e.constructor === URIError, e.constructor.name]);
  }
  const u = new URIError('mine');
  const b = new Bad('bad');
  out.push([u.name, u.message, String(u), u instanceof URIError, URIError('call').message, b instanceof URIError, b instanceof Bad, b.name, JSON.stringify(u), b.constructor === Bad, new TypeError('t').constructor === TypeError, new Error('e').constructor === TypeError]);
  if (req.query.x === '%') encodeURIComponent('\ud800');
  c.respond(out);
});`, ['%E0%A4%A', '%41', '%', 'plain']]);

for (const [name, body, xs] of AGREE) {
  test(`classes that extend Error agree with Node: ${name}`, async () => {
    const { node, accel } = await both(H + body, xs.map((x) => raw({ query: { x } })));
    for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
  });
}

test('what is not modelled about them aborts', async () => {
  for (const [code, reason, what] of [
    ['console.log(new NotFound("x"))', 'unsupported:value', 'console.log of an error subclass instance'],
    ['new NotFound("x").stack', 'unsupported:builtin', 'Error.prototype.stack'],
    ['NotFound.captureStackTrace', 'unsupported:builtin', 'Error.captureStackTrace'],
    ['class S extends Error { m() { return super.toString(); } }; new S().m()', 'unsupported:value', 'super.x in a class that extends Error'],
    ['const e = new NotFound("x"); e.describe = 1', 'unsupported:value', 'error-subclass-write'],
    // A class with members of its own: the builtins do not read its instances as data.
    ['Object.keys(new NotFound("x"))', 'unsupported:builtin', 'Object.keys'],
    ['JSON.stringify(new NotFound("x"))', 'unsupported:builtin', 'JSON.stringify'],
  ] as const) {
    const inst = accelerate(`${H}${CLASSES}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, reason, what), `${code}: ${JSON.stringify(r)}`);
  }
});
