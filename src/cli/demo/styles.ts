import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockersLine } from '../commands/deploy.ts';
import { table } from './report.ts';

/** One request of the styles step, and the answer the example gives when the platform is right. */
interface StyleRequest {
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  expect: { status: number | number[]; body: RegExp };
}

interface StyleExample {
  name: string;
  file: string;
  requests: StyleRequest[];
}

/** The examples of the other function styles (examples/README.md), each deployed unchanged. */
export const STYLE_EXAMPLES: StyleExample[] = [
  {
    name: 'lambda',
    file: 'lambda.js',
    requests: [
      { path: '/greet?name=demo', expect: { status: 200, body: /^Hello, demo! \(GET \/greet in lambda\)$/ } },
      // The demo backend's queue is down one time in ten.
      { path: '/status', expect: { status: [200, 503], body: /^\{"up":(true|false),"down":\[/ } },
    ],
  },
  {
    name: 'worker',
    file: 'worker.mjs',
    requests: [
      { path: '/hello?x=1', expect: { status: 200, body: /^Hi from \/hello\?x=1\n$/ } },
      // sha256("containerless")
      { path: '/hash', method: 'POST', body: 'containerless', headers: { 'content-type': 'text/plain' }, expect: { status: 200, body: /^\{"sha256":"[0-9a-f]{64}"\}$/ } },
    ],
  },
  {
    name: 'openwhisk',
    file: 'openwhisk.js',
    requests: [
      { path: '/', method: 'POST', body: '{"name":"Ada"}', headers: { 'content-type': 'application/json' }, expect: { status: 200, body: /"greeting":"Hello, Ada!"/ } },
      { path: '/', expect: { status: 405, body: /POST a JSON object/ } },
    ],
  },
  {
    name: 'router',
    file: 'router.js',
    requests: [
      { path: '/services/db', expect: { status: 200, body: /^\{"name":"db","up":true\}$/ } },
      { path: '/words/2', method: 'POST', body: 'the cat and the hat and the bat', headers: { 'content-type': 'text/plain' }, expect: { status: 200, body: /^\{"top":\[\["the",3\],\["and",2\]\]\}$/ } },
    ],
  },
];

interface Blocker {
  what: string;
  line: number;
  column: number;
}

/**
 * The demo's styles step: a Lambda handler, a Workers module, an OpenWhisk action and a modern
 * paper-style function, deployed from examples/ unchanged; a few requests each; what each answered,
 * in which mode, and what the platform said at deploy keeps it in containers. Returns how many
 * answers were not the expected ones (the demo reports them; it does not stop).
 */
export async function runStyles(base: string, examples: string, env: Record<string, string>, out: NodeJS.WritableStream): Promise<number> {
  const rows: string[][] = [['function', 'style', 'request', 'status', 'mode', 'answer']];
  const said: string[] = [];
  let wrong = 0;
  for (const ex of STYLE_EXAMPLES) {
    const source = readFileSync(join(examples, ex.file), 'utf8');
    const put = await fetch(`${base}/api/functions/${ex.name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source, config: { env, idle_ms: 120_000 } }),
    });
    const deployed = (await put.json()) as { style?: string; error?: string; acceleration_blockers?: Blocker[]; acceleration_blockers_omitted?: number };
    if (put.status >= 300) throw new Error(`deploying ${ex.file}: HTTP ${put.status} ${deployed.error ?? ''}`);
    const blockers = deployed.acceleration_blockers ?? [];
    said.push(`  ${ex.name} (${ex.file}): ${blockersLine(blockers, deployed.acceleration_blockers_omitted ?? 0)}`);
    for (const r of ex.requests) {
      const res = await fetch(`${base}/fn/${ex.name}${r.path}`, { method: r.method ?? 'GET', body: r.body, headers: r.headers });
      const text = await res.text();
      const ok = [r.expect.status].flat().includes(res.status) && r.expect.body.test(text);
      if (!ok) wrong++;
      const shown = text.replace(/\s+/g, ' ').trim();
      rows.push([ex.name, deployed.style ?? '?', `${r.method ?? 'GET'} ${r.path}`, String(res.status), res.headers.get('x-containerless-mode') ?? '-', `${shown.length > 48 ? `${shown.slice(0, 47)}…` : shown}${ok ? '' : '  (unexpected)'}`]);
    }
  }
  out.write(`\n${table(rows, rows[0]!.length)}\n`);
  out.write(`what each deploy said about acceleration:\n${said.join('\n')}\n`);
  return wrong;
}
