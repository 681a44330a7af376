import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VISITOR_KEYS } from '@babel/types';
import type { Node } from '@babel/types';
import type { Skeleton } from '../../src/trace/index.ts';
import { traceLocally } from '../../src/tracer/index.ts';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor } from '../corpus/harness.ts';
import { CASES } from './equivalence-cases.ts';
import { fakeIO } from './helpers.ts';

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod']);
/** Class elements whose code runs later (on each new instance): their `value` is another activation. */
const FIELD_TYPES = new Set(['ClassProperty', 'ClassPrivateProperty']);

/**
 * For each arm, the innermost arm around it that runs in the same function activation (null for
 * function bodies and parameter defaults, which run when the function is called, not defined).
 */
function enclosingArms(s: Skeleton): (number | null)[] {
  const parent: (number | null)[] = new Array(s.armCount).fill(null);
  const walk = (node: Node, around: number | null) => {
    const arm = s.armRoots.get(node) ?? s.unsupportedNodes.get(node)?.arm;
    let inner = around;
    if (arm !== undefined && arm !== 0) {
      if (parent[arm] === null && around !== arm) parent[arm] = around;
      inner = arm;
    }
    for (const key of VISITOR_KEYS[node.type] ?? []) {
      // Entering a function: its body and parameters run in another activation.
      const next = (FUNCTION_TYPES.has(node.type) && (key === 'params' || key === 'body')) || (FIELD_TYPES.has(node.type) && key === 'value') ? null : inner;
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const c of Array.isArray(child) ? child : [child]) if (c && typeof c === 'object') walk(c as Node, next);
    }
  };
  walk(s.ast.program, 0);
  return parent;
}

async function checkPaths(name: string, source: string, requests: Parameters<typeof traceLocally>[1]) {
  const { paths, skeleton } = await traceLocally(source, requests, fakeIO([]), { timeoutMs: 2000 });
  const parent = enclosingArms(skeleton);
  for (const [i, path] of paths.entries()) {
    const hit = new Set(path.arms);
    for (const arm of path.arms) {
      const p = parent[arm];
      // An arm runs only inside the arm around it, in the same request (activations are synchronous).
      if (p !== null && !skeleton.arms[p].untraced) assert.ok(hit.has(p), `${name}, path ${i}: arm ${arm} (${skeleton.arms[arm].kind}) hit without its enclosing arm ${p} (${skeleton.arms[p].kind})`);
      assert.ok(!skeleton.arms[arm].untraced, `${name}: untraced arm ${arm} recorded`);
    }
  }
  return paths.length;
}

test('every recorded arm was reached through the arm around it (equivalence cases and the corpus)', async () => {
  let checked = 0;
  for (const c of CASES) checked += await checkPaths(c.name, c.source, c.batches.flat());
  for (const entry of corpus) {
    const requests = sampleRequests(entry, 8, seedFor(entry.name, 5)).map((spec) => rawFor(spec, 'http://127.0.0.1:9'));
    checked += await checkPaths(entry.name, corpusSource(entry.name), requests);
  }
  assert.ok(checked > 300);
});
