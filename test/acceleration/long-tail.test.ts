import { test } from 'node:test';
import assert from 'node:assert/strict';
import { platform } from '../e2e/helpers.ts';
import { call, deploy, mode, until } from './helpers.ts';

// A rarely used function: one request may be all it gets before its container would idle out.
const SOURCE = `const c = require('containerless');
c.listen(function (req) {
  if (req.query.kind === 'word') c.respond({ word: String(req.query.w).toUpperCase() });
  else c.respond('sum=' + String(req.query.xs).split(',').map(Number).reduce((a, b) => a + b, 0));
});`;

type Info = { mode: string; containers: Array<{ id: string; traced: boolean }> };
const info = async (p: { url: string }, name: string) => (await call(p, `/api/functions/${name}`)).json() as Info;

test('default policy: one traced request compiles; unseen paths answer accelerated; no tracing container stays', async (t) => {
  const p = await platform(t); // the platform's default policy
  await deploy(p, 'rare', SOURCE);
  const first = await call(p, '/fn/rare/?kind=word&w=hi');
  assert.equal(mode(first), 'tracing');
  assert.equal(first.text, '{"word":"HI"}');
  await until('compiled after that one request', async () => (await info(p, 'rare')).mode === 'accelerated');
  // The other arm was never traced: it is compiled generic and answered without a container.
  const other = await call(p, '/fn/rare/?xs=1,2,3');
  assert.equal(mode(other), 'accelerated');
  assert.equal(other.headers.get('x-containerless-reexecuted'), null);
  assert.equal(other.text, 'sum=6');
  await until('the tracing container stopped', async () => (await info(p, 'rare')).containers.length === 0, 20_000);
  const again = await call(p, '/fn/rare/?kind=word&w=ok');
  assert.equal(mode(again), 'accelerated');
  assert.equal(again.text, '{"word":"OK"}');
  assert.equal((await info(p, 'rare')).containers.length, 0, 'serving accelerated starts no container');
});
