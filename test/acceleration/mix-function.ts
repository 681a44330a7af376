// A function with eight kinds of request, and the answer each must get: the concurrency test and
// bench/accel-burst.ts train two kinds, then send all eight at once, so six are unknown paths.
export const MIX_SOURCE = `const c = require('containerless');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
c.listen(function (req) {
  const k = Number(req.query.k);
  const v = Number(req.query.v);
  let out;
  switch (k) {
    case 0: out = 'zero ' + (v + 1); break;
    case 1: out = 'one ' + (v * 2); break;
    case 2: out = 'two ' + String(v).split('').reverse().join(''); break;
    case 3: { const xs = []; for (let i = 0; i < v % 50; i++) xs.push(i); out = 'three ' + xs.length; break; }
    case 4: out = 'four ' + fib(v % 15); break;
    case 5: out = 'five ' + (v % 7 === 0 ? 'seven' : 'not'); break;
    case 6: out = 'six ' + JSON.stringify({ v: v }); break;
    default: out = 'other ' + k;
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
