import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReference } from './reference-runner.ts';

// The reference runner itself: ES module files of every style (the lead's end-to-end tests of
// transformed modules compare with these answers).

function file(t: { after(fn: () => unknown): void }, name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-ref-src-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

test('ES modules of every style run under their semantics', async (t) => {
  const web = await startReference(
    t,
    file(t, 'web.mjs', `export default { async fetch(request, env) { return Response.json({ path: new URL(request.url).pathname, g: env.G, bytes: [...new Uint8Array(await request.arrayBuffer())] }, { status: 203 }); } };`),
    { env: { G: 'hi' } },
  );
  assert.equal(web.style, 'web');
  const w = await web.send({ method: 'POST', path: '/a', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([1, 255]) });
  assert.deepEqual([w.status, JSON.parse(w.body.toString())], [203, { path: '/a', g: 'hi', bytes: [1, 255] }]);

  const lambda = await startReference(t, file(t, 'l.mjs', `export const handler = async (event) => event.isBase64Encoded ? { statusCode: 200, isBase64Encoded: true, body: event.body } : event.rawQueryString;`));
  assert.equal(lambda.style, 'lambda');
  const l = await lambda.send({ path: '/', query: 'x=1&x=2' });
  assert.deepEqual([l.status, l.headers['content-type'], l.body.toString()], [200, 'application/json; charset=utf-8', 'x=1&x=2']);
  const lb = await lambda.send({ method: 'POST', path: '/', headers: { 'content-type': 'image/png' }, body: new Uint8Array([0, 200]) });
  assert.deepEqual([...lb.body], [0, 200]);

  const paper = await startReference(t, file(t, 'p.mjs', `import c from 'containerless'; import { respond } from 'containerless'; c.listen(async (req) => respond({ q: req.query, bin: Buffer.isBuffer(req.body) }));`));
  assert.equal(paper.style, 'paper');
  const p = await paper.send({ method: 'PUT', path: '/', query: 'a=1&a=2', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([9]) });
  assert.equal(p.body.toString(), '{"q":{"a":"2"},"bin":true}');

  const ow = await startReference(t, file(t, 'o.mjs', `export function main(params) { if (params.fail) throw new Error('ow'); return { body: params.__ow_method + ' ' + params.__ow_path }; }`));
  assert.equal(ow.style, 'openwhisk');
  const o = await ow.send({ method: 'DELETE', path: '/x' });
  assert.deepEqual([o.status, o.headers['content-type'], o.body.toString()], [200, 'text/html; charset=utf-8', 'delete /x']);
  const f = await ow.send({ path: '/', query: 'fail=1' });
  assert.deepEqual([f.status, JSON.parse(f.body.toString())], [500, { error: 'Uncaught Error: ow' }]);
  await ow.stderrMatching(/Uncaught Error: ow\n {4}at /); // rejects when the stack never comes
});
