import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `containerless trace-run` end to end, as a user runs it (docs/trace-run.md).

const root = fileURLToPath(new URL('../../', import.meta.url));
const SUMMARY = /^(\d+) equal, (\d+) aborted, (\d+) mismatched$/;

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/containerless.js', 'trace-run', ...args], { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1) ?? '';

test('trace-run on a corpus example prints one line per test request and the summary last', async () => {
  const r = await run(['corpus/maze.js', '--train', 'corpus/examples/maze.train.json', '--test', 'corpus/examples/maze.test.json']);
  const m = SUMMARY.exec(lastLine(r.stdout));
  assert.ok(m, `last line: ${lastLine(r.stdout)}\nstderr: ${r.stderr}`);
  assert.equal(Number(m[1]) + Number(m[2]) + Number(m[3]), 5);
  assert.equal(m[3], '0');
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trimEnd().split('\n').filter((l) => /^#\d+ (equal|aborted|mismatched) /.test(l)).length, 5);
});

test('trace-run --json prints JSON Lines and still ends with the summary; --mock-backend serves outbound calls', async () => {
  const r = await run(['corpus/banking.js', '--json', '--mock-backend', '--train', 'corpus/examples/banking.train.json', '--test', 'corpus/examples/banking.test.json']);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(SUMMARY.test(lines.at(-1)!), `last line: ${lines.at(-1)}\nstderr: ${r.stderr}`);
  const records = lines.slice(0, -1).map((l) => JSON.parse(l) as { verdict: string; oracle: { outbound: unknown[] } });
  assert.equal(records.length, 6);
  assert.ok(records.some((x) => x.oracle.outbound.length > 0), 'banking calls its backend');
  assert.ok(records.every((x) => x.verdict !== 'mismatched'));
  assert.equal(r.code, 0);
});

test('trace-run exits 1 on a mismatch (a backend that answers differently each time); CONTAINERLESS_ALLOW_OUTBOUND lets it reach a loopback backend', async () => {
  let n = 0;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ n: ++n }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'cl-trace-run-'));
  try {
    const reqs = join(dir, 'reqs.json');
    writeFileSync(reqs, JSON.stringify([{ path: '/', headers: { 'x-backend': url } }]));
    const file = fileURLToPath(new URL('./fixtures/counter-backend.js', import.meta.url));
    // Not allowed: the backend is on loopback, refused as the platform refuses it (both runs get undefined).
    const refused = await run([file, '--json', '--train', reqs, '--test', reqs]);
    assert.equal(refused.code, 0, refused.stderr);
    const record = JSON.parse(refused.stdout.trimEnd().split('\n')[0]!) as { verdict: string; oracle: { response: { body: string } } };
    assert.deepEqual([record.verdict, record.oracle.response.body], ['equal', '{}'], 'the function got undefined ({ got: undefined } is {})');
    assert.equal(n, 0, 'the backend was never called');
    const r = await run([file, '--train', reqs, '--test', reqs], { CONTAINERLESS_ALLOW_OUTBOUND: `example.com,${new URL(url).host}` });
    const m = SUMMARY.exec(lastLine(r.stdout));
    assert.ok(m, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.equal(m[3], '1', `a changing backend answer is a mismatch: ${r.stdout}`);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /mismatched[\s\S]*body: expected/);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trace-run exits 1 with a one-line reason when the file does not parse or the arguments are bad', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cl-trace-run-'));
  try {
    const bad = join(dir, 'bad.js');
    writeFileSync(bad, 'const c = require("containerless"); c.listen(function (req) { c.respond( });');
    const reqs = join(dir, 'reqs.json');
    writeFileSync(reqs, '[{"path":"/"}]');
    const r = await run([bad, '--train', reqs, '--test', reqs]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /failed/);
    const notArray = join(dir, 'obj.json');
    writeFileSync(notArray, '{"path":"/"}');
    const r2 = await run(['corpus/maze.js', '--train', notArray, '--test', reqs]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /--train: expected a JSON array/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
