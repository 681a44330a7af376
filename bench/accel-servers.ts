/**
 * The processes bench/accel-compare.ts measures, each started as a child so that none shares an
 * event loop with the load generator (autocannon runs in the bench's own process): the platform
 * (`containerless serve`), the limit server (bench/limit-server.ts) and the mock backend
 * (bench/accel-backend.ts). With `cpuProfDir`, Node writes a .cpuprofile there when each exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * One directory per server: every thread of a process (the main thread, tsx's loader thread, the
 * compile worker) writes its own profile with Node's default name, which a fixed name would let
 * them overwrite. The main thread's is the largest.
 */
function profArgs(cpuProfDir: string | undefined, name: string): string[] {
  return cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', join(cpuProfDir, name)] : [];
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    // A graceful close lets Node write the CPU profile; a hung child is killed after 15 s.
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
}

/** Starts a script that prints `listening URL` on stdout when ready (limit server, backend). */
async function startListening(args: string[], cpuProfDir: string | undefined, profName: string): Promise<Child> {
  const proc = spawn(process.execPath, [...profArgs(cpuProfDir, profName), '--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`${args.join(' ')}: not listening after 60 s`)), 60_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += String(c);
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  proc.stdout!.resume();
  return { proc, pid: proc.pid!, url, stop: stopper(proc) };
}

export function startBackend(): Promise<Child> {
  return startListening([join(ROOT, 'bench/accel-backend.ts')], undefined, 'backend');
}

export function startLimit(file: string, cpuProfDir?: string, name = 'limit'): Promise<Child> {
  return startListening([join(ROOT, 'bench/limit-server.ts'), file], cpuProfDir, name);
}

/**
 * `containerless serve` on a free port with its own data directory; ready when /healthz answers.
 * `allowOutbound`: the loopback backend's host:port, which the egress policy refuses unless allowed.
 */
export async function startPlatform(o: { dataDir: string; sandbox: string; cpuProfDir?: string; allowOutbound?: string; args?: string[]; logFile?: string; nodeArgs?: string[] }): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [...profArgs(o.cpuProfDir, 'platform'), ...(o.nodeArgs ?? []), join(ROOT, 'bin/containerless.js'), 'serve', '--port', String(port), '--data-dir', o.dataDir, '--sandbox', o.sandbox, ...(o.allowOutbound ? ['--allow-outbound', o.allowOutbound] : []), ...(o.args ?? [])], {
    cwd: ROOT,
    // The server's JSON log lines (warnings and errors) go to a file when asked: why a request failed.
    stdio: ['ignore', o.logFile ? openSync(o.logFile, 'a') : 'ignore', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL ?? 'warn' },
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (i > 600 || proc.exitCode !== null) throw new Error('the platform did not start');
    await sleep(100);
  }
  return { proc, pid: proc.pid!, url, stop: stopper(proc) };
}
