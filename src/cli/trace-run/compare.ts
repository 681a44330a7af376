import type { FnResponse, OutboundRequest } from '../../api/index.ts';

/** The observable parts of a run that must agree: CONTRACT §1 response and outbound effects. */
export interface Observable {
  response: FnResponse;
  outbound: OutboundRequest[];
}

/** One difference between the oracle and another run; `path` names the part that differs. */
export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

function contentType(r: FnResponse): string | undefined {
  return r.headers['content-type'];
}

/**
 * "Equal" per issue 3: same status, content type, body, and sequence of outbound calls (method, url,
 * body). Other response headers are compared too, since a function sets them with respond(): a
 * difference there is just as observable. Returns the differences, empty when equal.
 */
export function compareRuns(expected: Observable, actual: Observable): Difference[] {
  const diffs: Difference[] = [];
  const e = expected.response;
  const a = actual.response;
  if (e.status !== a.status) diffs.push({ path: 'status', expected: e.status, actual: a.status });
  if (contentType(e) !== contentType(a)) diffs.push({ path: 'content-type', expected: contentType(e), actual: contentType(a) });
  if (e.body !== a.body) diffs.push({ path: 'body', expected: e.body, actual: a.body });
  const headerNames = new Set([...Object.keys(e.headers), ...Object.keys(a.headers)]);
  for (const h of [...headerNames].sort()) {
    if (h !== 'content-type' && e.headers[h] !== a.headers[h]) diffs.push({ path: `headers.${h}`, expected: e.headers[h], actual: a.headers[h] });
  }
  const n = Math.max(expected.outbound.length, actual.outbound.length);
  for (let i = 0; i < n; i++) {
    const x = expected.outbound[i];
    const y = actual.outbound[i];
    const show = (c: OutboundRequest | undefined) => (c === undefined ? undefined : { method: c.method, url: c.url, body: c.body });
    if (x === undefined || y === undefined || x.method !== y.method || x.url !== y.url || x.body !== y.body) {
      diffs.push({ path: `outbound[${i}]`, expected: show(x), actual: show(y) });
    }
  }
  return diffs;
}

/** A compact, one-line-per-difference rendering for terminals and assertion messages. */
export function formatDifferences(diffs: Difference[]): string {
  const clip = (v: unknown) => {
    const s = JSON.stringify(v) ?? 'undefined';
    return s.length > 300 ? `${s.slice(0, 300)}…` : s;
  };
  return diffs.map((d) => `  ${d.path}: expected ${clip(d.expected)}, got ${clip(d.actual)}`).join('\n');
}
