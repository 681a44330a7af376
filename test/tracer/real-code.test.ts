import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { buildSkeleton, instrument } from '../../src/tracer/index.ts';

// Real-world CommonJS (installed dependencies) exercises syntax no hand-written case thinks of:
// every file that compiles as a function body must still compile once instrumented, with its
// lines in place.
const PACKAGES = ['undici/lib', 'pino/lib', 'commander/lib', '@babel/generator/lib', 'cli-progress/lib', 'better-sqlite3/lib'];
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', 'console'];

function jsFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out; // package not installed
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) jsFiles(p, out);
    else if (name.endsWith('.js')) out.push(p);
  }
  return out;
}

const lines = (s: string) => s.split(/\r\n|[\n\r\u2028\u2029]/).length;

test('installed CommonJS files still compile when instrumented, lines unmoved', () => {
  const files = PACKAGES.flatMap((p) => jsFiles(join('node_modules', p))).slice(0, 150);
  let checked = 0;
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    try {
      vm.compileFunction(source, PARAMS);
    } catch {
      continue; // ES modules and the like: not function files
    }
    const { code, skeleton } = instrument(source);
    assert.doesNotThrow(() => vm.compileFunction(code, [...PARAMS, '$__cl']), file);
    assert.equal(lines(code), lines(source), file);
    assert.ok(skeleton.armCount >= 1);
    checked++;
  }
  assert.ok(checked >= 100, `only ${checked} files checked`);
});

test('a #! line, CRLF line ends and a shorthand `arguments` are handled', () => {
  const src = '#!/usr/bin/env node\r\nconst c = require("containerless");\r\nfunction f() { return { arguments }; }\r\n';
  const { code } = instrument(src);
  assert.ok(code.startsWith('#!/usr/bin/env node\r\n$__cl.p[0] = 1;'), code);
  // `arguments` is supported now: the shorthand stays as written (no marker around it).
  assert.match(code, /\{ arguments \}/);
  assert.doesNotThrow(() => vm.compileFunction(code, [...PARAMS, '$__cl']));
  assert.equal(lines(code), lines(src));
  assert.equal(buildSkeleton('#!/bin/sh').armCount, 1);
  assert.doesNotThrow(() => vm.compileFunction(instrument('#!/bin/sh').code, ['$__cl']));
});
