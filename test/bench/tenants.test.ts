// The pure parts of `containerless bench tenants` (bench/tenants/): the seeded load, percentiles,
// the report's summary and the SVG writer. Statistical checks use generous bounds (many standard
// deviations) so that they hold for any seed; nothing here is timed.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { azureSchedule, permutation, poissonSchedule, prng, sampler, schedule, zipfWeights, type LoadOptions } from '../../bench/tenants/load.ts';
import { buckets, countBy, percentiles, quantile } from '../../bench/tenants/stats.ts';
import { escapeXml, lineChart } from '../../bench/tenants/svg.ts';
import { disagreements, goalRows, markdown, MODE_LABEL, secondHalfLagP99, summarize, type ModeResult } from '../../bench/tenants/report.ts';
import { counterSum } from '../../bench/tenants/platform.ts';
import { configText, routerSource } from '../../bench/tenants/workerd.ts';
import { secondHalfCpu } from '../../bench/tenants/drive.ts';
import type { Usage } from '../../bench/accel-proc.ts';

const base: LoadOptions = { functions: 40, rate: 100, duration: 60, seed: 7, zipf: 1.1, arrivals: 'poisson', variants: 8 };

test('the PRNG is seeded: the same seed repeats, another differs, values lie in [0, 1)', () => {
  const a = prng(42);
  const b = prng(42);
  const c = prng(43);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
  assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => c()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(m - 0.5) < 0.05, `mean ${m}`);
});

test('Zipf weights sum to 1 and fall as rank^-s', () => {
  const w = zipfWeights(80, 1.1);
  assert.ok(Math.abs(w.reduce((s, x) => s + x, 0) - 1) < 1e-9);
  for (let i = 1; i < w.length; i++) assert.ok(w[i]! < w[i - 1]!);
  assert.ok(Math.abs(w[0]! / w[1]! - 2 ** 1.1) < 1e-9);
  assert.ok(Math.abs(w[0]! / w[9]! - 10 ** 1.1) < 1e-9);
});

test('sampling with Zipf weights draws each rank about as often as its weight', () => {
  const w = zipfWeights(20, 1.1);
  const pick = sampler(w);
  const rand = prng(1);
  const n = 50_000;
  const counts = new Array(20).fill(0);
  for (let i = 0; i < n; i++) counts[pick(rand)]++;
  for (const r of [0, 1, 2, 10, 19]) {
    const sd = Math.sqrt(n * w[r]! * (1 - w[r]!));
    assert.ok(Math.abs(counts[r] - n * w[r]!) < 6 * sd, `rank ${r}: ${counts[r]} vs ${n * w[r]!}`);
  }
});

test('a permutation holds every index once', () => {
  const p = permutation(50, prng(3));
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(p, Array.from({ length: 50 }, (_, i) => i));
});

test('Poisson arrivals: about rate x duration requests, exponential gaps, in order, in range', () => {
  const s = poissonSchedule(base);
  const expected = base.rate * base.duration;
  assert.ok(Math.abs(s.length - expected) < 6 * Math.sqrt(expected), `${s.length} requests`);
  assert.ok(s.every((a, i) => a.at >= 0 && a.at < base.duration && (i === 0 || a.at >= s[i - 1]!.at)));
  assert.ok(s.every((a) => Number.isInteger(a.fn) && a.fn >= 0 && a.fn < base.functions && a.variant >= 0 && a.variant < base.variants));
  const gaps = s.slice(1).map((a, i) => a.at - s[i]!.at);
  const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((x, g) => x + (g - mean) ** 2, 0) / gaps.length);
  assert.ok(Math.abs(mean - 1 / base.rate) < 0.1 / base.rate, `mean gap ${mean}`);
  // An exponential's coefficient of variation is 1 (a periodic sender's would be 0).
  assert.ok(sd / mean > 0.85 && sd / mean < 1.15, `cv ${sd / mean}`);
});

test('the schedule gives each function its Zipf share', () => {
  const s = poissonSchedule(base);
  const counts = countBy(s, (a) => String(a.fn));
  const sorted = Object.values(counts).sort((a, b) => b - a);
  const w = zipfWeights(base.functions, base.zipf);
  const sd = Math.sqrt(s.length * w[0]! * (1 - w[0]!));
  assert.ok(Math.abs(sorted[0]! - s.length * w[0]!) < 6 * sd, `hottest ${sorted[0]} of ${s.length}`);
  // The long tail: the coldest half of the functions gets a small share of the requests.
  const tail = sorted.slice(base.functions / 2).reduce((a, b) => a + b, 0);
  assert.ok(tail < 0.25 * s.length, `tail ${tail}`);
});

test('every mode gets the same schedule: same options, same arrivals; another seed, others', () => {
  for (const arrivals of ['poisson', 'azure'] as const) {
    const o = { ...base, arrivals };
    assert.deepEqual(schedule(o), schedule({ ...o }));
    assert.notDeepEqual(schedule(o).slice(0, 20), schedule({ ...o, seed: 8 }).slice(0, 20));
  }
});

test('the Azure-like shape keeps the total rate, is sorted, and has timer-like functions', () => {
  const s = azureSchedule({ ...base, arrivals: 'azure' });
  const expected = base.rate * base.duration;
  assert.ok(s.length > 0.8 * expected && s.length < 1.2 * expected, `${s.length} requests`);
  assert.ok(s.every((a, i) => a.at >= 0 && a.at < base.duration && (i === 0 || a.at >= s[i - 1]!.at)));
  // A timer function's bursts are evenly spaced: the gaps between its bursts are all equal.
  const byFn = new Map<number, number[]>();
  for (const a of s) byFn.set(a.fn, [...(byFn.get(a.fn) ?? []), a.at]);
  const periodic = [...byFn.values()].filter((ts) => {
    const starts = ts.filter((t, i) => i === 0 || t - ts[i - 1]! > 0.01);
    if (starts.length < 3) return false;
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    return gaps.every((g) => Math.abs(g - gaps[0]!) < 1e-6);
  });
  assert.ok(periodic.length >= 3, `${periodic.length} periodic functions`);
});

test('percentiles are nearest-rank', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => 1000 - i);
  assert.deepEqual(percentiles(xs), { n: 1000, p50: 500, p99: 990, p999: 999 });
  assert.equal(quantile([5], 0.999), 5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.deepEqual(buckets([0.5, 1.2, 1.9, 9.99], (x) => x, 1, 3), [[0.5], [1.2, 1.9], [9.99]]);
});

test('the summary counts platform errors, modes and the accelerated share of the second half', () => {
  const answers = [
    { at: 1, fn: 0, latencyMs: 100, status: 503, mode: 'none' },
    { at: 2, fn: 0, latencyMs: 50, status: 200, mode: 'tracing' },
    { at: 3, fn: 1, latencyMs: 10, status: 404, mode: 'container' },
    { at: 6, fn: 0, latencyMs: 1, status: 200, mode: 'accelerated' },
    { at: 7, fn: 0, latencyMs: 2, status: 200, mode: 'accelerated' },
    { at: 8, fn: 1, latencyMs: 3, status: 500, mode: 'container' },
  ];
  const r: ModeResult = { label: 'x', answers, memory: [{ at: 0, rssBytes: 100e6, pssBytes: 50e6, processes: 1 }, { at: 1, rssBytes: 300e6, pssBytes: 150e6, processes: 3 }], cpuMs: 60, maxSendLagMs: 0, deployFailures: [] };
  const s = summarize(r, 10);
  assert.equal(s.platformErrors, 1);
  assert.deepEqual(s.statuses, { '200': 3, '404': 1, '500': 1, '503': 1 });
  assert.ok(Math.abs(s.acceleratedSecondHalf - 2 / 3) < 1e-9);
  assert.deepEqual(s.acceleratedPerBucket, [0, 2 / 3]);
  assert.equal(s.peakMemMb, 300);
  assert.equal(s.meanMemMb, 200);
  assert.equal(s.peakPssMb, 150);
  assert.equal(s.meanPssMb, 100);
  assert.equal(s.cpuMsPerRequest, 10);
  assert.ok(Number.isNaN(s.cpuMsPerRequestSecondHalf), 'not measured: no figure');
  assert.equal(s.secondHalf.p99, 3);
  assert.equal(summarize({ ...r, secondHalfCpuMs: 36 }, 10).cpuMsPerRequestSecondHalf, 12);
});

test("the sender's lag is read over the second half only, and is absent where not recorded", () => {
  const base = { fn: 0, latencyMs: 1, status: 200, mode: 'accelerated' };
  const answers = [{ ...base, at: 1, sendLagMs: 500 }, ...Array.from({ length: 100 }, (_, i) => ({ ...base, at: 5 + i / 100, sendLagMs: i }))];
  assert.equal(secondHalfLagP99(answers, 10), 98, 'nearest rank of 0..99; the first half\'s 500 ms is left out');
  assert.ok(Number.isNaN(secondHalfLagP99([{ ...base, at: 6 }], 10)));
});

test("the second half's CPU: a process that exited meanwhile counts from the half only", () => {
  const usage = (rootCpuMs: number, perPid: Array<[number, number]>): Usage => ({ rootCpuMs, childCpuMs: 0, rootRss: 0, childRss: 0, perPid: new Map(perPid) });
  // Process 11 had used 50 ms at the half and 80 ms when it exited: the root's cutime took all 80.
  const half = usage(1000, [[10, 100], [11, 50]]);
  const end = usage(1300, [[10, 150], [12, 20]]);
  assert.equal(secondHalfCpu(half, end), 300 - 50 + 50 + 20);
});

test('platform errors the peer also gave, for the same scheduled request, are the function\'s own', () => {
  const base = { latencyMs: 1, mode: 'container' };
  const mine: ModeResult = { label: 'default policy', answers: [{ ...base, at: 1, fn: 0, status: 503 }, { ...base, at: 2, fn: 1, status: 502 }, { ...base, at: 3, fn: 1, status: 504 }], memory: [], cpuMs: 0, maxSendLagMs: 0, deployFailures: [] };
  const peer: ModeResult = { label: 'workerd', answers: [{ ...base, at: 1, fn: 0, status: 503 }, { ...base, at: 2, fn: 1, status: 200 }, { ...base, at: 3, fn: 0, status: 504 }], memory: [], cpuMs: 0, maxSendLagMs: 0, deployFailures: [] };
  const s = summarize(mine, 10, 5, peer);
  assert.equal(s.platformErrors, 3);
  // The 503 is the function's (the peer gave it too); the 502 is not; the 504 has no peer answer at that tenant.
  assert.equal(s.platformErrorsBeyondPeer, 2);
  assert.equal(summarize(peer, 10, 5, peer).platformErrorsBeyondPeer, undefined);
  assert.equal(summarize(mine, 10).platformErrorsBeyondPeer, undefined);
});

test('counterSum adds a Prometheus counter over its labels, and only that counter', () => {
  const text = '# HELP x\ncontainerless_cold_starts_total{function="a"} 3\ncontainerless_cold_starts_total{function="b"} 4\ncontainerless_cold_starts_totalx 100\n';
  assert.equal(counterSum(text, 'containerless_cold_starts_total'), 7);
});

/** A small well-formedness check: tags nest and close, attributes are quoted, text has no raw `<` or `&`. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let seen = 0;
  while ((m = token.exec(xml))) {
    seen = token.lastIndex;
    if (m[5] !== undefined) {
      assert.ok(!/&(?!(lt|gt|amp|quot|apos);)/.test(m[5]), `raw & in text ${m[5]}`);
      continue;
    }
    if (m[1]) assert.equal(stack.pop(), m[2], `close ${m[2]}`);
    else if (!m[4]) stack.push(m[2]!);
    for (const a of m[3]!.matchAll(/="([^"]*)"/g)) assert.ok(!/&(?!(lt|gt|amp|quot|apos);)/.test(a[1]!), `raw & in ${a[1]}`);
  }
  assert.equal(seen, xml.length, `not markup at ${seen}: ${xml.slice(seen, seen + 40)}`);
  assert.deepEqual(stack, []);
}

test('the SVG writer makes a well-formed document with one line per series, names escaped', () => {
  const svg = lineChart(
    [
      { name: 'containers <only> & "pinned"', points: [[0, 1], [1, 1000], [2, 10]] },
      { name: 'workerd', points: [[0, 2], [1, 3], [2, NaN]] },
      { name: 'empty', points: [] },
    ],
    { title: 'p99 & more', xLabel: 'time (s)', yLabel: 'ms', logY: true },
  );
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assertWellFormed(svg.trim());
  assert.equal(svg.match(/<polyline /g)?.length, 2);
  assert.ok(svg.includes('containers &lt;only&gt; &amp; &quot;pinned&quot;'));
  assert.ok(!/NaN|Infinity/.test(svg));
  assert.equal(escapeXml(`<'&">`), '&lt;&apos;&amp;&quot;&gt;');
  assertWellFormed(lineChart([], { title: 't', xLabel: 'x', yLabel: 'y' }).trim());
});

test('the workerd router and config name every tenant module', () => {
  const names = ['t00-login', 't01-maze'];
  const router = routerSource(names);
  assert.match(router, /import f1 from '\.\/fn-1\.js';/);
  assert.match(router, /"t01-maze": f1,/);
  const config = configText(names, 1234);
  for (const m of ['router.js', 'fn-0.js', 'fn-1.js']) assert.ok(config.includes(`esModule = embed "${m}"`));
  assert.ok(config.includes('address = "127.0.0.1:1234"'));
});

test('disagreements name the tenants whose statuses differ from the first mode', () => {
  const run = (label: string, statuses: number[]): ModeResult => ({ label, answers: statuses.map((status, i) => ({ at: i, fn: i % 2, latencyMs: 1, status, mode: 'm' })), memory: [], cpuMs: 0, maxSendLagMs: 0, deployFailures: [] });
  const a = run('containers', [200, 404, 200, 404]);
  assert.deepEqual(disagreements([a, run('auto', [200, 404, 200, 404])], ['f0', 'f1']), []);
  const d = disagreements([a, run('auto', [200, 404, 503, 404])], ['f0', 'f1']);
  assert.equal(d.length, 1);
  assert.match(d[0]!, /^f0: containers \{"200":2\}, auto \{"200":1,"503":1\}$/);
});

/**
 * A run of 100 answers, one a 10th of a second from 0 to 10 s: latencies `lat(i)`, statuses `status(i)`,
 * accelerated from the first `accelFrom` on, memory one sample of `rssMb` (PSS half of it).
 */
function goalRun(label: string, o: { lat?: (i: number) => number; status?: (i: number) => number; accelFrom?: number; rssMb: number }): ModeResult {
  const answers = Array.from({ length: 100 }, (_, i) => ({ at: i / 10, fn: i % 4, latencyMs: o.lat?.(i) ?? 1, status: o.status?.(i) ?? 200, mode: i >= (o.accelFrom ?? 100) ? 'accelerated' : 'container' }));
  return { label, answers, memory: [{ at: 0, rssBytes: o.rssMb * 1e6, pssBytes: (o.rssMb / 2) * 1e6, processes: 1 }], cpuMs: 0, maxSendLagMs: 0, deployFailures: [] };
}

const judge = (runs: ModeResult[]) => {
  const peer = runs.find((r) => r.label.startsWith('workerd'));
  return Object.fromEntries(goalRows(runs.map((r) => summarize(r, 10, 5, peer))).map((g) => [g.goal, g]));
};

test("issue 13's goals are judged from one run's figures, each against its threshold", () => {
  // The function's own 503 at i = 7 is answered by every mode: it is not the platform's.
  const own503 = (i: number) => (i === 7 ? 503 : 200);
  const peer = goalRun('workerd 1', { lat: () => 4, status: own503, rssMb: 130 });
  const good = judge([
    // A 502 of the platform's in containers-only does not count against its no-503 goal.
    goalRun(MODE_LABEL.containers, { lat: () => 900, status: (i) => (i === 9 ? 502 : own503(i)), rssMb: 600 }),
    goalRun(MODE_LABEL.auto, { lat: () => 4.79, status: own503, accelFrom: 50, rssMb: 120 }),
    peer,
  ]);
  for (const g of Object.values(good)) assert.equal(g.met, true, `${g.goal}: ${g.figure}`);
  assert.match(good['default policy, second half: p99 within 1.2x of workerd']!.figure, /4\.79 ms against 4\.00 ms \(1\.20x\)/);
  assert.match(good['default policy: peak memory at least 5x below containers-only']!.figure, /600 \/ 120 MB RSS = 5\.00x/);

  const bad = judge([
    // A 503 where the peer answered 200: the platform's; and a p99 of a second.
    goalRun(MODE_LABEL.containers, { lat: () => 1000, status: (i) => (i === 8 ? 503 : own503(i)), rssMb: 599 }),
    // Accelerated from i = 53: 94% of the second half; one platform 502; two 1 s answers make the
    // whole run's p99 (nearest rank 99 of 100); the second half's p99 is 4.81 ms, just over 1.2x.
    goalRun(MODE_LABEL.auto, { lat: (i) => (i === 3 || i === 4 ? 1000 : 4.81), status: (i) => (i === 9 ? 502 : own503(i)), accelFrom: 53, rssMb: 130 }),
    peer,
  ]);
  for (const g of Object.values(bad)) assert.equal(g.met, false, `${g.goal}: ${g.figure}`);
  assert.equal(bad['containers-only: no 503 from the platform, p99 under 1 s']!.figure, '1 × 503, p99 1.00 s');
  assert.match(bad['default policy, whole run: no platform errors']!.figure, /^1 not the peer's of 2$/);
});

test('a goal that compares with a mode this run left out says so instead of judging', () => {
  const g = judge([goalRun(MODE_LABEL.auto, { accelFrom: 0, rssMb: 100 })]);
  assert.equal(g['default policy, whole run: p99 under 1 s']!.met, true);
  // Without a peer the figure is every platform error.
  assert.equal(g['default policy, whole run: no platform errors']!.figure, '0 of 0');
  for (const name of ['default policy, second half: p99 within 1.2x of workerd', 'default policy: peak memory below workerd']) {
    assert.equal(g[name]!.met, undefined);
    assert.equal(g[name]!.figure, 'not run (workerd)');
  }
  assert.equal(g['default policy: peak memory at least 5x below containers-only']!.figure, 'not run (containers-only)');
  assert.equal(g['containers-only: no 503 from the platform, p99 under 1 s']!.figure, 'not run (containers-only)');
  const text = markdown([[goalRun(MODE_LABEL.auto, { accelFrom: 0, rssMb: 100 })]], { command: 'c', date: 'd', machine: 'm', loadBefore: '0', loadAfter: '0', duration: 10, notes: [], names: ['a', 'b', 'c', 'd'], latencySvg: 'l.svg', memorySvg: 'm.svg' });
  assert.match(text, /\| default policy, second half: at least 95% accelerated \| 100% \| yes \|/);
  assert.match(text, /\| default policy: peak memory below workerd \| not run \(workerd\) \| – \|/);
});

test('bad options get the reason and the usage, exit code 2; --help prints the usage', () => {
  const main = fileURLToPath(new URL('../../bench/tenants/main.ts', import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', timeout: 30_000 });
  for (const [args, reason] of [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--rate', 'x'], /--rate: expected a number >= 0\.01, got "x"/],
    [['--modes', 'auto,foo'], /--modes: unknown mode "foo"/],
    [['--arrivals', 'trace'], /--arrivals: poisson or azure, got "trace"/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, reason);
    assert.match(r.stderr, /^usage: containerless bench tenants \[options\]$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const help = run('--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--serve-flags=FLAGS/);
  // Through the CLI: commander passes options after `tenants` on instead of answering `bench --help`.
  const bin = fileURLToPath(new URL('../../bin/containerless.js', import.meta.url));
  const cli = spawnSync(process.execPath, [bin, 'bench', 'tenants', '--help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /^usage: containerless bench tenants \[options\]$/m);
});

test('several rounds: each judged alone, how many met each goal, and the median ratio to workerd', () => {
  const ctx = { command: 'c', date: 'd', machine: 'm', loadBefore: '0', loadAfter: '0', duration: 10, notes: [], names: ['a', 'b', 'c', 'd'], latencySvg: 'l.svg', memorySvg: 'm.svg' };
  const round = (autoMs: number) => [goalRun(MODE_LABEL.auto, { lat: () => autoMs, accelFrom: 0, rssMb: 100 }), goalRun('workerd 1', { lat: () => 4, rssMb: 130 })];
  // Ratios 1.10x, 1.50x and 1.30x: the 1.2x goal met in one round of three, the median 1.30x.
  const text = markdown([round(4.4), round(6), round(5.2)], ctx);
  assert.match(text, /^\| goal \| round 1 \| round 2 \| round 3 \| met in \|$/m);
  assert.match(text, /^\| default policy, second half: p99 within 1\.2x of workerd \| 4\.40 ms against 4\.00 ms \(1\.10x\) \| 6\.00 ms against 4\.00 ms \(1\.50x\) \| 5\.20 ms against 4\.00 ms \(1\.30x\) \| 1 of 3 \|$/m);
  assert.match(text, /^\| default policy: peak memory below workerd \| .* \| 3 of 3 \|$/m);
  assert.match(text, /^\| containers-only: no 503 from the platform, p99 under 1 s \| not run \(containers-only\) \| .* \| – \|$/m);
  assert.match(text, /median of the rounds' ratios: 1\.30x \(each round: 1\.10x, 1\.30x, 1\.50x, sorted\)/);
  // Every round's figures, labelled; the rest is the last round's.
  for (const k of [1, 2, 3]) assert.match(text, new RegExp(`^\\| default policy \\(round ${k}\\) \\| 100 \\|`, 'm'));
  assert.match(text, /Below: round 3 only\./);
  // One round keeps the one-run table.
  assert.match(markdown([round(4.4)], ctx), /^\| goal \| this run \| met \|$/m);
});
