// The loader's priming run (src/accelerator/prime-closures.ts): it evaluates the top level's function
// literals and stops at the first other operation, so no user code runs and nothing is observable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { primeClosures } from '../../src/accelerator/prime-closures.ts';

test('priming makes the closures and stops at the first other rt operation', () => {
  const seen: string[] = [];
  primeClosures((rt) => {
    const r = rt as Record<string, (...a: unknown[]) => unknown>;
    seen.push(`fn: ${String(r.fn!('f', 0, function () {}))}`);
    r.fnrec!('g', 0, function () {
      seen.push('maker called');
      return function () {};
    });
    r.fntrec!('h', 0, 0, function () {
      seen.push('fntrec maker called');
      return function () {};
    });
    seen.push('before tick');
    r.tick!();
    seen.push('after tick');
  });
  assert.deepEqual(seen, ['fn: null', 'maker called', 'fntrec maker called', 'before tick']);
});

test('priming swallows whatever the program throws (it is only a speed-up)', () => {
  assert.doesNotThrow(() => primeClosures(() => {
    throw new TypeError('x');
  }));
});

test('a loaded program is primed without running its top level: it logs and counts once per instance', async () => {
  const source = `
const c = require('containerless');
let n = 0;
function bump() { n++; return n; }
console.log('top level');
for (let i = 0; i < 3; i++) bump();
c.listen(function (req) { c.respond({ n: bump() }); });`;
  const program = loadCompiled(compile({ program: parse(source, { sourceType: 'script' }).program }).code);
  for (const round of [1, 2]) {
    const logs: string[] = [];
    const inst = createInstance(program, { io: { request: async () => undefined }, log: (_level, text) => logs.push(String(text)) });
    const r = await inst.handle({ method: 'GET', path: '/', query: {}, headers: {}, body: '' }, { timeoutMs: 5000 });
    assert.equal(r.kind, 'response', `round ${round}`);
    assert.equal(r.kind === 'response' ? r.response.body : '', '{"n":4}');
    assert.deepEqual(logs, ['top level']);
  }
});
