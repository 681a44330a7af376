import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ABORT_REASONS, MAX_ABORT_DETAIL } from '../../src/accelerator/index.ts';
import { BIN } from '../e2e/helpers.ts';
import { accelPlatform, call, deploy, fnInfo, untilAccelerated } from './helpers.ts';

// A module name taken from the request: before abort reasons were a closed set, each name made a new
// label value of containerless_aborts_total and a new key of stats.aborts.
const MODS = `const c = require('containerless');
c.listen(function (req) {
  if (req.query.m) {
    let got;
    try { got = typeof require(req.query.m); } catch (e) { got = 'missing'; }
    c.respond(got);
  } else c.respond('ok');
});`;

/** The `reason` label values of containerless_aborts_total for one function, with their counts. */
function abortLabels(metrics: string, fn: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    const m = /^containerless_aborts_total\{function="([^"]*)",reason="([^"]*)"\} (\d+)$/.exec(line);
    if (m && m[1] === fn) out.set(m[2]!, Number(m[3]));
  }
  return out;
}

test('aborts on module names from the request add no label values and no counter keys; the detail names each module', async (t) => {
  const p = await accelPlatform(t);
  await deploy(p, 'mods', MODS);
  // Pinned accelerated: never demoted, so every one of the requests below is an accelerated attempt.
  assert.equal((await call(p, '/api/functions/mods/mode', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"accelerated"}' })).status, 200);
  for (let i = 0; i < 3; i++) assert.equal((await call(p, `/fn/mods/?m=warm-${i}`)).text, 'missing');
  assert.equal((await untilAccelerated(p, '/fn/mods/')).text, 'ok');

  // Learning the paths may have aborted already (an arm not yet traced: unknown-path).
  const before = abortLabels((await call(p, '/metrics')).text, 'mods');
  const keysBefore = Object.keys((await fnInfo(p, 'mods')).stats.aborts as Record<string, number>);
  const names = Array.from({ length: 30 }, (_, i) => `pkg-${i}-${Math.random().toString(36).slice(2, 8)}`);
  for (const name of names) {
    const r = await call(p, `/fn/mods/?m=${name}`);
    assert.deepEqual([r.status, r.text, r.headers.get('x-containerless-reexecuted')], [200, 'missing', '1'], name);
  }

  const after = abortLabels((await call(p, '/metrics')).text, 'mods');
  const expected = [...new Set([...before.keys(), 'unsupported:module'])].sort();
  assert.deepEqual([...after.keys()].sort(), expected, 'one label value for all thirty modules');
  assert.equal(after.get('unsupported:module')! - (before.get('unsupported:module') ?? 0), 30);
  const all = new Set<string>(ABORT_REASONS);
  for (const line of (await call(p, '/metrics')).text.split('\n')) {
    const m = /^containerless_aborts_total\{[^}]*reason="([^"]*)"/.exec(line);
    if (m) assert.ok(all.has(m[1]!), `label value outside the closed set: ${line}`);
  }

  const info = await fnInfo(p, 'mods');
  assert.deepEqual(Object.keys(info.stats.aborts).sort(), [...new Set([...keysBefore, 'unsupported:module'])].sort(), JSON.stringify(info.stats.aborts));
  for (const k of Object.keys(info.stats.aborts)) assert.ok(all.has(k), `stats.aborts key outside the closed set: ${k}`);
  assert.equal(info.stats.aborts['unsupported:module'], after.get('unsupported:module'));

  const logs = (await call(p, '/api/functions/mods/logs?limit=100')).json() as Array<{ abort_reason?: string; abort_detail?: string; reexecuted: boolean }>;
  const aborted = logs.filter((a) => a.abort_reason !== undefined);
  for (const name of names) {
    const a = aborted.find((x) => x.abort_detail?.startsWith(`require:${name} at `));
    assert.ok(a, `an activation whose abort_detail names ${name}: ${JSON.stringify(aborted.slice(0, 3))}`);
    assert.equal(a.abort_reason, 'unsupported:module');
    assert.equal(a.reexecuted, true);
    assert.match(a.abort_detail!, /^require:pkg-\d+-\w+ at \d+:\d+$/);
  }

  // A name of any length: the detail is bounded, the label set unchanged.
  const long = 'x'.repeat(5000);
  assert.equal((await call(p, `/fn/mods/?m=${long}`)).text, 'missing');
  const newest = ((await call(p, '/api/functions/mods/logs?limit=1')).json() as Array<{ abort_reason?: string; abort_detail?: string }>)[0]!;
  assert.equal(newest.abort_reason, 'unsupported:module');
  assert.ok(newest.abort_detail!.startsWith('require:xxx') && newest.abort_detail!.length <= MAX_ABORT_DETAIL + 20, newest.abort_detail);
  assert.deepEqual([...abortLabels((await call(p, '/metrics')).text, 'mods').keys()].sort(), expected);

  // `containerless logs` shows reason and detail; a detail from the request reaches the terminal quoted.
  assert.equal((await call(p, `/fn/mods/?m=${encodeURIComponent('evil\x1b[31m')}`)).text, 'missing');
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'logs', 'mods', '-n', '1', '--url', p.url]);
  assert.match(stdout, / re-executed abort=unsupported:module detail="require:evil\\u001b\[31m at \d+:\d+"\n/);
  assert.ok(!stdout.includes('\x1b'), stdout);
});
