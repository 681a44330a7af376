import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { buildSkeleton } from '../../src/tracer/index.ts';
import {
  addPath, addPaths, emptyTree, materialize, mergeTrees, printTree, treeFromJSON, treeSize, treeToJSON,
  TraceFormatError, TraceMismatchError, TRACE_VERSION, pathFromJSON, type Path, type TraceNode,
} from '../../src/trace/index.ts';

const SOURCE = `'use strict';
const c = require('containerless');
/* a comment that must not reach the tree */
function pick(x) {
  if (x > 0) { return 'pos'; } else if (x < 0) { return "neg"; }
  return x === 0 ? 'zero' : 10n;
}
c.listen((req) => { for (const k of [1, 2]) pick(k); c.respond(pick(Number(req.path.slice(1))) || 9n); });`;
const skeleton = buildSkeleton(SOURCE);

const pathArb = fc.uniqueArray(fc.integer({ min: 0, max: skeleton.armCount - 1 })).map((arms): Path => ({ arms: arms.sort((a, b) => a - b) }));
const treeArb = fc.array(pathArb, { maxLength: 5 }).map((paths) => addPaths(emptyTree(skeleton), skeleton, paths));

test('merging is associative and commutative, and equals adding all paths', () => {
  fc.assert(fc.property(treeArb, treeArb, treeArb, (a, b, c) => {
    assert.deepEqual(mergeTrees(a, b, skeleton), mergeTrees(b, a, skeleton));
    assert.deepEqual(mergeTrees(a, mergeTrees(b, c, skeleton), skeleton), mergeTrees(mergeTrees(a, b, skeleton), c, skeleton));
    assert.deepEqual(mergeTrees(a, emptyTree(skeleton), skeleton), a);
  }), { numRuns: 60 });
  fc.assert(fc.property(fc.array(pathArb, { maxLength: 6 }), fc.array(pathArb, { maxLength: 6 }), (p, q) => {
    const merged = mergeTrees(addPaths(emptyTree(skeleton), skeleton, p), addPaths(emptyTree(skeleton), skeleton, q), skeleton);
    const direct = [...p, ...q].reduce((t, path) => addPath(t, skeleton, path), emptyTree(skeleton));
    assert.deepEqual(merged, direct);
    assert.equal(treeToJSON(merged), treeToJSON(direct));
  }), { numRuns: 40 });
});

const walk = (n: unknown, visit: (n: TraceNode) => void): void => {
  if (Array.isArray(n)) n.forEach((x) => walk(x, visit));
  else if (n && typeof n === 'object') {
    if (typeof (n as TraceNode).type === 'string') visit(n as TraceNode);
    for (const [k, v] of Object.entries(n)) if (k !== 'loc') walk(v, visit);
  }
};

test('materialise: arms never hit are Unknown, hit arms carry counts, positions and comments are dropped', () => {
  const all = Array.from({ length: skeleton.armCount }, (_, i) => i);
  const full = materialize(skeleton, Object.fromEntries(all.map((i) => [i, 2])));
  const none = materialize(skeleton, {});
  let unknownFull = 0, arms = 0, fns = 0;
  walk(full, (n) => {
    if (n.type === 'Unknown') unknownFull++;
    if (n.arm !== undefined && n.type !== 'Unsupported') { arms++; assert.equal(n.hits, 2); }
    if (n.fnId) { fns++; assert.match(n.fnId, /^\d+:\d+$/); assert.equal(typeof n.name, 'string'); }
    for (const k of ['start', 'end', 'comments', 'leadingComments', 'trailingComments', 'innerComments']) assert.ok(!(k in n), k);
    if (n.loc) assert.deepEqual(Object.keys(n.loc), ['line', 'column']);
    if (n.extra) for (const k of Object.keys(n.extra as object)) assert.ok(k === 'raw' || k === 'parenthesized', k);
  });
  assert.equal(unknownFull, 0);
  assert.equal(arms, skeleton.armCount - skeleton.unsupported.length);
  assert.equal(fns, skeleton.functions.length);
  assert.deepEqual(none.body, [{ type: 'Unknown', arm: 0, loc: { line: 1, column: 0 } }]);
  assert.ok(!JSON.stringify(full).includes('must not reach'));
  // Only the program: the top level is known, both functions' bodies unknown.
  const top = materialize(skeleton, { 0: 1 });
  const unknownArms: number[] = [];
  walk(top, (n) => { if (n.type === 'Unknown') unknownArms.push(n.arm as number); });
  assert.deepEqual(unknownArms.sort((a, b) => a - b), skeleton.functions.map((f) => f.bodyArm).sort((a, b) => a - b));
  const unsupported: string[] = [];
  walk(full, (n) => { if (n.type === 'Unsupported') unsupported.push(`${n.what}:${n.hits}`); });
  assert.deepEqual(unsupported.sort(), ['bigint:2', 'bigint:2']);
});

test('trees from another source are refused', () => {
  const other = buildSkeleton('const c = require("containerless"); c.listen(() => 1);');
  assert.throws(() => mergeTrees(emptyTree(skeleton), emptyTree(other), skeleton), TraceMismatchError);
  assert.throws(() => addPath(emptyTree(skeleton), skeleton, { arms: [skeleton.armCount] }), TraceMismatchError);
  assert.throws(() => addPath(emptyTree(skeleton), skeleton, { arms: [1, 1] }), /sorted and unique/);
});

test('paths from the wire are checked', () => {
  assert.deepEqual(pathFromJSON('{"arms":[0,2,5]}'), { arms: [0, 2, 5] });
  for (const bad of ['{"arms":[2,1]}', '{"arms":[1,1]}', '{"arms":[-1]}', '{"arms":[0.5]}', '{"arm":[]}', '[', '{"arms":"1"}']) assert.throws(() => pathFromJSON(bad), TraceFormatError, bad);
});

test('JSON round trip, validated format and version', () => {
  fc.assert(fc.property(treeArb, (t) => {
    const back = treeFromJSON(treeToJSON(t));
    assert.deepEqual(back, t);
    assert.deepEqual(treeFromJSON(JSON.parse(treeToJSON(t))), t);
  }), { numRuns: 20 });
  const good = JSON.parse(treeToJSON(emptyTree(skeleton)));
  for (const v of [1, TRACE_VERSION - 1, TRACE_VERSION + 1]) assert.throws(() => treeFromJSON({ ...good, version: v }), new RegExp(`version ${v}`));
  assert.throws(() => treeFromJSON({ ...good, format: 'other' }), TraceFormatError);
  assert.throws(() => treeFromJSON({ ...good, counts: { x: 1 } }), TraceFormatError);
  assert.throws(() => treeFromJSON({ ...good, program: { type: 'Program', body: [{ type: 'Unknown' }] } }), TraceFormatError);
  assert.throws(() => treeFromJSON('{'), TraceFormatError);
  const schema = JSON.parse(readFileSync(new URL('../../docs/trace-schema.json', import.meta.url), 'utf8'));
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(schema.properties.version.const, TRACE_VERSION);
  assert.equal(schema.properties.format.const, 'containerless-trace');
});

test('printTree shows functions, hit counts, unknown arms and unsupported operations', () => {
  const ifArm = skeleton.arms.find((a) => a.kind === 'if-consequent')!.id;
  const body = skeleton.functions.find((f) => f.name === 'pick')!.bodyArm;
  const handler = skeleton.functions.find((f) => f.name === '')!.bodyArm;
  const t = addPaths(emptyTree(skeleton), skeleton, [{ arms: [0] }, { arms: [body, ifArm, handler] }]);
  const out = printTree(t);
  assert.match(out, /2 path\(s\)/);
  assert.match(out, /pick at 4:0: hits 1/);
  assert.match(out, /<anonymous> at 8:9: hits 1/);
  assert.match(out, /⟨unknown #\d+⟩/);
  assert.match(out, new RegExp(`#${ifArm}×1`));
  assert.match(out, /unknown arms: #\d+ at 5:/);
  assert.match(out, /bigint at 8:\d+ \(arm #\d+, hits 0\)/);
  assert.match(out, /return 'pos'|return "pos"/);
  assert.doesNotMatch(out, /neg/); // inside an unknown arm
});

test('treeSize grows as arms become known', () => {
  const small = treeSize(addPath(emptyTree(skeleton), skeleton, { arms: [0] }));
  const all = treeSize(addPath(emptyTree(skeleton), skeleton, { arms: Array.from({ length: skeleton.armCount }, (_, i) => i) }));
  assert.ok(treeSize(emptyTree(skeleton)) === 2);
  assert.ok(small > 2 && all > small);
});
