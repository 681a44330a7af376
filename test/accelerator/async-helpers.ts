// Differential runs of async programs: the same source in Node (src/api's loadFunction, the oracle)
// and accelerated (compiled whole), comparing the response and every log line in order.
import assert from 'node:assert/strict';
import { stat } from 'node:fs';
import { loadFunction, type RawRequest } from '../../src/api/index.ts';
import type { AccelResult } from '../../src/accelerator/index.ts';
import { accelerate, raw, recordingIO } from './helpers.ts';

export interface Run {
  status: number;
  body: string;
  logs: string[];
}

/** A handler body wrapped as a paper-style function; `out` collects the order of events. */
export function program(body: string, prelude = ''): string {
  return `const c = require('containerless');\n${prelude}\nc.listen(function (req) {\n${body}\n});`;
}

/** A log entry's lines without stack frames: Node prints its frames, compiled code one stand-in. */
function withoutFrames(stream: string, text: string): string[] {
  return text.split('\n').filter((l) => !l.startsWith('    at ')).map((l) => `${stream}: ${l}`);
}

async function settleLogs(): Promise<void> {
  // Logs written after the response (late callbacks) are not compared: let the loop go quiet.
  await new Promise((r) => setTimeout(r, 5));
}

export async function inNode(source: string, request: RawRequest = raw()): Promise<Run> {
  const logs: string[] = [];
  const fn = loadFunction(source, { io: recordingIO((r) => ({ url: r.url })), log: (s, l) => logs.push(...withoutFrames(s, l)) });
  // As in the container's runner, the handler runs in an I/O callback (there, a message from the
  // dispatcher): immediates it sets run before any timer.
  const res = await new Promise<Awaited<ReturnType<typeof fn.invoke>>>((resolve) => stat('.', () => resolve(fn.invoke(request, { timeoutMs: 2000 }))));
  const n = logs.length;
  await settleLogs();
  return { status: res.status, body: res.body, logs: logs.slice(0, n) };
}

export async function accelerated(source: string, request: RawRequest = raw()): Promise<Run | AccelResult> {
  const logs: string[] = [];
  const inst = accelerate(source, recordingIO((r) => ({ url: r.url })), undefined, logs);
  const res = await inst.handle(request, { timeoutMs: 2000 });
  if (res.kind === 'abort') return res;
  return { status: res.response.status, body: res.response.body, logs: logs.flatMap((l) => { const i = l.indexOf(': '); return withoutFrames(l.slice(0, i), l.slice(i + 2)); }) };
}

/** Asserts that the accelerated run answers exactly as Node does (response and logs), not by aborting. */
export async function sameAsNode(source: string, request?: RawRequest): Promise<Run> {
  const node = await inNode(source, request);
  const accel = await accelerated(source, request);
  assert.notEqual((accel as AccelResult).kind, 'abort', `aborted: ${JSON.stringify(accel)}\n${source}`);
  assert.deepEqual(accel, node, source);
  return node;
}
