// A function folder as the platform bundles it (src/platform/source-bundle.ts: esbuild, CommonJS
// out), run through the local pipeline: CommonJS dependencies (esbuild's __commonJS wrapper,
// `module.exports = fn; module.exports.x = …`, Object.prototype.toString.call, hasOwnProperty.call)
// are accelerated and
// answer as the original does; an ES-module dependency (esbuild's getter-based interop) stays in
// containers, refused when compiled code loads, never answered differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleFolder } from '../../src/platform/source-bundle.ts';
import { runPipeline } from '../../src/cli/trace-run/pipeline.ts';
import { raw, recordingIO } from './helpers.ts';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cl-bundled-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const SLUGGER = `'use strict';
var DEFAULTS = { sep: '-', lower: true };
function slugify(text, opts) {
  var o = Object.assign({}, DEFAULTS, opts);
  var s = String(text).normalize('NFKD').replace(/[\\u0300-\\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, o.sep);
  s = s.split(o.sep).filter(Boolean).join(o.sep);
  return o.lower ? s.toLowerCase() : s;
}
function isPlainObject(v) { return Object.prototype.toString.call(v) === '[object Object]'; }
function pick(obj) {
  var keys = [], out = {};
  for (var i = 1; i < arguments.length; i++) keys.push(arguments[i]);
  for (var k in obj) if (Object.prototype.hasOwnProperty.call(obj, k) && keys.indexOf(k) >= 0) out[k] = obj[k];
  return out;
}
module.exports = slugify;
module.exports.slugify = slugify;
module.exports.isPlainObject = isPlainObject;
module.exports.pick = pick;
module.exports.default = slugify;
`;

const HANDLER = `const slugify = require('slugger');
const { isPlainObject, pick } = require('slugger');
const fmt = require('tinyfmt');
exports.handler = async (event) => {
  const q = event.queryStringParameters ?? {};
  const title = q.title ?? 'Hello World';
  return { slug: slugify(title), upper: slugify(title, { lower: false, sep: '_' }), plain: [isPlainObject(q), isPlainObject([q])], picked: pick(q, 'title', 'd'),
    day: fmt.ymd(new Date(Date.UTC(2024, 0, Number(q.d ?? 1)))), price: fmt.default(Number(q.c ?? 1999)), v: fmt.VERSION };
};
`;

const requests = [raw({ query: { title: 'Déjà Vu!', d: '5', c: '250' } }), raw({ query: {} }), raw({ query: { title: '  a  b ', x: 'y' } }), raw({ query: { d: '40' } })];

/** Bundles a folder with the handler, slugger (CommonJS) and tinyfmt as given, and runs it through the pipeline. */
async function bundledRun(tinyfmt: { packageJson: string; index: string }, helper: RegExp) {
  const dir = folder({
    'package.json': '{ "name": "fn", "main": "index.js" }',
    'index.js': HANDLER,
    'node_modules/slugger/package.json': '{ "name": "slugger", "main": "index.js" }',
    'node_modules/slugger/index.js': SLUGGER,
    'node_modules/tinyfmt/package.json': tinyfmt.packageJson,
    'node_modules/tinyfmt/index.js': tinyfmt.index,
  });
  const source = await bundleFolder(dir);
  assert.match(source, helper);
  const report = await runPipeline({ source, train: requests.slice(0, 1), test: requests, io: recordingIO() });
  assert.equal(report.failure, undefined, JSON.stringify(report.failure));
  assert.deepEqual(report.counts, { equal: requests.length, aborted: 0, mismatched: 0 }, JSON.stringify(report.results.filter((r) => r.verdict !== 'equal')).slice(0, 800));
}

test('a folder with CommonJS dependencies, bundled as the platform bundles it, is accelerated and answers as Node', async () => {
  await bundledRun({
    packageJson: '{ "name": "tinyfmt", "main": "index.js" }',
    index: `exports.VERSION = '2.0.0';
function pad(n, w = 2) { return String(n).padStart(w, '0'); }
exports.ymd = function ymd(d) { return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); };
exports.default = function money(cents, cur = 'EUR') { return (cents / 100).toFixed(2) + ' ' + cur; };`,
  }, /__commonJS/);
});

test('an ES-module dependency (getters in esbuild\'s interop) is accelerated too', async () => {
  await bundledRun({
    packageJson: '{ "name": "tinyfmt", "type": "module", "exports": "./index.js" }',
    index: `export const VERSION = '2.0.0';
const pad = (n, w = 2) => String(n).padStart(w, '0');
export function ymd(d) { return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); }
export default function money(cents, cur = 'EUR') { return (cents / 100).toFixed(2) + ' ' + cur; }`,
  }, /__toCommonJS/);
});
