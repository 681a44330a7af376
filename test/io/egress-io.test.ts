import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, buildConnector, request } from 'undici';
import { IOLayer, type CallContext } from '../../src/io/index.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import { EgressPolicy, type Destination } from '../../src/io/egress.ts';
import { EgressRefusedError, egressConnector } from '../../src/io/egress-connector.ts';

type T = { after(fn: () => unknown): void };

/** A loopback server counting what reached it; `/redirect` answers 302 to `location`. */
async function backend(t: T, location = 'http://127.0.0.1:1/') {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === '/redirect') return void res.writeHead(302, { location }).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}`, seen };
}

function layer(t: T, egress?: EgressPolicy, outbound: Record<string, string[]> = {}) {
  const metrics = createMetrics({ defaultMetrics: false });
  const lines: Array<{ ctx: CallContext; line: string }> = [];
  const io = new IOLayer({ logger: pino({ level: 'silent' }), metrics, egress, outboundOf: (fn) => outbound[fn], functionLog: (ctx, line) => lines.push({ ctx, line }) });
  t.after(() => io.close());
  const get = (fn: string, url: string) => io.perform({ method: 'GET', url, headers: {} }, { function: fn, timeoutMs: 3000 }, { function: fn, requestId: `r-${fn}`, mode: 'containers' });
  return { io, metrics, lines, get };
}

test('I/O layer: loopback is refused by default, by address and by a name resolving to it; the function gets undefined, its log says why, a metric counts it', async (t) => {
  const b = await backend(t);
  const { get, lines, metrics } = layer(t);
  assert.equal(await get('f', `${b.url}/x`), undefined);
  assert.equal(await get('f', `http://localhost:${b.port}/x`), undefined);
  assert.equal(await get('f', `http://127.1:${b.port}/x`), undefined);
  assert.equal(await get('f', `http://[::ffff:127.0.0.1]:${b.port}/x`), undefined);
  assert.equal(await get('f', `http://[::1]:${b.port}/x`), undefined);
  assert.equal(await get('f', 'http://169.254.169.254/latest/meta-data/'), undefined);
  assert.equal(await get('f', 'http://10.255.255.1/'), undefined);
  assert.deepEqual(b.seen, [], 'nothing reached the backend');
  assert.equal(lines.length, 7);
  assert.deepEqual(lines[0]!.ctx, { function: 'f', requestId: 'r-f', mode: 'containers' });
  assert.equal(lines[0]!.line, `outbound GET ${b.url}/x refused: loopback address 127.0.0.1:${b.port} (the operator can allow it with --allow-outbound)`);
  assert.match(lines[1]!.line, new RegExp(`^outbound GET http://localhost:${b.port}/x refused: loopback address (127\\.0\\.0\\.1|\\[::1\\]):${b.port} `));
  assert.match(lines[3]!.line, /refused: loopback address \[::ffff:7f00:1\]/);
  assert.match(lines[5]!.line, /refused: link-local address 169\.254\.169\.254:80 /);
  assert.match(lines[6]!.line, /refused: private address 10\.255\.255\.1:80 /);
  const text = await metrics.registry.metrics();
  assert.match(text, /containerless_outbound_calls_total\{function="f",method="GET",outcome="refused",reason="loopback"\} 5/);
  assert.match(text, /containerless_outbound_calls_total\{function="f",method="GET",outcome="refused",reason="link-local"\} 1/);
  assert.match(text, /containerless_outbound_calls_total\{function="f",method="GET",outcome="refused",reason="private"\} 1/);
  assert.doesNotMatch(text, /127\.0\.0\.1|localhost|169\.254/, 'no address or URL in a label');
});

test('I/O layer: an allowed backend is reached; the platform own port is not, even within an allowed range', async (t) => {
  const b = await backend(t);
  const api = await backend(t);
  const egress = new EgressPolicy({ allow: ['127.0.0.0/8'] });
  const { io, get, lines } = layer(t, egress);
  io.setPlatformAddress('127.0.0.1', api.port);
  assert.equal((await get('f', `${b.url}/x`))?.status, 200);
  assert.equal((await get('f', `http://localhost:${b.port}/x`))?.status, 200);
  assert.equal(await get('f', `${api.url}/api/functions/other`), undefined);
  assert.equal(await get('f', `http://127.0.0.2:${api.port}/api/functions/other`), undefined);
  assert.equal(await get('f', `http://[::ffff:127.0.0.1]:${api.port}/api/functions/other`), undefined);
  assert.equal(await get('f', `http://0.0.0.0:${api.port}/api/functions/other`), undefined);
  assert.deepEqual(api.seen, []);
  assert.deepEqual(b.seen, ['GET /x', 'GET /x']);
  assert.match(lines[0]!.line, /refused: the platform's own address 127\.0\.0\.1:\d+ \(only an --allow-outbound entry naming exactly this host:port opens it\)$/);

  // An entry naming exactly that host:port opens it (an operator who wants a function to manage the platform).
  const exact = layer(t, new EgressPolicy({ allow: [`127.0.0.1:${api.port}`] }));
  exact.io.setPlatformAddress('127.0.0.1', api.port);
  assert.equal((await exact.get('f', `${api.url}/api/functions/other`))?.status, 200);
});

test('I/O layer: config.outbound grants are per function, and a pooled connection is never shared with a function not granted it', async (t) => {
  const b = await backend(t);
  const egress = new EgressPolicy({ grant: ['127.0.0.1'] });
  const { get } = layer(t, egress, { a: [`127.0.0.1:${b.port}`], c: ['127.0.0.5'] });
  assert.equal((await get('a', `${b.url}/1`))?.status, 200);
  // a's keep-alive connection to this origin is open: b must still be refused.
  assert.equal(await get('b', `${b.url}/2`), undefined);
  assert.equal(await get('c', `${b.url}/3`), undefined);
  assert.equal((await get('a', `${b.url}/4`))?.status, 200);
  assert.deepEqual(b.seen, ['GET /1', 'GET /4']);
  // Not granted by the operator (stored before a restart with fewer grants): ignored.
  const none = layer(t, new EgressPolicy(), { a: [`127.0.0.1:${b.port}`] });
  assert.equal(await none.get('a', `${b.url}/5`), undefined);
});

test('I/O layer: a redirect is not followed: the function gets the 3xx, and its target is never contacted', async (t) => {
  const target = await backend(t);
  const b = await backend(t, `${target.url}/api/functions/other`);
  const { get } = layer(t, new EgressPolicy({ allow: [`127.0.0.1:${b.port}`] }));
  const res = await get('f', `${b.url}/redirect`);
  assert.equal(res?.status, 302);
  assert.equal(res?.headers.location, `${target.url}/api/functions/other`);
  assert.deepEqual(target.seen, []);
});

test('connector: checks every resolved address, then connects to the address it checked (no second lookup to rebind)', async () => {
  const checked: Destination[] = [];
  const connected: string[] = [];
  const base: buildConnector.connector = (opts, cb) => {
    connected.push(`${opts.hostname} ${opts.host}`);
    cb(new Error('stop here'), null);
  };
  const connect = (check: (d: Destination) => { allowed: true } | { allowed: false; reason: 'loopback' }, hostname: string) =>
    new Promise<Error | null>((resolve) => egressConnector(check, base)({ hostname, host: `${hostname}:80`, protocol: 'http:', port: '' }, (...args) => resolve(args[0])));

  const allowAll = (d: Destination) => (checked.push(d), { allowed: true as const });
  await connect(allowAll, 'localhost');
  assert.ok(checked.length >= 1 && checked.every((d) => d.hostname === 'localhost' && d.port === 80 && /^(127\.0\.0\.1|::1)$/.test(d.address)), JSON.stringify(checked));
  assert.deepEqual(connected, [`${checked[0]!.address} localhost:80`], 'the socket goes to the checked address; the Host (and TLS name) keeps the name');

  connected.length = 0;
  const refuse = () => ({ allowed: false as const, reason: 'loopback' as const });
  const err = await connect(refuse, 'localhost');
  assert.ok(err instanceof EgressRefusedError && err.reason === 'loopback', String(err));
  const literal = await connect(refuse, '127.0.0.1');
  assert.ok(literal instanceof EgressRefusedError && literal.address === '127.0.0.1' && literal.port === 80, 'an IP literal (no lookup) is checked too');
  assert.deepEqual(connected, []);
});

test('connector: HTTPS to a name still verifies the certificate against the name, though the socket goes to the checked address', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cl-egress-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => res.end(`tls ${req.headers.host}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  const egress = new EgressPolicy({ allow: [`127.0.0.1:${port}`, `[::1]:${port}`] });
  const agent = new Agent({ connect: egressConnector((d) => egress.decide(d), buildConnector({ ca: cert })) });
  t.after(() => agent.close());
  const res = await request(`https://localhost:${port}/`, { dispatcher: agent });
  assert.equal(res.statusCode, 200);
  assert.equal(await res.body.text(), `tls localhost:${port}`);
  // By address, the certificate (for the name "localhost") does not match: verification is on.
  await assert.rejects(request(`https://127.0.0.1:${port}/`, { dispatcher: agent }), (err: Error & { code?: string }) => err.code === 'ERR_TLS_CERT_ALTNAME_INVALID');
  // And a refused name is refused before any TLS.
  const strict = new Agent({ connect: egressConnector((d) => new EgressPolicy().decide(d), buildConnector({ ca: cert })) });
  t.after(() => strict.close());
  await assert.rejects(request(`https://localhost:${port}/`, { dispatcher: strict }), (err: Error) => err instanceof EgressRefusedError && err.reason === 'loopback');
});
