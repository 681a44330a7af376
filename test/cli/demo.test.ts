import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'containerless.js');

test('containerless demo starts the platform, deploys the examples, drives traffic and exits 0', async () => {
  const { stdout } = await run(process.execPath, [BIN, 'demo', '-n', '40', '-c', '4'], { timeout: 120_000 });
  assert.match(stdout, /platform at http:\/\/127\.0\.0\.1:\d+, sandbox runc/);
  for (const name of ['hello', 'echo', 'login', 'status']) {
    const row = stdout.split('\n').find((l) => l.trim().startsWith(`${name} `));
    assert.ok(row, `a row for ${name}`);
    const cells = row.trim().split(/\s+/);
    // The modes column lists the modes seen (the default policy traces first, then accelerates).
    assert.match(cells[1]!, /^(container|tracing|accelerated)(\+(container|tracing|accelerated))*$/, row);
    assert.deepEqual(cells.slice(2, 4), ['40', '0'], row);
    // Then each function either moves to accelerated or the demo says why not, and ends normally.
    assert.match(stdout, new RegExp(`^  ${name}: (accelerated after \\d+ requests|acceleration unavailable: )`, 'm'));
  }
  assert.match(stdout, /containers req\/s .* accelerated req\/s/);
  // Then the other styles' examples, deployed unchanged, answer as their platforms would.
  for (const [name, style] of [['lambda', 'lambda'], ['worker', 'web'], ['openwhisk', 'openwhisk'], ['router', 'paper']]) {
    assert.match(stdout, new RegExp(`^  ${name} +${style} `, 'm'), `a row for ${name}`);
  }
  assert.match(stdout, /^every style answered as its platform would$/m);
});

test('a failing client command exits non-zero with one line on stderr', async () => {
  await assert.rejects(run(process.execPath, [BIN, 'get', 'x', '--url', 'http://127.0.0.1:1']), (err: { code: number; stderr: string }) => {
    assert.notEqual(err.code, 0);
    assert.equal(err.stderr.trim().split('\n').length, 1);
    assert.match(err.stderr, /^containerless: cannot reach http:\/\/127\.0\.0\.1:1/);
    return true;
  });
});
