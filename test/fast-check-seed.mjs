/**
 * Property tests draw their inputs from one fixed seed, so that a run of the suite (CI's above all)
 * is repeatable: a failure there is a failure of the change, not of the day's draw. Exploring new
 * inputs is a deliberate act: `FC_SEED=random npm test` (or a number, to replay a failure that
 * fast-check reported with its seed). Loaded before every test file by scripts/run-tests.mjs; plain
 * JavaScript, because worker threads the tests start inherit the flag without tsx's loader, and it
 * does nothing in them.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const asked = process.env.FC_SEED ?? '20261204';
  if (asked !== 'random') {
    const seed = Number(asked);
    if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(asked)}`);
    const { default: fc } = await import('fast-check');
    fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
  }
}
