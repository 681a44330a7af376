/** Sources and request loops shared by the hostile API tests. */
import { call } from '../e2e/helpers.ts';

export const version = (v: number | string) => `const c = require('containerless');\nc.listen(function (req) { c.respond('v${v}'); });`;

/** A valid function of about `chars` characters: many small functions with branches (a worst case for parsing and instrumenting). */
export function bigSource(chars: number, answer = 'big'): string {
  const head = `const c = require('containerless');\nc.listen(function (req) { c.respond(f0(0) > 0 ? '${answer}' : 'no'); });\n`;
  const parts = [head];
  for (let n = 0, size = head.length; size < chars; n++) {
    const f = `function f${n}(x) { if (x === ${n}) { return x + ${n + 1}; } else { return g(x, 'abcdefghij'); } }\n`;
    parts.push(f);
    size += f.length;
  }
  parts.push('function g(x, s) { return s.length + x; }\n');
  return parts.join('');
}

export const put = (p: { url: string }, name: string, source: string, config?: object) =>
  fetch(`${p.url}/api/functions/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config ? { source, config } : { source }) });

/** One answer of `keepCalling`: when (ms since epoch), its status and mode, and its body when it is not a 2xx. */
export interface Answer {
  at: number;
  status: number;
  mode: string | null;
  error?: string;
}

/** Calls `path` one after another until `stop()`; its answers. */
export function keepCalling(p: { url: string }, path: string, stop: () => boolean): Promise<Answer[]> {
  return (async () => {
    const seen: Answer[] = [];
    while (!stop()) {
      const r = await call(p, path);
      seen.push({ at: Date.now(), status: r.status, mode: r.headers.get('x-containerless-mode'), ...(r.status >= 300 ? { error: r.text.slice(0, 300) } : {}) });
    }
    return seen;
  })();
}

/** The answers that were not 200, for an assertion's message. */
export const notOk = (answers: Answer[]) => JSON.stringify(answers.filter((a) => a.status !== 200).slice(0, 5));

