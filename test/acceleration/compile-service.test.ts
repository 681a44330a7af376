import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompileService } from '../../src/acceleration/index.ts';
import { Store } from '../../src/store/index.ts';
import { instrument } from '../../src/tracer/index.ts';
import { tempDir, until } from './helpers.ts';

const SOURCE = `const c = require('containerless');
c.listen(function (req) { c.respond(req.path === '/a' ? 'a' : 'b'); });`;

test('the compile worker exits when idle and comes back for the next job', async (t) => {
  const store = Store.open(tempDir(t));
  t.after(() => store.close());
  store.putFunction('f', SOURCE, {});
  const { skeleton } = instrument(SOURCE);
  const counts: Record<string, number> = {};
  for (let a = 0; a < skeleton.armCount; a++) counts[a] = 1;
  const ref = { dbPath: store.path, name: 'f', version: 1, source: SOURCE, counts, paths: 1 };
  const cs = new CompileService({ idleMs: 100 });
  t.after(() => cs.close());
  const first = await cs.compile(ref);
  assert.equal(first.ok, true, JSON.stringify(first));
  assert.equal(cs.running, true);
  await until('the idle worker exited', () => !cs.running, 20_000);
  const second = await cs.compile(ref);
  assert.equal(second.ok, true, JSON.stringify(second));
  assert.equal(second.ok && second.code, first.ok && first.code, 'a new worker compiles the same tree to the same code');
  assert.ok(store.getTrace('f', 1), 'the worker stored the tree');
});
