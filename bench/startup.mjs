// Start-up of the command: `containerless --help` from spawn to exit, and `containerless serve` from
// spawn to the first 200 of /healthz (then it is killed), with the server's CPU time by then.
// Plain JavaScript, so that nothing but the command itself is measured. Prints each run and the
// median, and appends them to bench/RESULTS-startup.md (not with --no-write).
//
//   node bench/startup.mjs [--runs 5] [--what help|serve|both] [--sandbox runc] [--no-write]
//   CONTAINERLESS_FROM_SOURCE=1 node bench/startup.mjs   (the sources through tsx, for comparison)
/* global fetch, performance */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const BIN = join(import.meta.dirname, '..', 'bin', 'containerless.js');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    what: { type: 'string', default: 'both' },
    sandbox: { type: 'string', default: 'runc' },
    'no-write': { type: 'boolean', default: false },
  },
});
const startLoad = loadavg()[0].toFixed(2);
const runs = Number(args.runs);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function helpOnce() {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve({ wall: performance.now() - t0 }) : reject(new Error(`--help exited ${code}`))));
  });
}

/** CPU seconds the process has used, all its threads (Linux; undefined elsewhere). */
function cpuOf(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

/** Milliseconds from spawn to the first 200 of /healthz, and the server's CPU milliseconds by then. */
async function serveOnce() {
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-startup-'));
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--sandbox', args.sandbox], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200) {
          const wall = performance.now() - t0;
          return { wall, cpu: (cpuOf(child.pid) ?? NaN) * 1000 };
        }
      } catch {}
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const show = (xs) => `median ${median(xs).toFixed(0)} ms (${xs.map((m) => m.toFixed(0)).join(', ')})`;
const lines = [];
for (const [what, once] of [['help', helpOnce], ['serve', serveOnce]]) {
  if (args.what !== 'both' && args.what !== what) continue;
  const runsOf = [];
  for (let i = 0; i < runs; i++) runsOf.push(await once());
  const label = what === 'help' ? 'containerless --help, spawn to exit' : `containerless serve --sandbox ${args.sandbox}, spawn to /healthz 200`;
  const cpu = runsOf.map((r) => r.cpu).filter((c) => c !== undefined && !Number.isNaN(c));
  lines.push(`${label}, ${runs} runs: wall ${show(runsOf.map((r) => r.wall))}${cpu.length ? `; server CPU ${show(cpu)}` : ''}`);
  process.stdout.write(`${lines.at(-1)}\n`);
}
if (!args['no-write']) {
  const from = process.env.CONTAINERLESS_FROM_SOURCE === '1' ? 'the sources through tsx (CONTAINERLESS_FROM_SOURCE=1)' : 'bin/containerless.js as it chooses (dist/ when current)';
  const cmd = `node bench/startup.mjs ${process.argv.slice(2).join(' ')}`.trim();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load average at start ${startLoad}`;
  appendFileSync(join(import.meta.dirname, 'RESULTS-startup.md'), `\n## Start-up: ${new Date().toISOString()}\n\n- command: \`${cmd}\`, running ${from}\n- machine: ${machine}\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
}
