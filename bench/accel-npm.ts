/**
 * Real npm packages as a function folder's dependencies, bundled as the platform bundles them.
 *
 *   npx tsx bench/accel-npm.ts
 *
 * For each package found in this checkout's node_modules (the project's own dependencies and theirs,
 * so the versions are whatever the lockfile holds), a folder with a Lambda handler that requires it
 * and calls it is bundled by src/platform/source-bundle.ts (esbuild, CommonJS out), traced on one
 * request and run on two through the local pipeline (src/cli/trace-run/pipeline.ts), which compares
 * every answer with plain Node. Prints per package: accelerated, aborted with the first abort's
 * detail, or refused at load with the reason; mismatches must be 0.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFolder } from '../src/platform/source-bundle.ts';
import { runPipeline } from '../src/cli/trace-run/pipeline.ts';
import type { RawRequest } from '../src/api/index.ts';

const ROOT = join(import.meta.dirname, '..');

/** A package, what the handler does with it (`m` is the required module), and packages it needs beside it. */
const PACKAGES: Array<[string, string, string[]?]> = [
  ['ms', "[m('2h'), m(90061000), m(60000, { long: true })]"],
  ['semver', "[m.valid('1.2.3'), m.satisfies('1.2.3', '^1.0.0'), m.inc('1.2.3', 'minor')]"],
  ['minimist', "m('--a 1 -bc --no-d x y'.split(' '))"],
  ['lodash.chunk', 'm([1, 2, 3, 4, 5], 2)'],
  ['lodash.flatten', 'm([1, [2, [3]], 4])'],
  ['lodash.clonedeep', 'm({ a: [1, { b: 2 }] })'],
  ['fast-deep-equal', '[m({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), m({ a: 1 }, { a: 2 })]'],
  ['fast-json-stable-stringify', 'm({ b: 1, a: [2, { d: 1, c: 2 }] })'],
  ['safe-stable-stringify', 'm({ b: 2, a: 1 })'],
  ['json5', "m.parse(\"{a: 1, b: 'x', c: [1,2,],}\")"],
  ['timestring', "m('1h 15m')"],
  ['uri-js', "m.parse('http://user@host:80/p?q#f')"],
  ['punycode', "m.toASCII('mañana.com')"],
  ['mime-types', "[m.lookup('a.json'), m.contentType('html'), m.extension('image/png')]", ['mime-db']],
  ['picomatch', "m('*.js')('index.js')"],
];

const raw = (query: Record<string, string>): RawRequest => ({ method: 'GET', path: '/', query, headers: {}, body: '' });
const noIO = { request: async () => undefined };

let mismatched = 0;
const tally = { accelerated: 0, aborted: 0, refused: 0, missing: 0 };
for (const [pkg, use, beside = []] of PACKAGES) {
  if (!existsSync(join(ROOT, 'node_modules', pkg))) {
    tally.missing++;
    console.log(`${pkg.padEnd(28)} not in node_modules`);
    continue;
  }
  const dir = mkdtempSync(join(tmpdir(), 'accel-npm-'));
  try {
    for (const p of [pkg, ...beside]) cpSync(join(ROOT, 'node_modules', p), join(dir, 'node_modules', p), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "fn", "main": "index.js" }');
    writeFileSync(join(dir, 'index.js'), `const m = require(${JSON.stringify(pkg)});\nexports.handler = async (event) => {\n  try { return { r: ${use}, q: event.queryStringParameters ?? null }; } catch (e) { return { e: e.name + ': ' + e.message }; }\n};\n`);
    const source = await bundleFolder(dir);
    const report = await runPipeline({ source, train: [raw({})], test: [raw({}), raw({ x: '1' })], io: noIO, timeoutMs: 10_000 });
    mismatched += report.counts.mismatched;
    if (report.failure) {
      tally.refused++;
      console.log(`${pkg.padEnd(28)} refused at ${report.failure.stage}: ${report.failure.message.slice(0, 110)}`);
    } else if (report.counts.aborted > 0) {
      tally.aborted++;
      console.log(`${pkg.padEnd(28)} aborted ${report.counts.aborted}/2: ${report.results.find((r) => r.abort)?.abort?.detail ?? ''}`);
    } else {
      tally.accelerated++;
      console.log(`${pkg.padEnd(28)} accelerated ${report.counts.equal}/2`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\n${PACKAGES.length} packages: ${tally.accelerated} accelerated, ${tally.aborted} aborting per request, ${tally.refused} refused at load, ${tally.missing} missing; mismatched answers ${mismatched}`);
