/**
 * Large deploys (issue 9, item 6): a 4.9 MB source is checked and instrumented off the event loop,
 * so other functions keep answering meanwhile; redeploys of one function racing each other apply in
 * the order they came. Through the HTTP API of a real platform (runc).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, deploy as deployPinned, platform } from '../e2e/helpers.ts';
import { until, untilAccelerated } from '../acceleration/helpers.ts';
import { bigSource, keepCalling, notOk, put, version } from './api-helpers.ts';

test('a 4.9 MB deploy does not stop other functions from answering, and it succeeds', async (t) => {
  const p = await platform(t, { policy: { compileAfterRequests: 2, compileWhenStableFor: 1, recompileDelayMs: 10 } });
  // One function answered on the dispatcher's own event loop (accelerated), one by a container.
  assert.equal((await put(p, 'fast', version('fast'))).status, 201);
  await untilAccelerated(p, '/fn/fast/');
  await deployPinned(p, 'boxed', version('boxed'));
  assert.equal((await call(p, '/fn/boxed/')).text, 'vboxed');
  const source = bigSource(4.9 * 1024 * 1024);
  let done = false;
  const started = Date.now();
  const bigDeploy = put(p, 'big', source).then(async (r) => {
    done = true;
    return { status: r.status, text: await r.text(), at: Date.now() };
  });
  const [fast, boxed, health] = await Promise.all(['/fn/fast/', '/fn/boxed/', '/healthz'].map((path) => keepCalling(p, path, () => done)));
  const big = await bigDeploy;
  assert.equal(big.status, 201, big.text.slice(0, 300));
  const during = (seen: Array<{ at: number; status: number }>) => seen.filter((s) => s.at > started && s.at < big.at);
  // Each kept answering while the big source was checked and instrumented (the bulk of the deploy).
  assert.ok(during(fast).length >= 5, `accelerated answers during the deploy: ${during(fast).length}`);
  assert.ok(during(boxed).length >= 5, `container answers during the deploy: ${during(boxed).length}`);
  assert.ok([...fast, ...boxed, ...health].every((s) => s.status === 200));
  assert.ok(fast.every((s) => s.mode === 'accelerated'));
  // No long silence: before, the event loop stopped for the whole check (no answer for ~all of it).
  const times = during(health).map((s) => s.at);
  const gaps = times.slice(1).map((x, i) => x - times[i]!);
  const longest = Math.max(times[0]! - started, ...gaps, big.at - times.at(-1)!);
  assert.ok(longest < (big.at - started) / 2, `longest silence of /healthz ${longest} ms in a ${big.at - started} ms deploy`);
  const info = (await call(p, '/api/functions/big')).json();
  assert.equal(info.version, 1);
  assert.equal(info.source_bytes, Buffer.byteLength(source));
  assert.ok(info.trace.arms > 100_000, 'the big source was instrumented (in the worker)');
  // It serves, in a plain container. The sandbox gives a function's top level 10 s to load, which
  // 5 MB of code can exceed while the machine is busy (the full suite): a failed load is retried.
  assert.equal((await call(p, '/api/functions/big/mode', { method: 'PUT', body: '{"mode":"containers"}' })).status, 200);
  await until('the big function answers', async () => (await call(p, '/fn/big/')).text === 'big', 90_000);
  assert.equal((await call(p, '/fn/fast/')).text, 'vfast');
  assert.equal((await call(p, '/healthz')).status, 200);
});

test('the trace tree of a large function is built off the event loop', async (t) => {
  const p = await platform(t, { policy: { compileAfterRequests: 2, compileWhenStableFor: 1, recompileDelayMs: 10 } });
  assert.equal((await put(p, 'fast', version('fast'))).status, 201);
  await untilAccelerated(p, '/fn/fast/');
  // 1.5 MB, 45,000 arms: materialising its tree takes seconds of CPU, in the compile worker.
  assert.equal((await put(p, 'large', bigSource(1.5 * 1024 * 1024, 'large'))).status, 201);
  // One traced request. On a busy machine its container's start (15 s limit, 503) or the load of 1.5 MB
  // of instrumented code (10 s, 500) can outlast the sandbox's limits: it is asked again then.
  let traced: Awaited<ReturnType<typeof call>> | undefined;
  const answered = async () => (traced = await call(p, '/fn/large/')).status === 200;
  await until('the large function answers traced', answered, 90_000).catch((err: Error) => assert.fail(`${err.message}: ${traced?.status} ${traced?.text.slice(0, 200)}`));
  assert.equal(traced!.text, 'large');
  assert.equal(traced!.headers.get('x-containerless-mode'), 'tracing');
  let shownAt = 0;
  const started = Date.now();
  const [trace, fast] = await Promise.all([call(p, '/api/functions/large/trace').finally(() => (shownAt = Date.now())), keepCalling(p, '/fn/fast/', () => shownAt > 0)]);
  assert.equal(trace.status, 200, trace.text.slice(0, 200));
  const tree = trace.json();
  assert.ok(tree.paths >= 1 && Object.keys(tree.counts).length > 1, trace.text.slice(0, 200));
  assert.ok(fast.every((s) => s.status === 200 && s.mode === 'accelerated'), `not 200: ${notOk(fast)}; modes: ${[...new Set(fast.map((s) => s.mode))]}`);
  // The accelerated function kept answering while the tree was built: its longest silence is a small
  // part of the time the trace took (built on the event loop, it would be about all of it), whatever
  // the machine's speed.
  const times = fast.map((s) => s.at).filter((at) => at <= shownAt);
  const gaps = times.slice(1).map((x, i) => x - times[i]!);
  const longest = times.length ? Math.max(times[0]! - started, ...gaps, shownAt - times.at(-1)!) : shownAt - started;
  assert.ok(longest < (shownAt - started) / 2, `longest silence of the accelerated function ${longest} ms while the trace took ${shownAt - started} ms (${times.length} answers)`);
});

test('racing redeploys of one function end with the last one sent; a DELETE after them removes it', async (t) => {
  const p = await platform(t);
  // The first is large (checked in the worker, seconds), the second small (checked at once): the
  // second must still apply after the first.
  const first = put(p, 'race', bigSource(1024 * 1024, 'first'));
  await new Promise((r) => setTimeout(r, 300));
  const second = put(p, 'race', version('second'), { timeout_ms: 5000 });
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.status, 201);
  assert.equal(b.status, 200);
  assert.equal(((await a.json()) as { version: number }).version, 1);
  assert.equal(((await b.json()) as { version: number }).version, 2);
  const info = (await call(p, '/api/functions/race')).json();
  assert.equal(info.version, 2);
  assert.equal(info.config.timeout_ms, 5000);
  assert.equal((await call(p, '/fn/race/')).text, 'vsecond');
  // Code-only redeploy racing a config change: the config of the one before it is kept.
  const third = put(p, 'race', bigSource(512 * 1024, 'third'), { timeout_ms: 7000 });
  await new Promise((r) => setTimeout(r, 300));
  const fourth = put(p, 'race', version('fourth'));
  assert.deepEqual([(await third).status, (await fourth).status], [200, 200]);
  const after = (await call(p, '/api/functions/race')).json();
  assert.equal(after.version, 4);
  assert.equal(after.config.timeout_ms, 7000, 'the code-only deploy kept the config of the deploy before it');
  assert.equal((await call(p, '/fn/race/')).text, 'vfourth');
  // A DELETE sent after a deploy applies after it.
  const fifth = put(p, 'race', bigSource(512 * 1024, 'fifth'));
  await new Promise((r) => setTimeout(r, 300));
  const del = call(p, '/api/functions/race', { method: 'DELETE' });
  assert.equal((await fifth).status, 200);
  assert.equal((await del).status, 200);
  assert.equal((await call(p, '/api/functions/race')).status, 404);
  assert.equal((await call(p, '/fn/race/')).status, 404);
  assert.equal((await call(p, '/healthz')).status, 200);
});
