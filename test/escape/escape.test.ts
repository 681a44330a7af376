import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startMockBackend, type MockBackend } from '../../src/cli/trace-run/mock-backend.ts';
import { createHttpIO } from '../../src/cli/trace-run/http-io.ts';
import { runPipeline, type TestResult } from '../../src/cli/trace-run/pipeline.ts';
import { formatResultLine } from '../../src/cli/trace-run/format.ts';
import { BACKEND_HEADER, toRawRequest } from '../../src/cli/trace-run/request-spec.ts';

// The escape suite (DESIGN invariant 2): function sources that try to reach the host — the vm2
// CVEs rewritten as containerless functions, and their kin — run accelerated after tracing every
// path. None may answer, log or send anything from process.env, a file, or a host object; each
// request either gives Node's answer or aborts. The Node oracle itself is no sandbox: for the CVE
// fixtures it must leak, which shows the fixtures are real attacks.

const fixtures: Record<string, string[]> = {
  'cve-2023-29017': ['/function', '/this'],
  'cve-2023-30547': ['/'],
  'cve-2023-32314': ['/'],
  'cve-2023-37466': ['/'],
  'cve-2023-37903': ['/inspect', '/proxy'],
  'constructor-chain': ['/object', '/string', '/number', '/array', '/arrow', '/method', '/req', '/query', '/api', '/module', '/error', '/math', '/json'],
  'proto-chain': ['/read', '/req', '/fn', '/write', '/literal', '/prototype'],
  'get-prototype-of': ['/req', '/api', '/descriptor', '/names', '/reflect'],
  'prepare-stack-trace': ['/callsites', '/capture', '/stack'],
  'arguments-callee': ['/caller', '/callee', '/helper', '/length'],
  getters: ['/literal', '/define', '/legacy', '/respond-options'],
  'tostring-valueof': ['/tostring', '/valueof', '/tojson', '/status', '/plain'],
  symbols: ['/iterator', '/toprimitive', '/species', '/registry', '/key'],
  'this-global': ['/this', '/globalthis', '/sloppy', '/arrow-this', '/process', '/global', '/typeof'],
  'require-eval': ['/fs', '/module', '/eval', '/indirect-eval', '/function', '/new-function', '/import', '/env'],
  'host-values': ['/meta', '/body', '/runtime-error', '/headers', '/exfiltrate', '/json-reviver', '/sort-comparator'],
  'process-env': ['/env-constructor', '/env-proto', '/env-proto-key', '/process-constructor', '/get-prototype-of', '/main-module', '/binding', '/env-method', '/env-proto-write', '/env-canary'],
  'host-boundary': ['/closure', '/closure-field', '/closure-array', '/error', '/error-field', '/namespaces', '/builtin-fn', '/tojson', '/header-hook', '/header-spin', '/status-spin', '/tojson-spin', '/url-hook', '/body-hook', '/body-spin', '/log', '/callback-is-closure'],
};

/**
 * Requests whose function code needs far more than the accelerator's fuel (1e8 loop iterations) in
 * a hook the host would call: answering them would mean the host ran function code outside the
 * runtime's limits, so they must abort (with any reason; `fuel` is the expected one).
 */
const mustAbort: Record<string, string[]> = {
  // (Not /status-spin: respond() ignores a non-number status without converting it, in Node too.)
  'host-boundary': ['/header-spin', '/tojson-spin', '/body-spin', '/callback-is-closure'],
};

/**
 * Requests that read process.env: the oracle runs in this process and sees its environment (the
 * canary), a container sees only the function's own. The accelerated answer must be the
 * container's (an instance made without config.env has an empty environment).
 */
const containerAnswer: Record<string, Record<string, string>> = {
  'require-eval': { '/env': 'undefined' },
  'process-env': { '/env-canary': '["undefined",-1,-1]' },
};

const envCanary = `secret-${randomUUID()}`;
const fileCanary = `file-canary-${randomUUID()}`;
let dir: string;
let canaryFile: string;
let backend: MockBackend;
const previous = process.env.CL_CANARY;

before(async () => {
  process.env.CL_CANARY = envCanary;
  dir = mkdtempSync(join(tmpdir(), 'cl-escape-'));
  canaryFile = join(dir, 'canary.txt');
  writeFileSync(canaryFile, fileCanary);
  backend = await startMockBackend();
});
after(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
  if (previous === undefined) delete process.env.CL_CANARY;
  else process.env.CL_CANARY = previous;
});

/** Strings that must never come out of an accelerated run. */
function leaks(text: string): string[] {
  const found: string[] = [];
  if (text.includes(envCanary)) found.push('process.env canary');
  if (text.includes(fileCanary)) found.push('file canary');
  if (text.includes('[native code]')) found.push('host function source');
  if (text.includes(process.execPath)) found.push('process.execPath');
  if (text.includes(process.version)) found.push('process.version');
  return found;
}

function acceleratedText(r: TestResult): string {
  const acc = r.accelerated;
  const parts: string[] = [JSON.stringify(acc.outbound), JSON.stringify(acc.reported), ...acc.logs];
  if (acc.kind === 'response') parts.push(acc.response.body, JSON.stringify(acc.response.headers));
  return parts.join('\n');
}

for (const [name, paths] of Object.entries(fixtures)) {
  test(`escape: ${name}`, async (t) => {
    const source = readFileSync(new URL(`./fixtures/${name}.js`, import.meta.url), 'utf8');
    const requests = paths.map((path) => toRawRequest({ path, query: { file: canaryFile } }, { [BACKEND_HEADER]: backend.url }));
    const report = await runPipeline({ source, train: requests, test: requests, io: createHttpIO({ allowOutbound: [new URL(backend.url).host] }), timeoutMs: 3000 });
    // Code that fails to compile or validate never runs: that is a pass for an escape attempt.
    if (report.failure) {
      assert.ok(report.failure.stage === 'compile' || report.failure.stage === 'validate', `${name}: ${report.failure.stage} failed: ${report.failure.message}`);
      t.diagnostic(`${name}: refused at ${report.failure.stage}: ${report.failure.message}`);
      return;
    }
    assert.equal(report.results.length, paths.length);
    for (const r of report.results) {
      const found = leaks(acceleratedText(r));
      assert.deepEqual(found, [], `${name} ${r.request.path}: accelerated run leaked ${found.join(', ')}`);
      const own = containerAnswer[name]?.[r.request.path];
      if (own !== undefined) assert.equal(r.accelerated.kind === 'response' ? r.accelerated.response.body : r.verdict, own, `${name} ${r.request.path}`);
      else assert.notEqual(r.verdict, 'mismatched', `${name}: ${formatResultLine(r)}`);
      if (mustAbort[name]?.includes(r.request.path)) assert.equal(r.verdict, 'aborted', `${name} ${r.request.path}: ran 1e8 iterations of function code without running out of fuel`);
      t.diagnostic(`${name} ${r.request.path}: ${r.verdict}${r.abort ? ` (${r.abort.reason}${r.abort.detail ? `: ${r.abort.detail}` : ''})` : ''}`);
    }
    if (name.startsWith('cve-')) {
      const oracleLeaked = report.results.some((r) => r.oracle.response.body.includes(envCanary));
      assert.ok(oracleLeaked, `${name}: the fixture does not even escape in plain Node; it tests nothing`);
    }
  });
}
