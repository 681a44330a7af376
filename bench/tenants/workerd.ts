/**
 * The peer: workerd (npm `workerd`, installed on demand into a cache folder outside the repo so
 * that `npm ci` never downloads it), the same tenants as Workers behind one router Worker
 * (`/fn/NAME/…` as on the platform). Each tenant is bundled by esbuild with workerd-adapter.js,
 * which runs the paper, Lambda and OpenWhisk styles unchanged; Web functions run as they are.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parseSource } from '../../src/platform/source-parse.ts';
import { mainOnlyDeclared, recognizeStyle } from '../../src/platform/source-style.ts';
import { freePort } from '../accel-servers.ts';
import { drive, type RunResult } from './drive.ts';
import type { Arrival } from './load.ts';
import type { Tenant } from './functions.ts';

/** The pinned peer version: figures are comparable across runs only with the same one. */
export const WORKERD_VERSION = '1.20261123.1';
const ADAPTER = join(import.meta.dirname, 'workerd-adapter.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'containerless-bench', `workerd-${WORKERD_VERSION}`);
}

/** The workerd binary, installed with npm into the cache folder the first time. */
export function workerdBinary(): string {
  const dir = cacheDir();
  const find = () => {
    const scope = join(dir, 'node_modules', '@cloudflare');
    if (!existsSync(scope)) return undefined;
    for (const d of readdirSync(scope)) if (d.startsWith('workerd-') && existsSync(join(scope, d, 'bin', 'workerd'))) return join(scope, d, 'bin', 'workerd');
    return undefined;
  };
  let bin = find();
  if (!bin) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`installing workerd@${WORKERD_VERSION} into ${dir}\n`);
    // The install script only checks the platform binary, which the optional dependency holds.
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', `workerd@${WORKERD_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    bin = find();
  }
  if (!bin) throw new Error(`workerd@${WORKERD_VERSION}: no binary for this platform in ${dir}`);
  return bin;
}

/** The router Worker: `/fn/NAME/PATH?Q` goes to tenant NAME with the URL `/PATH?Q`. */
export function routerSource(names: string[]): string {
  const imports = names.map((_, i) => `import f${i} from './fn-${i}.js';`).join('\n');
  const table = names.map((n, i) => `  ${JSON.stringify(n)}: f${i},`).join('\n');
  return `${imports}
const FNS = {
${table}
};
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const m = /^\\/fn\\/([^/]+)(\\/.*)?$/.exec(url.pathname);
    const fn = m && Object.hasOwn(FNS, m[1]) ? FNS[m[1]] : undefined;
    if (!fn) return Response.json({ error: 'no such function' }, { status: 404 });
    const inner = new Request(new URL((m[2] || '/') + url.search, 'http://fn.local'), request);
    return fn.fetch(inner, env, ctx);
  },
};
`;
}

export function configText(names: string[], port: number): string {
  const modules = ['router.js', ...names.map((_, i) => `fn-${i}.js`)].map((m) => `    (name = "${m}", esModule = embed "${m}"),`).join('\n');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .router),
    # The mock backend is on loopback: workerd's default outbound reaches public addresses only.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const router :Workerd.Worker = (
  modules = [
${modules}
  ],
  compatibilityDate = "2024-09-23",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "internet",
);
`;
}

/** Bundles one tenant into `fn-I.js`; returns why it could not, or undefined. */
/** The built-ins corpus functions require, by the names they use (nodejs_compat has them). */
const NODE_BUILTINS: Record<string, string> = { crypto: 'node:crypto' };
const requireShim = [
  ...Object.entries(NODE_BUILTINS).map(([, spec], i) => `import * as __builtin${i} from ${JSON.stringify(spec)};`),
  `const __builtins = { ${Object.entries(NODE_BUILTINS).flatMap(([name, spec], i) => [`${JSON.stringify(name)}: __builtin${i}`, `${JSON.stringify(spec)}: __builtin${i}`]).join(', ')} };`,
  'const require = (m) => { const b = __builtins[m]; if (!b) throw new Error(`Cannot find module ${m}`); return b.default ?? b; };',
].join('\n');

async function bundleTenant(dir: string, i: number, t: Tenant, backendUrl: string): Promise<string | undefined> {
  try {
    const parsed = parseSource(t.source);
    const style = recognizeStyle(parsed.ast.program);
    if (!style) return `${t.name}: no style`;
    const ext = parsed.module ? 'mjs' : 'cjs';
    // A top-level `function main` that nothing exports is OpenWhisk's handler by convention only.
    const source = style === 'openwhisk' && mainOnlyDeclared(parsed.ast.program) ? `${t.source}\n;module.exports = main;\n` : t.source;
    writeFileSync(join(dir, `src-${i}.${ext}`), source);
    writeFileSync(join(dir, `entry-${i}.mjs`), `import * as mod from './src-${i}.${ext}';\nimport { serve } from ${JSON.stringify(ADAPTER)};\nexport default serve(mod, ${JSON.stringify(style)}, ${JSON.stringify(t.name)});\n`);
    await build({
      entryPoints: [join(dir, `entry-${i}.mjs`)],
      outfile: join(dir, `fn-${i}.js`),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      external: ['node:*', ...Object.keys(NODE_BUILTINS)],
      // esbuild turns a CommonJS require of an external into a call of the module's own `require`,
      // which workerd's ES modules lack: this one returns the built-ins nodejs_compat provides.
      banner: { js: requireShim },
      alias: { containerless: ADAPTER },
      define: { 'process.env.BACKEND': JSON.stringify(backendUrl) },
      logLevel: 'silent',
    });
    return undefined;
  } catch (err) {
    return `${t.name}: ${(err as Error).message.split('\n')[0]}`;
  }
}

export interface PeerRun extends RunResult {
  deployFailures: string[];
  /** Seconds to bundle every tenant and start workerd. */
  setupS: number;
}

export async function runWorkerd(o: { tenants: Tenant[]; schedule: Arrival[]; duration: number; backendUrl: string }): Promise<PeerRun> {
  const bin = workerdBinary();
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'cl-tenants-workerd-'));
  const deployFailures: string[] = [];
  try {
    for (const [i, t] of o.tenants.entries()) {
      const failed = await bundleTenant(dir, i, t, o.backendUrl);
      if (failed) {
        deployFailures.push(failed);
        // The router still names it: its requests answer 500 like a function that fails to load.
        writeFileSync(join(dir, `fn-${i}.js`), `export default { fetch: () => new Response(${JSON.stringify(failed)}, { status: 500 }) };\n`);
      }
    }
    writeFileSync(join(dir, 'router.js'), routerSource(o.tenants.map((t) => t.name)));
    const port = await freePort();
    writeFileSync(join(dir, 'config.capnp'), configText(o.tenants.map((t) => t.name), port));
    const proc = spawn(bin, ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => {
      if (stderr.length < 20_000) stderr += String(c);
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        try {
          await fetch(`${url}/healthz`);
          break;
        } catch {}
        if (i > 300 || proc.exitCode !== null) throw new Error(`workerd did not start: ${stderr.slice(0, 2000)}`);
        await sleep(100);
      }
      const setupS = (performance.now() - t0) / 1000;
      process.stderr.write(`${o.tenants.length - deployFailures.length} functions bundled and workerd started in ${setupS.toFixed(1)} s\n`);
      const run = await drive({ label: 'workerd', baseUrl: url, rootPid: proc.pid!, tenants: o.tenants, schedule: o.schedule, duration: o.duration, peerMode: 'workerd' });
      return { ...run, deployFailures, setupS };
    } finally {
      const exited = new Promise((r) => proc.once('exit', r));
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
