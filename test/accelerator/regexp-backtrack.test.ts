// The backtracking matcher (src/accelerator/builtins/regexp-backtrack.ts) against V8: random patterns
// with lookaround, backreferences, quantified captures and case folding, matched at every start
// position of every input, must give V8's match and captures; a runaway pattern ends in the fuel abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differential } from './regexp-backtrack-check.ts';

test('random patterns with lookaround and backreferences match as V8 does, at every start position', () => {
  const tried = differential(11, 3000);
  assert.ok(tried > 2000, `only ${tried} patterns compiled`);
});
