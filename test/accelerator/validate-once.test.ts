// loadCompiled skips the validator only for bytes this isolate's validator already accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInstance, loadCompiled } from '../../src/accelerator/index.ts';
import { ValidationError } from '../../src/subset/index.ts';
import { compileSource, raw } from './helpers.ts';

const SOURCE = `const c = require('containerless'); c.listen(function (req) { c.respond({ path: req.path }); });`;

test('a program loaded twice runs both times, each in its own instance', async () => {
  const code = compileSource(SOURCE);
  for (const path of ['/a', '/b']) {
    const inst = createInstance(loadCompiled(code), { io: { request: async () => undefined }, log() {} });
    const r = await inst.handle(raw({ path }), { timeoutMs: 1000 });
    assert.equal(r.kind, 'response');
    assert.deepEqual(JSON.parse((r as { response: { body: string } }).response.body), { path });
  }
});

test('code that differs from an accepted program by one statement is validated again and refused', () => {
  const code = compileSource(SOURCE);
  loadCompiled(code);
  // The same program with a host escape spliced in before its closing brace: not in the grammar.
  const tampered = code.replace(/\}\)\s*$/, 'globalThis.process.exit(1); })');
  assert.notEqual(tampered, code);
  assert.throws(() => loadCompiled(tampered), ValidationError);
  assert.throws(() => loadCompiled(tampered), ValidationError, 'a refusal is not remembered as an acceptance');
});
