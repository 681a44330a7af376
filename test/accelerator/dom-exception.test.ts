// DOMException in the realm: atob's, getRandomValues' and digest's errors and `new DOMException`,
// read by a program as Node's (name, message, code, instanceof, String, JSON, the tag), against Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreeWithNode, assertAbortsNaming } from './helpers.ts';
import { DOM_CODES, DOM_CONSTANTS } from '../../src/accelerator/dom-exception.ts';

const H = `const c = require('containerless');\n`;
const VIEW = `function view(e) {
  return [e.name, e.message, e.code, e instanceof DOMException, e instanceof Error, e instanceof TypeError, e instanceof Object,
    String(e), \`\${e}\`, e + '', e.toString(), JSON.stringify(e), Object.prototype.toString.call(e), Object.keys(e), { ...e },
    e.constructor === DOMException, e.constructor.name, 'code' in e, 'name' in e, 'message' in e, 'ABORT_ERR' in e, e.DATA_CLONE_ERR,
    Object.hasOwn(e, 'message'), e.hasOwnProperty('name'), JSON.stringify({ e }), Object.entries(e), Object.assign({}, e)];
}
`;

agreeWithNode('DOMException', H + VIEW, [
  ['atob of text that is not base64', `c.listen(function (req) {
  try { c.respond({ ok: atob(req.query.x) }); } catch (e) { c.respond({ caught: view(e) }); }
});`, ['aGk=', '***', 'aGk', 'a', 'é', '']],
  ['btoa of text beyond Latin-1', `c.listen(function (req) {
  try { c.respond({ ok: btoa(req.query.x) }); } catch (e) { c.respond({ caught: view(e) }); }
});`, ['hi', 'é', '€', '😀']],
  ['new DOMException(message, name)', `c.listen(function (req) {
  const x = req.query.x;
  c.respond([view(new DOMException(x, 'AbortError')), view(new DOMException(x)), view(new DOMException()), view(new DOMException(undefined, x)),
    view(new DOMException(1, null)), view(new DOMException(x, 'QuotaExceededError')), view(new DOMException(x, 'Custom'))]);
});`, ['hi', '', 'DataCloneError']],
  ['options, causes and conversions', `c.listen(function (req) {
  const x = req.query.x;
  const withCause = new DOMException(x, { name: 'DataCloneError', cause: { why: x } });
  const noName = new DOMException(x, {});
  const nullCause = new DOMException(x, { name: 'AbortError', cause: undefined });
  let sym;
  try { new DOMException(Symbol('s')); } catch (e) { sym = [e.name, e.message]; }
  c.respond([view(withCause), withCause.cause, 'cause' in withCause, Object.hasOwn(withCause, 'cause'), view(noName), view(nullCause), 'cause' in nullCause,
    view(new DOMException(['a', 'b'], 'x')), view(new DOMException({ toString() { return 'own ' + x; } }, 7)), sym]);
  console.log(withCause);
  console.log([nullCause]);
});`, ['m', '']],
  ['own properties written and deleted', `c.listen(function (req) {
  const e = new DOMException(req.query.x, 'NotFoundError');
  e.status = 404; Object.assign(e, { detail: { what: req.query.x } }); e.toString = undefined; delete e.toString;
  const seen = [e.status, 'status' in e, Object.keys(e), JSON.stringify(e), { ...e }, String(e), delete e.name, e.name, delete e.nothing];
  delete e.status;
  seen.push(Object.keys(e), e.status, 'status' in e, 'nope' in e, 'stack' in e, 'toString' in e, 'hasOwnProperty' in e, 'INDEX_SIZE_ERR' in e);
  console.log(e);
  c.respond(seen);
});`, ['gone']],
  ['the constructor and its constants', `c.listen(function (req) {
  let called;
  try { DOMException(req.query.x); } catch (e) { called = [e.name, e.message, e instanceof TypeError]; }
  c.respond([typeof DOMException, DOMException.name, DOMException.length, DOMException.INVALID_CHARACTER_ERR, DOMException.DATA_CLONE_ERR,
    called, new Error('x') instanceof DOMException, {} instanceof DOMException, req.query.x instanceof DOMException, Object.prototype.toString.call(new Error('y'))]);
});`, ['m']],
  ['thrown, rethrown and compared', `c.listen(function (req) {
  function decode(s) { try { return atob(s); } catch (e) { if (e instanceof DOMException && e.name === 'InvalidCharacterError') return null; throw e; } }
  const out = [decode(req.query.x)];
  try { throw new DOMException('custom', 'NotFoundError'); } catch (e) { out.push(e.code === DOMException.NOT_FOUND_ERR, e.message); }
  c.respond(out);
});`, ['aGVsbG8=', '!!']],
  ['uncaught from atob', `c.listen(function (req) { c.respond(atob(req.query.x)); });`, ['!!']],
  ['getRandomValues over 65536 bytes', `c.listen(function (req) {
  try { crypto.getRandomValues(new Uint8Array(Number(req.query.x))); c.respond('filled'); } catch (e) { c.respond(view(e)); }
});`, ['65536', '65537', '100000']],
  ['structuredClone of a symbol', `c.listen(function (req) {
  const s = req.query.x === 'iter' ? Symbol.iterator : Symbol(req.query.x);
  const out = [];
  for (const v of [s, [1, s], { a: { b: s } }, new Map([[1, s]])]) { try { structuredClone(v); out.push('cloned'); } catch (e) { out.push(view(e)); } }
  c.respond(out);
});`, ['x', '', 'iter']],
  ['digest with an algorithm Node does not know', `c.listen(async function (req) {
  try { await crypto.subtle.digest(req.query.x, new Uint8Array([1, 2])); c.respond('digested'); } catch (e) { c.respond(view(e)); }
});`, ['SHA-256', 'MD5', 'sha-999']],
]);

test('the DOMException codes and constants are the host\'s', () => {
  for (const [name, code] of DOM_CODES) assert.equal(new DOMException('', name).code, code, name);
  for (const n of ['Error', 'EncodingError', 'NotAllowedError', 'OperationError', 'DataError']) assert.equal(DOM_CODES.get(n), undefined, n);
  const host = Object.getOwnPropertyNames(DOMException).filter((k) => k.endsWith('_ERR'));
  assert.deepEqual([...DOM_CONSTANTS.keys()], host);
  for (const [k, v] of DOM_CONSTANTS) assert.equal((DOMException as unknown as Record<string, number>)[k], v, k);
});

test('what a DOMException does not model aborts', async () => {
  const mk = `const e = new DOMException('m', 'AbortError')`;
  await assertAbortsNaming(H, [
    [`${mk}; e.name = 'x'`, 'unsupported:value', 'write to a DOMException'],
    [`${mk}; e.code = 1`, 'unsupported:value', 'write to a DOMException'],
    [`${mk}; e.ABORT_ERR = 1`, 'unsupported:value', 'write to a DOMException'],
    [`${mk}; e.stack = 's'`, 'unsupported:value', 'write to a DOMException'],
    [`${mk}; delete e.stack`, 'unsupported:value', 'delete on a DOMException'],
    [`${mk}; Object.assign(e, { a: 1, name: 'x' })`, 'Object.assign'],
    [`${mk}; e.stack`, 'Error.prototype.stack'],
    ['new DOMException("m", new Error("x"))', 'new DOMException'],
    ['class O { get name() { return "n"; } } new DOMException("m", new O())', 'new DOMException'],
    ['structuredClone(function f() {})', 'structuredClone'],
    // Node lists DOMException's constants (and Error's stackTraceLimit): not modelled.
    ['Object.keys(DOMException)', 'Object.keys'],
    ['Object.entries(Error)', 'Object.entries'],
  ]);
});
