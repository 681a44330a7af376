/**
 * The pre-live check (docs/policy.md, "Before compiled code goes live"): the program a compile made
 * replays a sample of the version's recent traced requests (prelive-sample.ts) with the answers
 * their outbound calls got, and must give the responses the containers gave. It runs the very
 * program that will serve (loaded in the accelerator workers like it), so nothing of it runs on the
 * dispatcher's thread; this file only feeds it requests and compares.
 */
import type { AccelResult } from '../accelerator/index.ts';
import type { FnResponse, IO, RawRequest } from '../api/index.ts';
import { recordedOnlyIO, type RecordedCall } from '../io/index.ts';
import { abortMeaning } from './abort-meaning.ts';
import type { LoadSpec } from './accel-messages.ts';
import type { AccelRunner } from './accel-runner.ts';
import { IdRoutedIO } from './id-routed-io.ts';
import type { TracedExample } from './prelive-sample.ts';

/** Runs one request of the checked program; its outbound calls go to `io`. */
export type ReplayRun = (raw: RawRequest, io: IO) => Promise<AccelResult>;

export interface CheckOptions {
  /** Stop replaying once this much time went by (the requests already replayed decide). */
  budgetMs: number;
  /** More than this fraction of the replayed requests aborting keeps the code from going live. */
  abortRate: number;
  /** A mismatch is replayed once more after this delay: a clock read at second granularity has moved by then. */
  confirmDelayMs?: number;
  /**
   * Another instance of the program, fresh at each call: a mismatch is replayed on such instances with
   * other histories, and an answer that changes with the requests before it is not compared.
   */
  another?: () => Promise<ReplayRun | undefined>;
}

export type CheckOutcome =
  | { ok: true; replayed: number; matched: number; aborted: number; unreproducible: number }
  | { ok: false; kind: 'mismatch' | 'aborts'; reason: string; replayed: number };

/** A mismatch is replayed once more after this long: an answer with a clock read in seconds changes by then. */
export const PRELIVE_CONFIRM_MS = 1100;

/**
 * Loads `spec.code` under `key` in the runner, apart from the program that will serve (its own
 * instance: the replays leave no state in the serving one), with each replayed request's outbound
 * calls going only to its recorded answers and its log lines dropped; replays `examples`; unloads it.
 */
export async function checkOnRunner(
  runner: AccelRunner,
  key: string,
  spec: LoadSpec,
  examples: readonly TracedExample[],
  /**
   * `topLevel`: where the calls of the program's top level go. Every instance start runs it (as every
   * container start does), and the replays must start from the state a container's top level
   * reached: a function that loads its configuration at start would answer otherwise.
   */
  o: CheckOptions & { timeoutMs: number; topLevel?: IO },
): Promise<CheckOutcome> {
  if (examples.length === 0) return { ok: true, replayed: 0, matched: 0, aborted: 0, unreproducible: 0 };
  const prefix = `${key}/prelive-`;
  const router = new IdRoutedIO(prefix, o.topLevel);
  let n = 0;
  /** The program loaded under `k`: replays on its own instance. */
  const loaded = async (k: string): Promise<ReplayRun | string> => {
    const loadError = await runner.load(k, spec, { io: router.io, log: () => undefined });
    if (loadError !== undefined) return loadError;
    return async (raw, io) => {
      const id = `${prefix}${++n}`;
      router.set(id, io);
      try {
        return (await runner.handle(k, raw, { timeoutMs: o.timeoutMs, id })).result;
      } catch (err) {
        return { kind: 'abort', reason: 'internal', detail: (err as Error).message, outbound: [] };
      } finally {
        router.delete(id);
      }
    };
  };
  try {
    const run = await loaded(key);
    if (typeof run === 'string') return { ok: false, kind: 'aborts', reason: `its compiled code did not load for the check: ${run}`, replayed: 0 };
    const another = async (): Promise<ReplayRun | undefined> => {
      runner.unload(`${key}/history`);
      const r = await loaded(`${key}/history`);
      return typeof r === 'string' ? undefined : r;
    };
    return await preliveCheck(examples, run, { ...o, another });
  } finally {
    runner.unload(key);
    runner.unload(`${key}/history`);
  }
}

/**
 * Whether the answer to `ex` depends on the requests served before it (state kept across requests,
 * such as a cache whose entries come out in insertion order): replayed on a fresh instance after the
 * other examples in reverse order, or on another with no history at all, it differs from `answer`.
 * The container's answer came after its own history, which the sample does not hold whole, so such
 * an answer cannot be compared.
 */
async function historyDependent(ex: TracedExample, answer: FnResponse, examples: readonly TracedExample[], pool: readonly RecordedCall[], another: CheckOptions['another']): Promise<boolean> {
  const differs = (x: Replayed) => x.kind === 'response' && difference(x.response, answer) !== undefined;
  // After the others in reverse, then (another fresh instance) with no history at all.
  for (const alone of [false, true]) {
    const run = await another?.();
    if (!run) return false;
    if (!alone) for (const e of [...examples].reverse()) if (e !== ex) await replay(e, run, pool);
    if (differs(await replay(ex, run, pool))) return true;
  }
  return false;
}

/** `stateful`: the replay's calls parted from the record as state kept across requests makes them (replay). */
type Replayed = { kind: 'response'; response: FnResponse; stateful: boolean } | { kind: 'abort'; result: AccelResult & { kind: 'abort' }; unrecorded?: string };

export async function preliveCheck(examples: readonly TracedExample[], run: ReplayRun, o: CheckOptions): Promise<CheckOutcome> {
  const t0 = Date.now();
  const aborts: Array<Replayed & { kind: 'abort' }> = [];
  let replayed = 0;
  let matched = 0;
  let unreproducible = 0;
  const pool = examples.flatMap((e) => e.calls);
  for (const ex of examples) {
    if (Date.now() - t0 > o.budgetMs) break;
    replayed++;
    let a = await replay(ex, run, pool);
    if (a.kind === 'response' && a.stateful) {
      // State kept across requests (a cache an earlier request filled, or not yet) made the calls differ
      // from the container's: once more on the same instance, whose state this replay moved on.
      a = await replay(ex, run, pool);
      if (a.kind === 'response' && a.stateful) {
        unreproducible++;
        continue;
      }
    }
    if (a.kind === 'abort') {
      aborts.push(a);
      continue;
    }
    // The same request again on the same instance: an answer that depends on the clock, a random
    // value or state kept across requests changes, and then the container's cannot be compared.
    const b = await replay(ex, run, pool);
    if (b.kind === 'abort') {
      aborts.push(b);
      continue;
    }
    if (b.stateful || difference(a.response, b.response) !== undefined) {
      unreproducible++;
      continue;
    }
    let diff = difference(ex.response, a.response);
    if (diff !== undefined && o.confirmDelayMs !== undefined && o.confirmDelayMs > 0) {
      await new Promise((r) => setTimeout(r, o.confirmDelayMs));
      const c = await replay(ex, run, pool);
      if (c.kind === 'abort' || c.stateful || difference(a.response, c.response) !== undefined) {
        unreproducible++;
        continue;
      }
      diff = difference(ex.response, c.response);
    }
    if (diff !== undefined && (await historyDependent(ex, a.response, examples, pool, o.another))) {
      unreproducible++;
      continue;
    }
    if (diff !== undefined) return { ok: false, kind: 'mismatch', replayed, reason: `its compiled code answered the traced request ${describeRequest(ex.raw)} differently from its container: ${diff}` };
    matched++;
  }
  if (replayed > 0 && aborts.length / replayed > o.abortRate) {
    return { ok: false, kind: 'aborts', replayed, reason: `${topAbort(aborts)} on ${aborts.length} of ${replayed} traced requests replayed` };
  }
  return { ok: true, replayed, matched, aborted: aborts.length, unreproducible };
}

/**
 * One replay: calls get the answers recorded for them, in order. Where its calls part from the
 * record because of state kept across requests (a cache the container had filled, or not yet), it is
 * `stateful`: a call another traced request made is answered as it was, and a recorded call left
 * unmade is no error. A call no container made is never performed.
 */
async function replay(ex: TracedExample, run: ReplayRun, pool: readonly RecordedCall[]): Promise<Replayed> {
  let unrecorded: string | undefined;
  const io = recordedOnlyIO(ex.calls, (req) => (unrecorded ??= `${req.method} ${req.url}`), pool);
  const r = await run(ex.raw, io);
  // A call no container made would be a real effect of a replay: the replay counts as aborted.
  if (unrecorded !== undefined) return { kind: 'abort', result: { kind: 'abort', reason: 'internal', detail: `an outbound call the container did not make: ${unrecorded}`, outbound: [] }, unrecorded };
  if (r.kind === 'abort') return { kind: 'abort', result: r };
  return { kind: 'response', response: r.response, stateful: io.borrowed > 0 || io.used < ex.calls.length };
}

/** The most frequent abort (its reason, detail and place), as a user reads it. */
function topAbort(aborts: ReadonlyArray<Replayed & { kind: 'abort' }>): string {
  const counts = new Map<string, number>();
  let best = '';
  let bestN = 0;
  for (const a of aborts) {
    const text = a.unrecorded !== undefined ? `its compiled code made an outbound call its container did not make (${a.unrecorded})` : abortMeaning(a.result);
    const n = (counts.get(text) ?? 0) + 1;
    counts.set(text, n);
    if (n > bestN) [best, bestN] = [text, n];
  }
  return best;
}

/** How two responses differ (status, headers, body bytes), or undefined when they do not. */
export function difference(expected: FnResponse, got: FnResponse): string | undefined {
  if (expected.status !== got.status) return `status ${expected.status} in the container, ${got.status} compiled`;
  const names = new Set([...Object.keys(expected.headers), ...Object.keys(got.headers)]);
  for (const n of [...names].sort()) {
    const e = expected.headers[n];
    const g = got.headers[n];
    if (e !== g) return `header ${n}: ${show(e)} in the container, ${show(g)} compiled`;
  }
  const eb = bytes(expected);
  const gb = bytes(got);
  if (eb.equals(gb)) return undefined;
  let i = 0;
  while (i < eb.length && i < gb.length && eb[i] === gb[i]) i++;
  const near = (b: Buffer) => JSON.stringify(b.subarray(Math.max(0, i - 10), i + 30).toString('utf8'));
  return `body differs at byte ${i} (${eb.length} bytes in the container, ${gb.length} compiled): ${near(eb)} in the container, ${near(gb)} compiled`;
}

function bytes(r: FnResponse): Buffer {
  return Buffer.from(r.body, r.bodyEncoding === 'base64' ? 'base64' : 'utf8');
}

function show(v: string | undefined): string {
  if (v === undefined) return 'absent';
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
}

export function describeRequest(raw: RawRequest): string {
  const q = raw.queryString ?? new URLSearchParams(raw.query).toString();
  const text = `${raw.method} ${raw.path}${q ? `?${q}` : ''}`;
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}
