import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, corpusSource, rawFor, sampleRequests, seedFor } from './harness.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { createInstrumentedRunner } from '../../src/cli/trace-run/instrumented.ts';
import { addPaths, emptyTree, mergeTrees, treeFromJSON, treeToJSON } from '../../src/trace/index.ts';
import { compile } from '../../src/compiler/index.ts';

// What the platform relies on when it stores trees and gathers paths from many tracing containers,
// checked on the real corpus: a tree that went through JSON compiles to the same code, and a tree
// merged from the paths of two containers compiles like the tree of all paths.

/**
 * The compiler numbers some temporaries (`$i7`, `$c12`) from a counter shared by all compilations in
 * the process, so two compilations of one tree differ in those names only. Renumber them by first
 * appearance to compare the code itself (reported to the compiler's owner: output is not yet a pure
 * function of the tree).
 */
function canonical(code: string): string {
  const names = new Map<string, string>();
  return code.replace(/\$([a-z]+)(\d+)\b/g, (whole, kind: string) => {
    let n = names.get(whole);
    if (n === undefined) names.set(whole, (n = `$${kind}#${names.size}`));
    return n;
  });
}

let backend: MockBackend;
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
});

test('corpus trees survive JSON and merging: the compiled code is the same', async () => {
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  for (const entry of corpus) {
    const runner = createInstrumentedRunner(corpusSource(entry.name), { io });
    for (const s of sampleRequests(entry, 12, seedFor(entry.name, 40))) await runner.run(rawFor(s, backend.url));
    const tree = runner.tree();
    const code = canonical(compile(tree).code);
    assert.equal(canonical(compile(treeFromJSON(treeToJSON(tree))).code), code, `${entry.name}: JSON round trip changes the compiled code`);
    // Two "containers": the top-level path and odd requests in one, even requests in the other.
    const [top, ...rest] = runner.paths;
    const a = addPaths(emptyTree(runner.skeleton), runner.skeleton, [top!, ...rest.filter((_, i) => i % 2)]);
    const b = addPaths(emptyTree(runner.skeleton), runner.skeleton, rest.filter((_, i) => i % 2 === 0));
    const merged = mergeTrees(b, a, runner.skeleton);
    assert.deepEqual(merged.counts, tree.counts, `${entry.name}: merged counts differ`);
    assert.equal(canonical(compile(merged).code), code, `${entry.name}: the merged tree compiles differently`);
  }
});
