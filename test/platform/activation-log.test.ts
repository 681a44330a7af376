import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOG_TRUNCATED_LINE } from '../../src/api/index.ts';
import { StagedLog } from '../../src/acceleration/staged-log.ts';
import { ActivationLog } from '../../src/platform/activation-log.ts';

test('ActivationLog: bytes and lines capped, one truncation line, stderr prefixed', () => {
  const log = new ActivationLog(200, 100);
  assert.equal(log.add('stdout', 'a'.repeat(40)), true);
  assert.equal(log.add('stderr', 'b'.repeat(40)), true);
  assert.equal(log.add('stdout', 'c'.repeat(40)), false);
  assert.equal(log.add('stdout', 'd'), false);
  assert.deepEqual(log.lines, ['a'.repeat(40), `[stderr] ${'b'.repeat(40)}`, LOG_TRUNCATED_LINE]);
  const byLines = new ActivationLog(2);
  for (let i = 0; i < 5; i++) byLines.add('stdout', `l${i}`);
  assert.deepEqual(byLines.lines, ['l0', 'l1', LOG_TRUNCATED_LINE]);
  // The default byte cap with 1 KB lines: 64 KiB kept, then the marker.
  const def = new ActivationLog(10_000);
  for (let i = 0; i < 500; i++) def.add('stdout', 'x'.repeat(1023));
  assert.equal(def.lines.length, 65);
  assert.equal(def.lines.at(-1), LOG_TRUNCATED_LINE);
  // A staged accelerated attempt holds at most the cap plus one line, and replays into a truncation.
  const staged = new StagedLog();
  for (let i = 0; i < 500; i++) staged.add('stdout', 'y'.repeat(1023));
  assert.equal(staged.entries.length, 65);
  const replay = new ActivationLog();
  for (const [stream, line] of staged.entries) replay.add(stream, line);
  assert.equal(replay.lines.at(-1), LOG_TRUNCATED_LINE);
});
