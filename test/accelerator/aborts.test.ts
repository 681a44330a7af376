import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABORT_REASONS, MAX_ABORT_DETAIL, boundDetail, describeAbortDetail, isAbortReason } from '../../src/accelerator/index.ts';
import { accelerate, raw } from './helpers.ts';

test('the reasons are a small closed set; nothing else is one', () => {
  assert.equal(new Set(ABORT_REASONS).size, ABORT_REASONS.length);
  assert.ok(ABORT_REASONS.length <= 12);
  for (const r of ABORT_REASONS) assert.ok(isAbortReason(r));
  for (const r of ['unsupported', 'unsupported:require:fs', 'unsupported:String.prototype.normalize', '', 'Fuel', undefined, 1]) assert.ok(!isAbortReason(r), String(r));
});

test('details are bounded, never splitting a surrogate pair', () => {
  assert.equal(boundDetail('require:fs'), 'require:fs');
  const long = boundDetail('x'.repeat(10_000));
  assert.equal(long.length, MAX_ABORT_DETAIL);
  assert.ok(long.endsWith('…'));
  for (let pad = 0; pad < 4; pad++) {
    const cut = boundDetail('a'.repeat(MAX_ABORT_DETAIL - 4 + pad) + '😀'.repeat(200));
    assert.ok(cut.length <= MAX_ABORT_DETAIL);
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(cut), `no lone surrogate (pad ${pad})`);
  }
  assert.equal(describeAbortDetail({ detail: 'require:fs', loc: { line: 3, column: 14 } }), 'require:fs at 3:14');
  assert.equal(describeAbortDetail({ detail: 'more than 10 units' }), 'more than 10 units');
});

test('a module name from the request is the detail, bounded; the reason stays unsupported:module', async () => {
  const inst = accelerate(`const c = require('containerless'); c.listen(function (req) { c.respond(typeof require(req.query.m)); });`);
  const name = 'n'.repeat(5000);
  const r = await inst.handle(raw({ query: { m: name } }), { timeoutMs: 1000 });
  assert.equal(r.kind, 'abort');
  if (r.kind !== 'abort') return;
  assert.equal(r.reason, 'unsupported:module');
  assert.ok(r.detail.startsWith('require:nnn') && r.detail.length === MAX_ABORT_DETAIL, r.detail.slice(0, 40));
  assert.ok(r.loc && r.loc.line === 1, JSON.stringify(r.loc));
});
