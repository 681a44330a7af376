import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import type { IO, LogStream, OutboundResponse, RawRequest } from '../../src/api/index.ts';
import { createDriver, type Container, type ContainerSpec, type DriverName, type SandboxDriver } from '../../src/sandbox/index.ts';

/** The tests need a real runc; CI installs it, and so does this when it is missing (never a skip). */
export function ensureRunc(): void {
  try {
    execFileSync('runc', ['--version'], { stdio: 'ignore' });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', 'runc'], { stdio: 'inherit' });
  }
}

/** An IO layer as the dispatcher will have one: real HTTP with undici, undefined on network errors. */
export const undiciIO: IO = {
  async request(req) {
    try {
      const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body, headersTimeout: 5000, bodyTimeout: 5000 });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const out: OutboundResponse = { status: res.statusCode, headers, body: await res.body.text() };
      return out;
    } catch {
      return undefined;
    }
  },
};

export interface MockServer {
  url: string;
  port: number;
  hits: { method: string; url: string; body: string; contentType: string | undefined }[];
  close(): Promise<void>;
}

/** A loopback backend: `/text` answers plain text, anything else echoes the request as JSON. */
export async function startMockServer(): Promise<MockServer> {
  const hits: MockServer['hits'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', url: req.url ?? '', body, contentType: req.headers['content-type'] });
      if (req.url === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('plain text');
        return;
      }
      res.writeHead(req.url === '/created' ? 201 : 200, { 'content-type': 'application/json', 'x-mock': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body, contentType: req.headers['content-type'] ?? null }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export interface LogLine {
  stream: LogStream;
  line: string;
  id: string | undefined;
}

export function tmpStateDir(tag: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cl-test-${tag}-`));
  // Traversable (not listable) by the sandbox user, as a server's data dir would be, so drivers keep
  // their socket dirs in it rather than in a shared temporary directory.
  chmodSync(dir, 0o711);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makeDriver(name: DriverName, stateDir: string): Promise<SandboxDriver> {
  const d = await createDriver(name, { stateDir, log: () => {} });
  if (d.name !== name) throw new Error(`asked for ${name}, got ${d.name}`);
  return d;
}

const started = new Set<Container>();
/** Remembers a container so a failing test cannot leave it running (it would keep the file's process alive). */
export function track(c: Container): Container {
  started.add(c);
  return c;
}
export async function killAll(): Promise<void> {
  await Promise.all([...started].map((c) => c.kill()));
  started.clear();
}

let seq = 0;
export function uniqueId(tag: string): string {
  return `t${process.pid}-${tag}-${++seq}`;
}

export async function startWith(
  driver: SandboxDriver,
  source: string,
  over: Partial<ContainerSpec> = {},
): Promise<{ c: Container; logs: LogLine[] }> {
  const logs: LogLine[] = [];
  const c = track(await driver.start({
    id: uniqueId(driver.name),
    memoryMb: 128,
    pids: 64,
    network: 'none',
    io: undiciIO,
    log: (stream, line, id) => logs.push({ stream, line, id }),
    ...over,
  }));
  try {
    await c.load({ name: 'fn', version: 1, source, env: {} });
  } catch (err) {
    await c.kill();
    throw err;
  }
  return { c, logs };
}

export function raw(over: Partial<RawRequest> = {}): RawRequest {
  return { method: 'GET', path: '/', query: {}, headers: {}, body: '', ...over };
}

let rid = 0;
export function invoke(c: Container, req: Partial<RawRequest> = {}, timeoutMs = 2000) {
  return c.invoke(raw(req), { timeoutMs, requestId: `q${++rid}` });
}

/** Convenience: invoke and insist on a response. */
export async function respond(c: Container, req: Partial<RawRequest> = {}, timeoutMs = 2000) {
  const out = await invoke(c, req, timeoutMs);
  if (out.kind !== 'response') throw new Error(`expected a response, got ${JSON.stringify(out)}`);
  return out.response;
}

/** `runc list`, retried: it fails as a whole when another server deletes a container mid-listing. */
export function runcIds(): string[] {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = execFileSync('runc', ['list', '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
      const list = JSON.parse(out || 'null') as { id: string }[] | null;
      return (list ?? []).map((x) => x.id);
    } catch (err) {
      if (attempt >= 5) throw err;
      execFileSync('sleep', [String(0.05 * attempt)]);
    }
  }
}
