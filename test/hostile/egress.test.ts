import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Platform } from '../../src/server/index.ts';
import { BIN, call, deploy, freePort, mockBackend, platform, serveProcess } from '../e2e/helpers.ts';
import { mode, until, untilAccelerated } from '../acceleration/helpers.ts';

// Issue 9, attack 1: a function's outbound calls aimed at the platform's own API (through
// req.headers.host), at loopback by other spellings, at the cloud metadata address and at private
// ranges. Each must be a network error to the function, change nothing, and be in the attacker's
// logs and in /metrics; in containers and in accelerated mode.

const EVIL = `const c = require('containerless'); c.listen(function () { c.respond('pwned'); });`;

/** Calls `?url=` (default: the victim's management URL built from the request's Host) with method `?m=`. */
const ATTACKER = `const c = require('containerless');
c.listen(function (req) {
  const url = req.query.url || ('http://' + req.headers.host + '/api/functions/victim');
  const m = req.query.m || 'get';
  const done = function (body, meta) {
    c.respond({ got: body === undefined ? 'network-error' : body, status: meta === undefined ? null : meta.status });
  };
  if (m === 'get') c.get(url, done);
  else if (m === 'post') c.post({ url: url, body: { source: ${JSON.stringify(EVIL)} } }, done);
  else if (m === 'put') c.put({ url: url, body: { source: ${JSON.stringify(EVIL)} } }, done);
  else c.delete(url, done);
});`;

const VICTIM = `const c = require('containerless'); c.listen(function (req) { c.respond('victim ok ' + process.env.SECRET.length); });`;

/** The attacks: [query, reason expected in the log line]. */
function attacks(p: Platform): Array<[string, string]> {
  const port = p.port;
  const api = (host: string, path = '/api/functions/victim') => encodeURIComponent(`http://${host}${path}`);
  return [
    ['m=get', "the platform's own address"],
    ['m=put', "the platform's own address"],
    ['m=delete', "the platform's own address"],
    [`m=post&url=${api(`127.0.0.1:${port}`, '/api/functions/victim/compile')}`, "the platform's own address"],
    [`m=get&url=${api(`127.0.0.1:${port}`, '/fn/victim/')}`, "the platform's own address"],
    [`m=get&url=${api(`localhost:${port}`)}`, "the platform's own address"],
    [`m=put&url=${api(`[::ffff:127.0.0.1]:${port}`)}`, "the platform's own address"],
    [`m=get&url=${api(`127.1:${port}`)}`, "the platform's own address"],
    [`m=get&url=${api(`0.0.0.0:${port}`)}`, "the platform's own address"],
    [`m=get&url=${api(`[::]:${port}`)}`, "the platform's own address"],
    [`m=get&url=${api('169.254.169.254', '/latest/meta-data/iam/security-credentials/')}`, 'link-local address 169.254.169.254:80'],
    [`m=get&url=${api('10.0.0.1:8080')}`, 'private address 10.0.0.1:8080'],
    [`m=get&url=${api('[fd00::1]:8080')}`, 'private address [fd00::1]:8080'],
    [`m=get&url=${api('127.0.0.1:1')}`, 'loopback address 127.0.0.1:1'],
  ];
}

async function victimUnchanged(p: Platform, before: { version: number; updated_at: string; source_bytes: number; mode: string }) {
  const info = (await call(p, '/api/functions/victim')).json();
  assert.deepEqual([info.version, info.updated_at, info.source_bytes, info.mode], [before.version, before.updated_at, before.source_bytes, before.mode], 'the victim was not replaced, compiled or re-pinned');
  const r = await call(p, '/fn/victim/');
  assert.equal(r.status, 200);
  assert.equal(r.text, 'victim ok 6', 'the victim still answers');
}

async function refusalsLogged(p: Platform, inMode: string, expected: string[]) {
  let acts: Array<{ mode: string; logs: string[] }> = [];
  await until(`the attacker's ${inMode} activations log the refusals`, async () => {
    acts = (await call(p, '/api/functions/attacker/logs?limit=1000')).json();
    const lines = acts.filter((a) => a.mode === inMode).flatMap((a) => a.logs);
    return expected.every((why) => lines.some((l) => l.startsWith('[containerless] outbound ') && l.includes(` refused: ${why}`)));
  }, 10_000);
  const line = acts.flatMap((a) => a.logs).find((l) => l.startsWith(`[containerless] outbound GET http://127.0.0.1:${p.port}/api/functions/victim `));
  assert.match(line ?? '(none)', new RegExp(`^\\[containerless\\] outbound GET http://127\\.0\\.0\\.1:${p.port}/api/functions/victim refused: the platform's own address 127\\.0\\.0\\.1:${p.port} \\(only an --allow-outbound entry naming exactly this host:port opens it\\)$`));
}

function refusedCount(metrics: string, method: string, reason: string): number {
  return Number(new RegExp(`containerless_outbound_calls_total\\{function="attacker",method="${method}",outcome="refused",reason="${reason}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
}

test('a function can neither read nor change another function through the platform (containers, then accelerated); loopback, metadata and private addresses are refused', async (t) => {
  const p = await platform(t, { policy: { compileAfterRequests: 3, compileWhenStableFor: 2, recompileDelayMs: 10, persistTraceMs: 100 } });
  await deploy(p, 'victim', VICTIM, { env: { SECRET: 's3cr3t' } });
  await deploy(p, 'attacker', ATTACKER);
  const before = (await call(p, '/api/functions/victim')).json();
  const list = attacks(p);

  // Containers (the e2e deploy pins them).
  for (const [q] of list) {
    const r = await call(p, `/fn/attacker/?${q}`);
    assert.equal(mode(r), 'container', q);
    assert.deepEqual(r.json(), { got: 'network-error', status: null }, q);
  }
  await victimUnchanged(p, before);
  await refusalsLogged(p, 'container', [...new Set(list.map(([, why]) => why))]);
  const m1 = (await call(p, '/metrics')).text;
  assert.equal(refusedCount(m1, 'GET', 'platform'), 6);
  assert.equal(refusedCount(m1, 'PUT', 'platform'), 2);
  assert.equal(refusedCount(m1, 'DELETE', 'platform'), 1);
  assert.equal(refusedCount(m1, 'POST', 'platform'), 1);
  assert.equal(refusedCount(m1, 'GET', 'link-local'), 1);
  assert.equal(refusedCount(m1, 'GET', 'private'), 2);
  assert.equal(refusedCount(m1, 'GET', 'loopback'), 1);

  // Accelerated: pinned, every attack driven until the compiled code serves it.
  const pin = await fetch(`${p.url}/api/functions/attacker/mode`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"accelerated"}' });
  assert.equal(pin.status, 200);
  for (const [q] of list) {
    const r = await untilAccelerated(p, `/fn/attacker/?${q}`);
    assert.deepEqual(r.json(), { got: 'network-error', status: null }, q);
    assert.equal(r.headers.get('x-containerless-reexecuted'), null);
  }
  await victimUnchanged(p, before);
  await refusalsLogged(p, 'accelerated', [...new Set(list.map(([, why]) => why))]);
  const m2 = (await call(p, '/metrics')).text;
  assert.ok(refusedCount(m2, 'GET', 'platform') >= 12 && refusedCount(m2, 'PUT', 'platform') >= 4, 'accelerated refusals are counted too');
  assert.doesNotMatch(m2, /containerless_outbound_calls_total\{[^}]*(127\.0\.0\.1|169\.254|localhost)/, 'no host in a label');
});

test('--allow-outbound opens a backend exactly; the platform API stays closed, even to a range covering it', async (t) => {
  const backend = await mockBackend(t);
  const host = new URL(backend.url).host;
  const p = await platform(t, { allowOutbound: [host] });
  await deploy(p, 'victim', VICTIM, { env: { SECRET: 's3cr3t' } });
  await deploy(p, 'attacker', ATTACKER);
  const before = (await call(p, '/api/functions/victim')).json();
  const ok = (await call(p, `/fn/attacker/?m=get&url=${encodeURIComponent(`${backend.url}/text`)}`)).json();
  assert.deepEqual(ok, { got: 'plain text', status: 200 }, 'the allowed backend is reached');
  const viaName = (await call(p, `/fn/attacker/?m=get&url=${encodeURIComponent(`http://localhost:${new URL(backend.url).port}/x`)}`)).json();
  assert.equal(viaName.status, 200, 'an address entry covers a name resolving to it');
  const otherPort = (await call(p, `/fn/attacker/?m=get&url=${encodeURIComponent(`http://127.0.0.1:${p.port === 1 ? 2 : 1}/`)}`)).json();
  assert.equal(otherPort.got, 'network-error', 'another loopback port is not opened');
  assert.deepEqual((await call(p, '/fn/attacker/?m=put')).json(), { got: 'network-error', status: null });
  assert.deepEqual((await call(p, '/fn/attacker/?m=get')).json(), { got: 'network-error', status: null });
  await victimUnchanged(p, before);

  // The operator's flag, through `containerless serve`: a range covering loopback still does not open the API.
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-egress-'));
  const port = await freePort();
  const child = await serveProcess(dataDir, port, ['--allow-outbound', `127.0.0.0/8,::1/128,${host}`]);
  t.after(async () => {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  const served = { url: `http://127.0.0.1:${port}` };
  await deploy(served, 'victim', VICTIM, { env: { SECRET: 's3cr3t' } });
  await deploy(served, 'attacker', ATTACKER);
  assert.deepEqual((await call(served, `/fn/attacker/?m=get&url=${encodeURIComponent(`${backend.url}/text`)}`)).json(), { got: 'plain text', status: 200 });
  assert.deepEqual((await call(served, '/fn/attacker/?m=get')).json(), { got: 'network-error', status: null });
  assert.deepEqual((await call(served, '/fn/attacker/?m=delete')).json(), { got: 'network-error', status: null });
  assert.equal((await call(served, '/fn/victim/')).text, 'victim ok 6');
});

test('a bad --allow-outbound entry stops serve with its name', async () => {
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--sandbox', 'process', '--allow-outbound', 'ok.example,bad host'], { env: { ...process.env, LOG_LEVEL: 'warn' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--allow-outbound: bad outbound entry "bad host"/);
});

test('config.outbound within --grant-outbound; network "host" only with --allow-host-network', async (t) => {
  const backend = await mockBackend(t);
  const host = new URL(backend.url).host;
  const p = await platform(t, { grantOutbound: [host, '10.0.0.0/8'] });
  const put = (name: string, config: Record<string, unknown>) =>
    call(p, `/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: ATTACKER, config }) });

  const hostNet = await put('hostnet', { network: 'host' });
  assert.equal(hostNet.status, 400);
  assert.match(hostNet.json().error, /config\.network "host" is not allowed here.*--allow-host-network/);
  const wide = await put('wide', { outbound: ['10.1.0.0/16', '192.168.0.1'] });
  assert.equal(wide.status, 400);
  assert.match(wide.json().error, /config\.outbound entry "192\.168\.0\.1" is not allowed by the operator/);
  const bad = await put('bad', { outbound: ['not a host'] });
  assert.equal(bad.status, 400);
  assert.match(bad.json().error, /config\.outbound: bad outbound entry "not a host"/);
  assert.equal((await call(p, '/api/functions/hostnet')).status, 404, 'nothing was stored');

  await deploy(p, 'granted', ATTACKER, { outbound: [host] });
  await deploy(p, 'attacker', ATTACKER);
  const target = `?m=get&url=${encodeURIComponent(`${backend.url}/text`)}`;
  assert.deepEqual((await call(p, `/fn/granted/${target}`)).json(), { got: 'plain text', status: 200 }, 'the granted function reaches its backend');
  assert.deepEqual((await call(p, `/fn/attacker/${target}`)).json(), { got: 'network-error', status: null }, 'a function not granted it does not');
  assert.deepEqual((await call(p, `/fn/granted/${target}`)).json(), { got: 'plain text', status: 200 });
  assert.deepEqual((await call(p, '/fn/granted/?m=get')).json(), { got: 'network-error', status: null }, 'nor does the grant open the platform');

  const allowed = await platform(t, { allowHostNetwork: true });
  await deploy(allowed, 'hostnet', ATTACKER, { network: 'host' });
  assert.equal((await call(allowed, '/api/functions/hostnet')).json().config.network, 'host');
});
