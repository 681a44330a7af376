// A function with eight kinds of request, and the answer each must get: the concurrency test and
// bench/accel-burst.ts train two kinds, then send all eight at once, so six are unknown paths. Arms no
// request reached are compiled too; these six abort (`unknown-path`) because each stores text into
// `n`, which the two traced kinds keep numeric (docs/compiled-code.md), until they are learned.
export const MIX_SOURCE = `const c = require('containerless');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
c.listen(function (req) {
  const k = Number(req.query.k);
  const v = Number(req.query.v);
  let n = 0;
  let out;
  switch (k) {
    case 0: n = +v + 1; out = 'zero ' + n; break;
    case 1: n = v * 2; out = 'one ' + n; break;
    case 2: n = String(v).split('').reverse().join(''); out = 'two ' + n; break;
    case 3: { const xs = []; for (let i = 0; i < v % 50; i++) xs.push(i); n = 'three ' + xs.length; out = n; break; }
    case 4: n = 'four ' + fib(v % 15); out = n; break;
    case 5: n = v % 7 === 0 ? 'seven' : 'not'; out = 'five ' + n; break;
    case 6: n = JSON.stringify({ v: v }); out = 'six ' + n; break;
    default: n = 'other ' + k; out = n;
  }
  c.respond(out);
});`;

export const MIX_KINDS = 8;

/** Its config: one container takes every re-execution, so no container starts during a burst. */
export const MIX_CONFIG = { concurrency: 256, max_containers: 1, max_queue: 1000 };

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function mixExpected(k: number, v: number): string {
  switch (k) {
    case 0: return `zero ${v + 1}`;
    case 1: return `one ${v * 2}`;
    case 2: return `two ${String(v).split('').reverse().join('')}`;
    case 3: return `three ${v % 50}`;
    case 4: return `four ${fib(v % 15)}`;
    case 5: return `five ${v % 7 === 0 ? 'seven' : 'not'}`;
    case 6: return `six ${JSON.stringify({ v })}`;
    default: return `other ${k}`;
  }
}
