import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from '../e2e/helpers.ts';

/** `serve` with the given flags, expected to refuse them before starting anything. */
async function refused(...flags: string[]): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [BIN, 'serve', '--port', '0', '--sandbox', 'process', ...flags], { timeout: 30_000 });
  } catch (err) {
    const e = err as { code: number; stderr: string };
    assert.equal(e.code, 1);
    return e.stderr;
  }
  assert.fail(`serve accepted ${flags.join(' ')}`);
}

test('serve refuses a start concurrency or stem-cell count that is not a whole number in range, naming the flag', async () => {
  assert.match(await refused('--start-concurrency', '0'), /bad --start-concurrency 0: a positive integer/);
  assert.match(await refused('--start-concurrency', '1.5'), /bad --start-concurrency 1.5/);
  assert.match(await refused('--stem-cells', '-1'), /bad --stem-cells -1: a whole number, 0 or more/);
});

test('serve refuses a container count that is not a positive whole number, rather than taking a default', async () => {
  assert.match(await refused('--max-containers', 'lots'), /bad --max-containers lots: a positive integer/);
  assert.match(await refused('--max-containers', '0'), /bad --max-containers 0/);
});
