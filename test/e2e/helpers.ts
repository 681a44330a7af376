import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { startPlatform, type Platform, type PlatformOptions } from '../../src/server/index.ts';

type TestContext = { after(fn: () => unknown): void };

const tempDirs = new Set<string>();
let removeAtExit = false;

/**
 * A temporary directory, removed when the test file's process exits. Not in an after-hook: hooks run in
 * the order added, so a hook added here would run before the hook that closes a server started on the
 * directory afterwards, and the still-running server would refill it (ENOTEMPTY).
 */
export function tempDir(_t: TestContext, prefix = 'cl-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  if (!removeAtExit) {
    removeAtExit = true;
    process.once('exit', () => { for (const d of tempDirs) rmSync(d, { recursive: true, force: true }); });
  }
  return dir;
}

/** A real platform on a free port with the runc driver (the tests' default sandbox). */
export async function platform(t: TestContext, over: Partial<PlatformOptions> = {}): Promise<Platform> {
  // The data dir is removed only after the platform has closed (after-hooks run in order added).
  const dataDir = mkdtempSync(join(tmpdir(), 'cl-platform-'));
  const p = await startPlatform({
    dataDir,
    port: 0,
    sandbox: (process.env.CONTAINERLESS_TEST_SANDBOX as PlatformOptions['sandbox']) ?? 'runc',
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    windowMs: 2000,
    ...over,
  });
  t.after(async () => {
    await p.close();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });
  return p;
}

/**
 * Deploys and pins the function to containers: these tests are about the container platform, so
 * they must keep testing containers once the default policy traces and accelerates functions.
 */
export async function deploy(p: { url: string }, name: string, source: string, config?: Record<string, unknown>, token?: string) {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${p.url}/api/functions/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(config ? { source, config } : { source }),
  });
  const body = await res.text();
  if (res.status >= 300) throw new Error(`deploy ${name}: ${res.status} ${body}`);
  const pin = await fetch(`${p.url}/api/functions/${name}/mode`, { method: 'PUT', headers: { 'content-type': 'application/json', ...auth }, body: '{"mode":"containers"}' });
  if (pin.status !== 200) throw new Error(`pin ${name}: ${pin.status} ${await pin.text()}`);
  return JSON.parse(body) as Record<string, unknown>;
}

export async function call(p: { url: string }, path: string, init: RequestInit = {}) {
  const res = await fetch(`${p.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as any };
}

/** A loopback HTTP server standing for a function's backend; records what it received. */
export async function mockBackend(t: TestContext) {
  const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-mock': 'yes' });
        return res.end('plain text');
      }
      res.writeHead(req.url === '/created' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body: body === '' ? null : body, ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Function sources used across tests. */
export const src = {
  hello: `const c = require('containerless'); c.listen(function (req) { c.respond('Hello, world!'); });`,
  echo: `const c = require('containerless');
c.listen(function (req) { c.respond({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body }); });`,
  slow: `const c = require('containerless');
const me = Math.random().toString(36).slice(2); // process.pid is 1 in every container
c.listen(function (req) { setTimeout(function () { c.respond(me); }, Number(req.query.ms || 300)); });`,
};

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'containerless.js');

export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** `containerless serve` as its own process (as an operator runs it, and so that it can be SIGKILLed). */
export async function serveProcess(dataDir: string, port: number, extra: string[] = [], attempts = 300): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--sandbox', 'runc', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < attempts; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {}
    if (child.exitCode !== null) throw new Error(`serve exited: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`serve did not become ready: ${err}`);
}

/** Runs `containerless ARGS --url URL`; a non-zero exit is an answer, not a throw. */
export async function runCli(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [BIN, ...args, '--url', url]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
