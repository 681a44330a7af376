import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deploy, platform } from './helpers.ts';

test('a file that throws at load, or never calls listen when it runs, answers 500 with the reason', async (t) => {
  const p = await platform(t);
  await deploy(p, 'throws', `const c = require('containerless'); if (true) throw new Error('top-level boom'); c.listen(() => c.respond(1));`);
  const r = await call(p, '/fn/throws/');
  assert.equal(r.status, 500);
  assert.match(r.json().error, /failed to load: .*top-level boom/);
  assert.equal(r.headers.get('x-containerless-mode'), 'container');
  await deploy(p, 'maybe', `const c = require('containerless'); if (process.env.NEVER) c.listen(() => c.respond(1));`);
  const m = await call(p, '/fn/maybe/');
  assert.equal(m.status, 500);
  assert.match(m.json().error, /listen/);
});
