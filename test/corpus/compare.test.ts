import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../src/cli/trace-run/compare.ts';
import { parseRequestSpecs, toRawRequest } from '../../src/cli/trace-run/request-spec.ts';
import type { FnResponse, OutboundRequest } from '../../src/api/index.ts';

// The comparison that decides "equal" must notice every observable difference.

const res = (over: Partial<FnResponse> = {}): FnResponse => ({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'x', ...over });
const call = (over: Partial<OutboundRequest> = {}): OutboundRequest => ({ method: 'GET', url: 'http://127.0.0.1:1/a', headers: {}, ...over });

test('compareRuns finds differences in status, content type, body, headers and each outbound call', () => {
  const base = { response: res(), outbound: [call(), call({ method: 'POST', body: '{}' })] };
  assert.deepEqual(compareRuns(base, { response: res(), outbound: [call(), call({ method: 'POST', body: '{}' })] }), []);
  const paths = (o: typeof base) => compareRuns(base, o).map((d) => d.path);
  assert.deepEqual(paths({ ...base, response: res({ status: 500 }) }), ['status']);
  assert.deepEqual(paths({ ...base, response: res({ headers: { 'content-type': 'application/json; charset=utf-8' } }) }), ['content-type']);
  assert.deepEqual(paths({ ...base, response: res({ body: 'y' }) }), ['body']);
  assert.deepEqual(paths({ ...base, response: res({ headers: { 'content-type': 'text/plain; charset=utf-8', 'x-a': '1' } }) }), ['headers.x-a']);
  assert.deepEqual(paths({ ...base, outbound: [call(), call({ method: 'POST', body: '{"a":1}' })] }), ['outbound[1]']);
  assert.deepEqual(paths({ ...base, outbound: [call({ url: 'http://127.0.0.1:1/b' }), call({ method: 'POST', body: '{}' })] }), ['outbound[0]']);
  assert.deepEqual(paths({ ...base, outbound: [call()] }), ['outbound[1]']);
  assert.deepEqual(paths({ ...base, outbound: [call({ method: 'POST', body: '{}' }), call()] }), ['outbound[0]', 'outbound[1]']);
});

test('request files: defaults, body encoding and shape errors', () => {
  assert.deepEqual(toRawRequest({ path: 'x' }), { method: 'GET', path: '/x', query: {}, headers: {}, body: '' });
  const json = toRawRequest({ path: '/', body: { a: 1 }, headers: { 'X-Up': 'v' } }, { 'x-backend': 'http://b' });
  assert.deepEqual(json, { method: 'POST', path: '/', query: {}, headers: { 'x-up': 'v', 'content-type': 'application/json', 'x-backend': 'http://b' }, body: '{"a":1}' });
  assert.equal(toRawRequest({ path: '/', body: 'hi' }).headers['content-type'], 'text/plain');
  assert.equal(toRawRequest({ path: '/', headers: { 'x-backend': 'mine' } }, { 'x-backend': 'harness' }).headers['x-backend'], 'mine');
  assert.throws(() => parseRequestSpecs({}, 'T'), /T: expected a JSON array/);
  assert.throws(() => parseRequestSpecs([{}], 'T'), /T\[0\]: "path" must be a string/);
  assert.throws(() => parseRequestSpecs([{ path: '/', query: { a: 1 } }], 'T'), /T\[0\]: "query" must be an object of strings/);
  assert.equal(parseRequestSpecs([{ path: '/', method: 'PUT' }], 'T').length, 1);
});
