// Promises, microtasks and timers accelerated, against Node: the order of every observable event
// (what each program pushes to `out` and logs) and the response must be Node's. Timers that must
// fire in order are 10 ms or more apart: closer ones may fall due in one turn of a busy loop, where
// Node itself orders them differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

const programs: Record<string, string> = {
  'then chains interleave, resolve with a promise takes two more jobs': `
  const out = [];
  const p = new Promise(function (res) { out.push('exec'); res(1); });
  p.then(function (v) { out.push('then ' + v); return Promise.resolve(v + 1); }).then(function (v) { out.push('then2 ' + v); });
  Promise.resolve().then(function () { out.push('a1'); }).then(function () { out.push('a2'); }).then(function () { out.push('a3'); }).then(function () { out.push('a4'); });
  queueMicrotask(function () { out.push('qm'); });
  setTimeout(function () { out.push('t0'); c.respond(out); }, 0);
  setImmediate(function () { out.push('imm'); });
  out.push('sync');`,
  'catch, finally and rejection propagation': `
  const out = [];
  Promise.reject(new Error('boom')).then(function () { out.push('never'); }).catch(function (e) { out.push('caught ' + e.message); return 'r'; })
    .finally(function () { out.push('finally'); return 'ignored'; }).then(function (v) { out.push('after ' + v); });
  Promise.resolve(5).finally(function () { out.push('f2'); throw new TypeError('in finally'); }).catch(function (e) { out.push(e.name + ':' + e.message); });
  Promise.resolve(1).then(function () { out.push('x1'); }).then(function () { out.push('x2'); }).then(function () { out.push('x3'); }).then(function () { out.push('x4'); }).then(function () { out.push('x5'); });
  setTimeout(function () { c.respond(out); }, 1);`,
  'thenables take a job for then and one for the reaction': `
  const out = [];
  const thenable = { then: function (ok) { out.push('then called'); ok('tv'); } };
  Promise.resolve(thenable).then(function (v) { out.push('got ' + v); });
  new Promise(function (r) { r(thenable); }).then(function (v) { out.push('got2 ' + v); });
  Promise.resolve().then(function () { out.push('b1'); }).then(function () { out.push('b2'); }).then(function () { out.push('b3'); });
  const bad = { then: function () { throw new RangeError('bad then'); } };
  Promise.resolve(bad).catch(function (e) { out.push('bad ' + e.message); });
  setTimeout(function () { c.respond(out); }, 1);`,
  'Promise.all, allSettled, race and any': `
  const out = [];
  const later = function (v, ms, fail) { return new Promise(function (res, rej) { setTimeout(function () { if (fail) rej(new Error(v)); else res(v); }, ms); }); };
  Promise.all([1, later('a', 20), Promise.resolve('b')]).then(function (vs) { out.push('all ' + vs.join()); });
  Promise.all([later('x', 10, true), later('y', 1)]).catch(function (e) { out.push('all failed ' + e.message); });
  Promise.all([]).then(function (vs) { out.push('empty ' + vs.length); });
  Promise.allSettled([later('s', 1), later('f', 1, true), 3]).then(function (rs) { out.push(JSON.stringify(rs.map(function (r) { return r.status + ':' + (r.value || r.reason.message); }))); });
  Promise.race([later('slow', 60), later('fast', 30)]).then(function (v) { out.push('race ' + v); });
  Promise.any([later('n1', 1, true), later('ok', 45)]).then(function (v) { out.push('any ' + v); });
  Promise.any([Promise.reject(1), Promise.reject(2)]).catch(function (e) { out.push(e.name + ' ' + e.message + ' ' + e.errors.join()); });
  Promise.any([]).catch(function (e) { out.push('any empty ' + e.name + ' ' + e.errors.length); });
  Promise.all(5).catch(function (e) { out.push(e.message); });
  setTimeout(function () { c.respond(out); }, 80);`,
  'timers: order by due time, clear, intervals, arguments': `
  const out = [];
  // Due times 30 ms or more apart: a loaded machine delays a tick (and an interval's later ones)
  // by some ms, which must not reorder them between this run and Node's.
  setTimeout(function (a, b) { out.push('t10 ' + a + b); }, 300, 'x', 'y');
  const t = setTimeout(function () { out.push('cleared'); }, 90);
  setTimeout(function () { out.push('t30'); }, 90);
  clearTimeout(t);
  setTimeout(function () { out.push('t1'); Promise.resolve().then(function () { out.push('t1 micro'); }); }, 1);
  setTimeout(function () { out.push('t1b'); }, 1);
  let n = 0;
  const iv = setInterval(function () { n++; out.push('iv ' + n); if (n === 3) clearInterval(iv); }, 60);
  const im = setImmediate(function () { out.push('never'); });
  clearImmediate(im);
  setImmediate(function (v) { out.push('imm ' + v); }, 7);
  // Well after the last timer: on a loaded machine a late tick reschedules the next one later.
  setTimeout(function () { c.respond(out); }, 600);`,
  'respond from a then': `
  Promise.resolve({ ok: true }).then(function (v) { c.respond(v); });`,
  'promise around an outbound call': `
  const get = function (url) { return new Promise(function (res) { c.get(url, function (body) { res(body); }); }); };
  get('http://backend/a').then(function (a) { return get('http://backend/b?from=' + a.url); }).then(function (b) { console.log('got', b.url); c.respond(b); });`,
  'a rejection handled in the same drain is not unhandled': `
  const p = Promise.reject(new Error('x'));
  Promise.resolve().then(function () { p.catch(function () { console.log('handled late'); }); });
  setTimeout(function () { c.respond('fine'); }, 5);`,
  'chaining cycle': `
  const p = Promise.resolve().then(function () { return p; });
  p.catch(function (e) { c.respond(e.name + ': ' + e.message); });`,
  'executor throws after resolve and before': `
  const out = [];
  new Promise(function (res) { res('first'); throw new Error('ignored'); }).then(function (v) { out.push(v); });
  new Promise(function () { throw new Error('thrown'); }).catch(function (e) { out.push(e.message); });
  try { new Promise(7); } catch (e) { out.push(e.message); }
  try { Promise(); } catch (e) { out.push(e.message); }
  out.push(typeof Promise, String(Promise.resolve(1)), Promise.resolve(1) instanceof Promise, {} instanceof Promise);
  setTimeout(function () { c.respond(out); }, 1);`,
  'a handler that never answers with nothing pending is a 504': `
  new Promise(function () {});`,
  'timers after the response do not run': `
  c.respond('now');
  setTimeout(function () { console.log('late timer'); }, 1);`,
};

for (const [name, body] of Object.entries(programs)) {
  test(`Node's order: ${name}`, async () => {
    await sameAsNode(program(body));
  });
}

test('what the accelerator does not model aborts instead of differing', async () => {
  const cases: [string, string][] = [
    ['console.log(Promise.resolve(1)); c.respond(1);', 'console-format'],
    ['setTimeout("code", 1); c.respond(1);', 'setTimeout'],
    ['const t = setTimeout(function () {}, 1); c.respond(+t);', 'Timeout[Symbol.toPrimitive]'],
    ['Promise.all(new Promise(function () {})); c.respond(1);', 'Promise.all'],
    ['Promise.resolve(1).then.call(null); c.respond(1);', 'Promise.prototype.then'],
  ];
  for (const [body, what] of cases) {
    const r = await accelerated(program(body));
    assert.ok(abortedWith(r, 'unsupported:builtin', what) || abortedWith(r, 'unsupported:value', what), `${body}: ${JSON.stringify(r)}`);
  }
});

test('a timer the top level leaves pending fails the start (it would run between requests)', async () => {
  const r = await accelerated(`const c = require('containerless'); setTimeout(function () {}, 1); c.listen(function () { c.respond(1); });`);
  assert.ok(abortedWith(r, 'unsupported:builtin', 'top level: setTimeout at the top level'), JSON.stringify(r));
});

// The oracle of these runs in this process, which is not the container's runner: there,
// 'uncaughtException' and 'unhandledRejection' fail the request they belong to (src/sandbox/runner):
// 500 with "Uncaught <error>" and the error in the logs; later logs and answers are the function's.
const uncaught: [string, string][] = [
  ["queueMicrotask(function () { throw new Error('in microtask'); }); setTimeout(function () { c.respond('late'); }, 5);", 'Error: in microtask'],
  ["Promise.reject(new TypeError('nobody handles me')); setTimeout(function () { c.respond('late'); }, 5);", 'TypeError: nobody handles me'],
  ["setTimeout(function () { throw new RangeError('in a timer'); }, 1);", 'RangeError: in a timer'],
  ["Promise.resolve().then(function () { return Promise.reject(7); });", '7'],
];
for (const [body, text] of uncaught) {
  test(`uncaught in async code answers 500 as the container's runner does: ${text}`, async () => {
    const r = await accelerated(program(body));
    assert.deepEqual(r, { status: 500, body: JSON.stringify({ error: `Uncaught ${text}` }), logs: [`stderr: Uncaught ${text}`] });
  });
}
