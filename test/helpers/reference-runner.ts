import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

type TestContext = { after(fn: () => unknown): void };

/** One request, as the tests send it to the platform and to the reference alike. */
export interface SentRequest {
  method?: string;
  /** Starts with '/'. */
  path: string;
  /** The query string, without '?'. */
  query?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Reference {
  /** The function's style as the reference recognized it. */
  style: string;
  /** Base URL: a request for PATH goes to `${url}${PATH}`. */
  url: string;
  /** What the function wrote to stderr (its uncaught errors' stacks). */
  stderr(): string;
  /**
   * Resolves with stderr once it matches `re`: the child writes it around the response, and a pipe
   * may deliver it after the HTTP answer. Rejects after `ms`.
   */
  stderrMatching(re: RegExp, ms?: number): Promise<string>;
  send(req: SentRequest): Promise<Answer>;
}

const SHIM = `// The reference runner's \`containerless\` module: forwards to the child that runs the function.
const r = globalThis[Symbol.for('containerless.reference')];
exports.listen = (h) => r.listen(h);
exports.respond = (v, o) => r.respond(v, o);
exports.get = (u, cb) => r.get(u, cb);
exports.post = (o, cb) => r.post(o, cb);
exports.put = (o, cb) => r.put(o, cb);
exports.delete = (o, cb) => r.delete(o, cb);
`;

/**
 * The reference runner (test helper): runs a function FILE in a plain Node child process under its
 * style's documented semantics, with none of src/ (test/helpers/reference-child.mjs), and serves it
 * on loopback. ES modules (`.mjs`) are loaded by dynamic import, CommonJS by Node's own loader; a
 * paper-style function gets a small `containerless` module (listen/respond/get/post/put/delete over
 * real HTTP) from a node_modules folder next to it. Outbound calls, `fetch` included, are real.
 */
export async function startReference(t: TestContext, file: string, opts: { env?: Record<string, string> } = {}): Promise<Reference> {
  const dir = mkdtempSync(join(tmpdir(), 'cl-reference-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules', 'containerless'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'containerless', 'index.js'), SHIM);
  writeFileSync(join(dir, 'node_modules', 'containerless', 'package.json'), '{"name":"containerless","main":"index.js"}');
  const target = join(dir, file.endsWith('.mjs') ? 'function.mjs' : 'function.cjs');
  writeFileSync(target, readFileSync(file));
  const child = spawn(process.execPath, [join(import.meta.dirname, 'reference-child.mjs'), target], {
    env: { PATH: process.env.PATH ?? '', CL_REFERENCE_ENV: JSON.stringify(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the reference runner exited (${code}): ${stderr}`)));
  });
  const { port, style } = JSON.parse(first) as { port: number; style: string };
  const url = `http://127.0.0.1:${port}`;
  const stderrMatching = async (re: RegExp, ms = 10_000): Promise<string> => {
    for (const until = Date.now() + ms; !re.test(stderr); ) {
      if (Date.now() > until) throw new Error(`the reference's stderr never matched ${re}: ${JSON.stringify(stderr)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return stderr;
  };
  return { style, url, stderr: () => stderr, stderrMatching, send: (req) => send(url, req) };
}

/** Sends one request with node:http (so that every header, Host included, is the test's). */
export function send(baseUrl: string, req: SentRequest): Promise<Answer> {
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const url = new URL(`${baseUrl}${req.path}${req.query ? `?${req.query}` : ''}`);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      url,
      { method: req.method ?? 'GET', headers: { host: 'fn.test', ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** The media type of a content-type header, lower-case, without parameters or spaces. */
export function mediaType(v: string | string[] | undefined): string {
  return String(v ?? '').split(';')[0]!.trim().toLowerCase();
}
