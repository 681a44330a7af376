// Patterns people write that RE2 cannot run (lookahead, backreferences) answer as Node does on the
// backtracking matcher; catastrophic ones end in the fuel abort and the instance keeps answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accelerate, both, raw } from './helpers.ts';
import { CountingHost } from './regexp-backtrack-check.ts';
import { backtrackAt, compileBacktrack, newMeter } from '../../src/accelerator/builtins/regexp-backtrack.ts';
import type { Host } from '../../src/accelerator/builtins/host.ts';

const H = `const c = require('containerless');\n`;

test('common lookahead and backreference patterns agree with Node', async () => {
  const body = `
    const out = [];
    out.push(/^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z]).{8,}$/.test(x));
    out.push(String(x.length * 1234567).replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','));
    out.push(x.replace(/\\b(\\w+)\\s+\\1\\b/gi, '$1'), /\\b(\\w+)\\s+\\1\\b/.exec(x));
    out.push([...x.matchAll(/(["'])(.*?)\\1/g)].map((m) => [m[0], m[1], m[2], m.index]));
    out.push(x.split(/(?<=,)(?!\\s)/), x.match(/(?<q>["']).*?\\k<q>/g), x.search(/(\\w)\\1/));
    const r = /(a)|b(?=c)/dgy; out.push(r.exec(x), r.lastIndex, r.test(x), r.lastIndex);
    out.push(x.replace(/(?<w>\\w+)(?= \\k<w>)/g, (m, w, off, s, g) => '<' + m + off + g.w + '>'));`;
  const src = `${H}c.listen(function (req) { const x = req.query.x; ${body}\n c.respond(out); });`;
  const xs = ['Passw0rdX', 'weak', 'the the cat sat sat on the mat', 'say "hi" and \'bye\' then "x', 'a,b, c,,d', 'abc bcc', 'Hello hello world', ''];
  const { node, accel } = await both(src, xs.map((x) => raw({ query: { x } })));
  for (const [i, x] of xs.entries()) {
    assert.notEqual((accel[i] as { kind?: string }).kind, 'abort', `${x}: ${JSON.stringify(accel[i])}`);
    assert.deepEqual(accel[i], node[i], JSON.stringify(x));
  }
});

test('catastrophic patterns on the backtracker end in the fuel abort, and the instance answers next', async () => {
  // Each pattern has a lookahead or a backreference, so RE2 cannot take it.
  for (const code of [`/(?=a)(a+)+$/.test('a'.repeat(30000) + '!')`, `/(a|a)*\\1b/.test('a'.repeat(30000))`, `/^(?=\\w)(\\w+\\s?)*$/.test('ab '.repeat(10000) + '!')`]) {
    const src = `${H}c.listen(function (req) { if (req.query.x === 'slow') c.respond(${code}); else c.respond('ok'); });`;
    const inst = accelerate(src);
    const r = await inst.handle(raw({ query: { x: 'slow' } }), { timeoutMs: 60000 });
    assert.equal(r.kind, 'abort', `${code}: ${JSON.stringify(r).slice(0, 300)}`);
    assert.equal((r as { reason: string }).reason, 'fuel', code);
    const next = await accelerate(src).handle(raw({ query: { x: 'fast' } }), { timeoutMs: 60000 });
    assert.equal(next.kind, 'response', JSON.stringify(next).slice(0, 300));
  }
});

test('every step is fuel: a longer backtracking match costs more', () => {
  const prog = compileBacktrack('^(?=(a+))\\1b', '');
  const cost = (n: number): number => {
    const h = new CountingHost();
    assert.equal(backtrackAt(h as unknown as Host, prog, 'a'.repeat(n), 0, newMeter()), null);
    return h.used;
  };
  const small = cost(1000);
  const large = cost(4000);
  assert.ok(small > 100 && large > 3 * small, `${small} then ${large}`);
  const h = new CountingHost(5000);
  assert.throws(() => backtrackAt(h as unknown as Host, compileBacktrack('(a|a)*\\1b', ''), 'a'.repeat(40), 0, newMeter()), /fuel/);
  assert.ok(h.bytes > 0, 'the backtrack stack is charged as memory');
});
