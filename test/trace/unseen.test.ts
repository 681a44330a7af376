import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildSkeleton } from '../../src/tracer/index.ts';
import { addPaths, emptyTree, materialize, TraceMismatchError, withUnseenArms, type Path, type TraceNode } from '../../src/trace/index.ts';

const SOURCE = `const c = require('containerless');
function pick(x) {
  if (x > 0) { return 'pos'; } else if (x < 0) { var neg = "neg"; return neg; }
  switch (x) { case 0: return 'zero'; default: debugger; }
}
c.listen((req) => { for (const k of [1, 2]) pick(k); c.respond(pick(Number(req.path.slice(1))) || 'none'); });`;
const skeleton = buildSkeleton(SOURCE);

const nodes = (n: unknown, out: TraceNode[] = []): TraceNode[] => {
  if (Array.isArray(n)) n.forEach((x) => nodes(x, out));
  else if (n && typeof n === 'object') {
    if (typeof (n as TraceNode).type === 'string') out.push(n as TraceNode);
    for (const [k, v] of Object.entries(n)) if (k !== 'loc' && k !== 'extra') nodes(v, out);
  }
  return out;
};
const pathArb = fc.uniqueArray(fc.integer({ min: 0, max: skeleton.armCount - 1 })).map((arms): Path => ({ arms: arms.sort((a, b) => a - b) }));

test('the compiled view keeps every arm: unhit ones in full with hits 0, Unsupported as in the stored tree', () => {
  fc.assert(fc.property(fc.array(pathArb, { maxLength: 4 }), (paths) => {
    const tree = addPaths(emptyTree(skeleton), skeleton, paths);
    const view = withUnseenArms(tree, skeleton);
    const all = nodes(view.program);
    assert.equal(all.filter((n) => n.type === 'Unknown').length, 0);
    // Every arm is there once, with the tree's count (0 when no path hit it).
    const arms = all.filter((n) => typeof n.arm === 'number');
    assert.deepEqual(arms.map((n) => n.arm).sort((a, b) => a! - b!), [...Array(skeleton.armCount).keys()]);
    for (const n of arms) assert.equal(n.hits, tree.counts[n.arm!] ?? 0);
    assert.deepEqual(all.filter((n) => n.type === 'Unsupported').map((n) => n.what), ['debugger']);
    // The stored tree is untouched and stays pruned.
    assert.deepEqual(tree.program, materialize(skeleton, tree.counts));
    assert.deepEqual(view.counts, tree.counts);
  }), { numRuns: 30 });
});

test('an unseen view of a tree for another source is refused', () => {
  const other = buildSkeleton(SOURCE.replace("'none'", "'nothing'"));
  assert.throws(() => withUnseenArms(emptyTree(skeleton), other), TraceMismatchError);
});
