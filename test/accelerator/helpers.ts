// Shared by the accelerator tests: compile a function source (parsed whole, nothing Unknown) and
// run it both accelerated and in src/api's loadFunction (the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '@babel/parser';
import { compile } from '../../src/compiler/index.ts';
import { createInstance, loadCompiled, type AbortReason, type AccelResult, type Instance, type Limits } from '../../src/accelerator/index.ts';
import { loadFunction, type FnResponse, type IO, type OutboundRequest, type RawRequest } from '../../src/api/index.ts';

export const raw = (over: Partial<RawRequest> = {}): RawRequest => ({ method: 'GET', path: '/', query: {}, headers: {}, body: '', ...over });

export function compileSource(source: string): string {
  const ast = parse(source, { sourceType: 'script' });
  return compile({ program: ast.program }).code;
}

export function accelerate(source: string, io: IO = { request: async () => undefined }, limits?: Partial<Limits>, logs: string[] = []): Instance {
  const program = loadCompiled(compileSource(source));
  return createInstance(program, { io, log: (s, l) => logs.push(`${s}: ${l}`), limits });
}

export interface Observed {
  status: number;
  type: string | undefined;
  body: string;
  outbound: OutboundRequest[];
}

/** A recording IO that answers every call with `reply(req)` (JSON when not a string). */
export function recordingIO(reply: (r: OutboundRequest) => unknown = (r) => ({ url: r.url })): IO & { calls: OutboundRequest[] } {
  const calls: OutboundRequest[] = [];
  return {
    calls,
    async request(r) {
      calls.push(r);
      const v = reply(r);
      if (v === undefined) return undefined;
      return typeof v === 'string'
        ? { status: 200, headers: { 'content-type': 'text/plain' }, body: v }
        : { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(v) };
    },
  };
}

function observe(res: FnResponse, outbound: OutboundRequest[]): Observed {
  return { status: res.status, type: res.headers['content-type'], body: res.body, outbound };
}

/** Runs each request in Node (oracle) and accelerated; returns both observations per request. */
export async function both(source: string, requests: RawRequest[]): Promise<{ node: Observed[]; accel: (Observed | AccelResult)[] }> {
  // The Node oracle runs in this process, so a prototype-pollution case pollutes it: undo that
  // before the accelerated run, and fail if the accelerated run pollutes the host itself.
  const hostProto = new Set(Reflect.ownKeys(Object.prototype));
  const ioN = recordingIO();
  const fn = loadFunction(source, { io: ioN, log() {} });
  const node: Observed[] = [];
  for (const r of requests) {
    const before = ioN.calls.length;
    const res = await fn.invoke(r, { timeoutMs: 300 });
    node.push(observe(res, ioN.calls.slice(before)));
  }
  for (const k of Reflect.ownKeys(Object.prototype)) if (!hostProto.has(k)) delete (Object.prototype as Record<PropertyKey, unknown>)[k];
  const ioA = recordingIO();
  let inst = accelerate(source, ioA);
  const accel: (Observed | AccelResult)[] = [];
  for (const r of requests) {
    if (inst.poisoned) inst = accelerate(source, ioA);
    const before = ioA.calls.length;
    const res = await inst.handle(r, { timeoutMs: 300 });
    if (res.kind === 'abort') accel.push(res);
    else accel.push(observe(res.response, ioA.calls.slice(before)));
  }
  const polluted = Reflect.ownKeys(Object.prototype).filter((k) => !hostProto.has(k));
  if (polluted.length > 0) throw new Error(`accelerated code added ${polluted.map(String).join(', ')} to the host's Object.prototype`);
  return { node, accel };
}

/** One test per case: `wrap(body)` answers its log, and the accelerated answer must be Node's. */
export function agreeInOrder(prefix: string, cases: ReadonlyArray<readonly [string, string]>, wrap: (body: string) => string): void {
  for (const [name, body] of cases) {
    test(`${prefix}: ${name}`, async () => {
      const { node, accel } = await both(wrap(body), [raw()]);
      assert.equal(node[0]!.status, 200, node[0]!.body);
      assert.deepEqual(accel[0], node[0], name);
    });
  }
}

/**
 * True when `r` is an abort with `reason` whose detail names `what`: the detail is `what`, or `what`
 * followed by the case in parentheses (`Object.assign (frozen target)`).
 */
export function abortedWith(r: unknown, reason: AbortReason, what: string | RegExp): boolean {
  const a = r as Partial<AccelResult & { kind: 'abort' }>;
  if (a.kind !== 'abort' || a.reason !== reason || typeof a.detail !== 'string') return false;
  const named = a.detail.split(' (')[0]!;
  return typeof what === 'string' ? named === what : what.test(named);
}

/**
 * One test per row: `prefix + body` run in Node and accelerated on one request per query value `x`,
 * every answer equal (the differential tables of the builtins' test files).
 */
export function agreeWithNode(label: string, prefix: string, rows: Array<[string, string, string[]]>): void {
  for (const [name, body, xs] of rows) {
    test(`${label} agrees with Node: ${name}`, async () => {
      const { node, accel } = await both(prefix + body, xs.map((x) => raw({ query: { x } })));
      for (const [i, x] of xs.entries()) assert.deepEqual(accel[i], node[i], `${name} for ${JSON.stringify(x)}`);
    });
  }
}

/**
 * Each `[code, what]` (or `[code, reason, what]`), run as a request after `prefix`, aborts with
 * `reason` (default unsupported:builtin) and a detail naming `what`.
 */
export async function assertAbortsNaming(prefix: string, cases: ReadonlyArray<readonly [string, string] | readonly [string, AbortReason, string | RegExp]>): Promise<void> {
  for (const c of cases) {
    const [code, reason, what] = c.length === 2 ? [c[0], 'unsupported:builtin' as AbortReason, c[1]] : c;
    const inst = accelerate(`${prefix}c.listen(function (req) { ${code}; c.respond('done'); });`);
    const r = await inst.handle(raw(), { timeoutMs: 1000 });
    assert.ok(abortedWith(r, reason, what), `${code}: ${JSON.stringify(r)}`);
  }
}
