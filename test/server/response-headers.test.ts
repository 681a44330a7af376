import assert from 'node:assert/strict';
import { test } from 'node:test';
import { functionHeaders } from '../../src/server/response-headers.ts';

test('functionHeaders: framing, hop-by-hop, Connection-listed and platform headers never pass, in any case', () => {
  const out = functionHeaders({
    'Content-Type': 'text/plain',
    'Transfer-Encoding': 'chunked',
    'CONTENT-LENGTH': '5',
    'content-length': '5',
    'X-Containerless-Mode': 'accelerated',
    'X-CONTAINERLESS-REEXECUTED': '1',
    'x-containerless-request-id': 'forged',
    Connection: 'close, X-Secret',
    'Keep-Alive': 'timeout=1',
    'Proxy-Authenticate': 'Basic',
    'Proxy-Authorization': 'Basic x',
    TE: 'trailers',
    Trailer: 'x',
    Upgrade: 'h2c',
    'x-secret': 'listed in Connection',
    'X-Kept': 'yes',
  });
  assert.deepEqual({ ...out }, { 'content-type': 'text/plain', 'x-kept': 'yes' });
});

test('functionHeaders: names differing in case give one header, the last in key order; bad values dropped', () => {
  assert.deepEqual({ ...functionHeaders({ 'X-A': '1', 'x-a': '2', 'X-a': '3' }) }, { 'x-a': '3' });
  const out = functionHeaders({ 'x-crlf': 'a\r\nSet-Cookie: evil=1', 'x-lf': 'a\nb', 'x-nul': 'a\u0000', 'x-wide': '€', 'bad name': 'v', 'x-ok': 'fine\tvalue', __proto__x: 'v' });
  assert.deepEqual({ ...out }, { 'x-ok': 'fine\tvalue', __proto__x: 'v' });
  // A name that is an Object.prototype key stays a plain header.
  const proto = functionHeaders(JSON.parse('{"__proto__":"v","constructor":"c"}') as Record<string, string>);
  assert.equal(Object.getPrototypeOf(proto), null);
  assert.deepEqual(Object.keys(proto).sort(), ['__proto__', 'constructor']);
});
