import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceError, checkSource, validateConfig, resolveConfig, DEFAULT_CONFIG, ConfigError, SlidingPeak } from '../../src/platform/index.ts';

function sourceError(src: string): SourceError {
  try {
    checkSource(src);
  } catch (err) {
    assert.ok(err instanceof SourceError);
    return err;
  }
  assert.fail('accepted');
}

test('sources that call listen on the containerless module are accepted', () => {
  checkSource(`const c = require('containerless'); c.listen(function (req) { c.respond('hi'); });`);
  checkSource(`var x; x = require('containerless'); if (true) { x.listen((r) => x.respond(1)); }`);
  checkSource(`require('containerless').listen(function () {});`);
  checkSource(`const { listen, respond } = require('containerless'); listen(() => respond(1));`);
  checkSource(`#!/usr/bin/env node\nconst c = require("containerless");\nreturn c['listen'](() => 0);`);
});

test('a syntax error gives 1-based line and column', () => {
  const e = sourceError(`const c = require('containerless');\nc.listen(function (req) {\n  c.respond('x' +);\n});`);
  assert.equal(e.line, 3);
  assert.equal(e.column, 18);
  assert.match(e.message, /syntax error/);
});

test('no listen call on the module is refused', () => {
  assert.match(sourceError(`const c = require('containerless'); c.respond('x');`).message, /no handler found.*four function styles/);
  assert.match(sourceError(`const c = require('other'); c.listen(() => 0);`).message, /no handler found.*four function styles/);
  assert.match(sourceError(`server.listen(8080);`).message, /no handler found.*four function styles/);
});

test('config validation and defaults', () => {
  assert.deepEqual(resolveConfig({}), { ...DEFAULT_CONFIG, env: {} });
  assert.equal(resolveConfig({ timeout_ms: 500 }).timeout_ms, 500);
  assert.throws(() => validateConfig({ timeout_ms: -1 }), ConfigError);
  assert.throws(() => validateConfig({ network: 'bridge' }), ConfigError);
  assert.throws(() => validateConfig({ env: { A: 1 } }), ConfigError);
  assert.throws(() => validateConfig({ nope: 1 }), /unknown config key/);
  assert.throws(() => validateConfig([]), ConfigError);
});

test('sliding peak forgets bursts older than its window', () => {
  let now = 0;
  const w = new SlidingPeak(1000, () => now);
  w.record(5);
  now = 500;
  w.record(2);
  assert.equal(w.peak(), 5);
  now = 1150;
  assert.equal(w.peak(), 2);
  now = 5000;
  assert.equal(w.peak(), 0);
});
