// The local trace pipeline runs every style as the platform does (src/platform/source-prep.ts): an ES
// module is converted, an OpenWhisk `main` nothing exports is found, and the oracle's `fetch` is the
// platform's, so its outbound calls are recorded and compared like the accelerated run's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runPipeline } from '../../src/cli/trace-run/pipeline.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import type { RawRequest } from '../../src/api/index.ts';

let backend: MockBackend;
before(async () => {
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
});

const get = (path: string, query: Record<string, string> = {}): RawRequest => ({ method: 'GET', path, query, headers: { 'x-backend': backend.url }, body: '' });

const WORKER = `export default {
  async fetch(request) {
    const url = new URL(request.url);
    const res = await fetch(request.headers.get('x-backend') + '/status?service=' + (url.searchParams.get('s') || 'api'));
    const { up } = await res.json();
    return Response.json({ path: url.pathname, up });
  },
};`;

const OPENWHISK = `function main(params) {
  return { statusCode: params.n ? 200 : 400, body: { n: Number(params.n) * 2 } };
}`;

test('an ES module Worker traces, compiles and answers as Node does, its fetch recorded on both sides', async () => {
  const io = createHttpIO({ allowOutbound: [new URL(backend.url).host] });
  const report = await runPipeline({ source: WORKER, train: [get('/a', { s: 'db' })], test: [get('/b', { s: 'queue' }), get('/c')], io });
  assert.equal(report.failure, undefined, JSON.stringify(report.failure));
  assert.deepEqual(report.counts, { equal: 2, aborted: 0, mismatched: 0 });
  for (const r of report.results) {
    assert.equal(r.oracle.outbound.length, 1, 'the oracle made its call through the platform fetch');
    assert.match(r.oracle.outbound[0]!.url, /\/status\?service=/);
  }
});

test('an OpenWhisk main that nothing exports is found', async () => {
  const io = createHttpIO({ allowOutbound: [] });
  const report = await runPipeline({ source: OPENWHISK, train: [get('/', { n: '2' })], test: [get('/', { n: '5' }), get('/')], io });
  assert.equal(report.failure, undefined, JSON.stringify(report.failure));
  assert.equal(report.counts.mismatched, 0);
  assert.equal(report.counts.equal, 2);
  assert.equal(JSON.parse(report.results[0]!.oracle.response.body).n, 10);
});

test('a module that awaits at its top level traces and answers as Node does', async () => {
  const io = createHttpIO({ allowOutbound: [] });
  const source = `const limits = await Promise.resolve({ max: 3 });
const names = await (async () => ['a', 'b', 'c', 'd'])();
export default {
  fetch(request) {
    const n = Number(new URL(request.url).searchParams.get('n') || 1);
    return Response.json({ names: names.slice(0, Math.min(n, limits.max)) });
  },
};`;
  const report = await runPipeline({ source, train: [get('/', { n: '2' })], test: [get('/', { n: '9' }), get('/')], io });
  assert.equal(report.failure, undefined, JSON.stringify(report.failure));
  assert.deepEqual(report.counts, { equal: 2, aborted: 0, mismatched: 0 });
  assert.deepEqual(JSON.parse(report.results[0]!.oracle.response.body), { names: ['a', 'b', 'c'] });
});

test('a source the platform refuses at deploy is refused with its position', async () => {
  const io = createHttpIO({ allowOutbound: [] });
  const report = await runPipeline({ source: 'export default {\n  fetch( {\n};', train: [], test: [], io });
  assert.equal(report.failure?.stage, 'trace');
  assert.match(report.failure!.message, /syntax error/);
  assert.equal(report.failure!.line, 3); // where Babel finds the error: the unclosed parameter list ends at `}`
});
