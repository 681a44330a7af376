// Arms no traced request reached are compiled too (src/trace/unseen.ts): a request down a new path
// is answered accelerated with Node's answer; unsupported syntax there still aborts with its reason;
// a store there that would undo the traced code's numeric locals aborts (`unknown-path`) until learned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceLocally } from '../../src/tracer/index.ts';
import { compileTree } from '../../src/acceleration/index.ts';
import { createInstance, loadCompiled, type AccelResult } from '../../src/accelerator/index.ts';
import { loadFunction, type RawRequest } from '../../src/api/index.ts';
import { raw, recordingIO } from '../accelerator/helpers.ts';

async function compiledAfter(source: string, train: RawRequest[], unseen = true): Promise<string> {
  const io = recordingIO();
  const { tree, skeleton } = await traceLocally(source, train, io);
  const c = compileTree(tree, unseen ? skeleton : undefined);
  assert.ok(c.ok, JSON.stringify(c));
  return c.code;
}

async function runBoth(source: string, code: string, r: RawRequest): Promise<{ acc: AccelResult; node: unknown }> {
  const inst = createInstance(loadCompiled(code), { io: recordingIO(), log() {} });
  const acc = await inst.handle(r, { timeoutMs: 2000 });
  const node = await loadFunction(source, { io: recordingIO(), log() {} }).invoke(r, { timeoutMs: 2000 });
  return { acc, node };
}

async function assertAccelerated(source: string, code: string, requests: RawRequest[]): Promise<void> {
  for (const r of requests) {
    const { acc, node } = await runBoth(source, code, r);
    assert.equal(acc.kind, 'response', `${r.path} ${JSON.stringify(r.query)}: ${JSON.stringify(acc)}`);
    assert.deepEqual(acc.kind === 'response' && acc.response, node, `${r.path} ${JSON.stringify(r.query)}`);
  }
}

const ROUTER = `const c = require('containerless');
function score(word) {
  let s = 0;
  for (const ch of word) {
    switch (ch) {
      case 'a': s += 1; break;
      case 'z': s += 26; break;
      default: s += 2;
    }
  }
  return s;
}
c.listen(function (req) {
  const w = req.query.w || 'none';
  if (req.path === '/score') {
    c.respond({ w: w, score: score(w) });
  } else if (req.path === '/list') {
    const out = [];
    let i = 0;
    while (i < Number(req.query.n)) { out.push(i * 2); i++; }
    c.respond(out.map(function (x) { return x + 1; }));
  } else if (req.path === '/safe') {
    try {
      c.respond(JSON.parse(req.query.j));
    } catch (e) {
      c.respond('bad json: ' + e.name, { status: 400 });
    }
  } else {
    c.respond('other', { status: 404 });
  }
});`;

test('requests down untraced branches, switch cases, loops, catch blocks and callbacks are answered accelerated', async () => {
  // Training reaches only /score with 'a': the else-if chain, the other cases, `|| 'none'`, the
  // loop bodies and the callback of /list, the try and catch of /safe never ran.
  const code = await compiledAfter(ROUTER, [raw({ path: '/score', query: { w: 'aa' } })]);
  assert.doesNotMatch(code, /rt\.unknown\(/, 'nothing left to abort for want of a trace');
  await assertAccelerated(ROUTER, code, [
    raw({ path: '/score', query: { w: 'zab' } }),
    raw({ path: '/score' }),
    raw({ path: '/list', query: { n: '4' } }),
    raw({ path: '/list', query: { n: '0' } }),
    raw({ path: '/safe', query: { j: '{"a":[1,2]}' } }),
    raw({ path: '/safe', query: { j: '{oops' } }),
    raw({ path: '/elsewhere' }),
  ]);
});

test('without the skeleton the same tree still aborts with unknown-path (the stored tree is unchanged)', async () => {
  const code = await compiledAfter(ROUTER, [raw({ path: '/score', query: { w: 'aa' } })], false);
  const { acc } = await runBoth(ROUTER, code, raw({ path: '/list', query: { n: '2' } }));
  assert.equal(acc.kind, 'abort');
  assert.equal(acc.kind === 'abort' && acc.reason, 'unknown-path');
});

test('hoisted vars and function declarations of code no request reached', async () => {
  const source = `const c = require('containerless');
function fmt(x) {
  var out = pad(x);
  function pad(s) { return '[' + s + ']'; }
  return out;
}
c.listen(function (req) {
  if (req.query.v) {
    var label = fmt(req.query.v);
    let again = label + label;
    c.respond({ label: label, again: again });
    return;
  }
  c.respond(String(label) + typeof fmt);
});`;
  const code = await compiledAfter(source, [raw({ query: {} })]);
  await assertAccelerated(source, code, [raw({ query: { v: 'x' } }), raw({ query: {} })]);
});

test('unsupported syntax in an unhit arm still aborts with its reason', async () => {
  const source = `const c = require('containerless');
c.listen(function (req) {
  if (req.query.debug) {
    debugger;
    c.respond('debugging');
  } else if (req.query.other) {
    c.respond('other ' + req.query.other);
  } else c.respond('plain');
});`;
  const code = await compiledAfter(source, [raw()]);
  const { acc } = await runBoth(source, code, raw({ query: { debug: '1' } }));
  assert.equal(acc.kind, 'abort');
  assert.equal(acc.kind === 'abort' && acc.reason, 'unsupported:syntax');
  assert.equal(acc.kind === 'abort' && acc.detail, 'debugger');
  assert.equal(acc.kind === 'abort' && acc.loc?.line, 4);
  await assertAccelerated(source, code, [raw({ query: { other: 'x' } })]);
});

const TOTALS = `const c = require('containerless');
c.listen(function (req) {
  let total = 0;
  const xs = String(req.query.xs).split(',');
  for (let i = 0; i < xs.length; i++) total += +xs[i];
  if (req.query.double) total = total * 2 + Number(req.query.double);
  if (req.query.unit) total = total + ' ' + req.query.unit;
  c.respond('sum=' + total);
});`;

test('traced numeric locals stay native; an unseen store of a non-number aborts until it is traced', async () => {
  const train = [raw({ query: { xs: '1,2' } })];
  const code = await compiledAfter(TOTALS, train);
  // The loop's `total += +xs[i]` stays native arithmetic on the traced path; the unseen stores are checked.
  assert.match(code, /\(total_\d+ = \(total_\d+ \+ rt\.num\(/, code);
  assert.match(code, /typeof (\$\d+) === "number" \? \1 : rt\.unknown\(7, 22\)/, code);
  // An unseen store of a number passes its check; one of a string aborts before storing.
  await assertAccelerated(TOTALS, code, [raw({ query: { xs: '1,2,3', double: '5' } })]);
  const { acc } = await runBoth(TOTALS, code, raw({ query: { xs: '4', unit: 'kg' } }));
  assert.equal(acc.kind, 'abort', JSON.stringify(acc));
  assert.equal(acc.kind === 'abort' && acc.reason, 'unknown-path');
  assert.equal(acc.kind === 'abort' && acc.loc?.line, 7);
  // Learned: with that request traced, the store is traced code and the local is generic.
  const learned = await compiledAfter(TOTALS, [...train, raw({ query: { xs: '4', unit: 'kg' } })]);
  await assertAccelerated(TOTALS, learned, [raw({ query: { xs: '4,5', unit: 'm' } }), raw({ query: { xs: '1', double: '2' } })]);
});

test('stores in unhit code that cannot be checked make the local generic, and answer right', async () => {
  // A destructuring store and a for-in head in code no request reached: the local is not numeric
  // anywhere, so those requests are answered accelerated; a switch case's test runs whether or not
  // its arm is reached, so its store counts as traced.
  const source = `const c = require('containerless');
c.listen(function (req) {
  let n = 0;
  let m = 0;
  n = n + 1;
  m = m + 1;
  switch (req.query.k) {
    case (m = m * 3, 'a'): [n] = [req.query.v]; break;
    case 'b': for (n in { key: 1 }) {} break;
    case 'c': m ||= 'never'; break;
  }
  c.respond({ n: n + 1, m: m + 1 });
});`;
  const code = await compiledAfter(source, [raw({ query: { k: 'z' } })]);
  assert.match(code, /typeof (\$\d+) === "number" \? \1 : rt\.unknown\(10, 14\)/, 'the `||=` store of m is checked');
  assert.doesNotMatch(code, /rt\.unknown\((8|9), /, 'the stores of n are not');
  await assertAccelerated(source, code, [raw({ query: { k: 'a', v: 'x' } }), raw({ query: { k: 'b' } }), raw({ query: { k: 'c' } })]);
});
