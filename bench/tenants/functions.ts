/**
 * The tenants of `containerless bench tenants`: N deployed functions drawn from the corpus
 * (corpus/*.js, corpus/modern/*.js: every style) and examples/, each under a name of its own
 * (several tenants may share one source: what matters is many tenants), with a few request
 * variants each, sampled from the corpus's fast-check arbitraries with a fixed seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { corpus, type CorpusEntry } from '../../corpus/index.ts';
import { modernCorpus } from '../../corpus/modern/index.ts';
import { BACKEND_HEADER, toRawRequest, type RequestSpec } from '../../src/cli/trace-run/request-spec.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface SourceEntry {
  /** Where the source comes from, e.g. `corpus/login.js`. */
  file: string;
  requests: fc.Arbitrary<RequestSpec>;
  /** Reads the mock backend's URL from the `x-backend` header, or `BACKEND` from its env. */
  backend: boolean;
}

/** The examples with a few fixed requests each (they have no arbitraries of their own). */
const EXAMPLES: SourceEntry[] = [
  { file: 'examples/hello.js', backend: false, requests: fc.constant({ path: '/' }) },
  { file: 'examples/echo.js', backend: false, requests: fc.constantFrom<RequestSpec>({ method: 'POST', path: '/x', body: { a: 1 } }, { path: '/', query: { q: 'b' } }) },
  { file: 'examples/status.js', backend: true, requests: fc.constant({ path: '/' }) },
  { file: 'examples/lambda.js', backend: true, requests: fc.constantFrom<RequestSpec>({ path: '/', query: { name: 'ann' } }, { path: '/status' }) },
  { file: 'examples/openwhisk.js', backend: false, requests: fc.constantFrom<RequestSpec>({ method: 'POST', path: '/', body: { name: 'bo' } }, { path: '/' }) },
  { file: 'examples/worker.mjs', backend: false, requests: fc.constantFrom<RequestSpec>({ path: '/a', query: { b: '1' } }, { method: 'POST', path: '/hash', body: 'abc' }) },
];

const fromCorpus = (dir: string, e: CorpusEntry): SourceEntry => ({ file: `${dir}/${e.name}.js`, requests: e.requests, backend: e.backend === true });

/**
 * The modern functions the tenants are drawn from: the corpus as it was when the benchmark's figures
 * began (bench/RESULTS-tenants-history.md), so that runs stay comparable as the corpus grows. A
 * function added here changes every later figure: do it with a new baseline run, and say so there.
 */
const TENANT_MODERN = new Set(['router', 'cache', 'orders', 'pipeline', 'text', 'aggregate', 'logs', 'dates', 'accounts', 'lambda-accounts', 'worker-status', 'openwhisk-cart', 'catalog']);

/** Every source, round-robin over the three lists so that a small run still has every style. */
export function sources(): SourceEntry[] {
  const modern = modernCorpus.filter((e) => TENANT_MODERN.has(e.name));
  const lists = [corpus.map((e) => fromCorpus('corpus', e)), modern.map((e) => fromCorpus('corpus/modern', e)), EXAMPLES];
  const out: SourceEntry[] = [];
  for (let i = 0; out.length < lists.reduce((n, l) => n + l.length, 0); i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/** One request ready to send: method, the path and query after `/fn/NAME`, headers and body. */
export interface HttpRequest {
  method: string;
  pathAndQuery: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface Tenant {
  /** Deployed name: `t00-login`. */
  name: string;
  file: string;
  source: string;
  backend: boolean;
  variants: HttpRequest[];
}

export function toHttp(spec: RequestSpec, backendUrl: string): HttpRequest {
  const raw = toRawRequest(spec, { [BACKEND_HEADER]: backendUrl });
  const qs = new URLSearchParams(raw.query).toString();
  return { method: raw.method, pathAndQuery: raw.path + (qs ? `?${qs}` : ''), headers: raw.headers, body: raw.method === 'GET' || raw.method === 'HEAD' ? undefined : raw.body };
}

export function tenants(n: number, variants: number, seed: number, backendUrl: string): Tenant[] {
  const all = sources();
  return Array.from({ length: n }, (_, i) => {
    const s = all[i % all.length]!;
    const base = s.file.replace(/^.*\//, '').replace(/\.m?js$/, '');
    const specs = fc.sample(s.requests, { seed: seed + i, numRuns: variants });
    return {
      name: `t${String(i).padStart(2, '0')}-${base}`.slice(0, 63),
      file: s.file,
      source: readFileSync(join(ROOT, s.file), 'utf8'),
      backend: s.backend,
      variants: specs.map((spec) => toHttp(spec, backendUrl)),
    };
  });
}
