// The isolation checks, one table for every sandbox driver: what a function tries, and what each
// driver must answer. test/sandbox/isolation.test.ts runs it on every driver this machine has;
// test/e2e/isolation.test.ts runs the checks a deployed function can make through the platform.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { detectCgroups, type Container, type ContainerSpec, type DriverName } from '../../src/sandbox/index.ts';
import type { MockServer } from './helpers.ts';
import { PROBE } from './probe-function.ts';

/** `n/a`: the check means nothing there, or would harm the host (`process` is not a sandbox). */
export type Expected = 'refused' | 'allowed' | 'n/a';
export type Verdict = 'refused' | 'allowed';

export const HOST_FILE_TEXT = 'host secret';
/** Set in the server's environment by the runners of the table; a function must never see it. */
export const SERVER_SECRET = { name: 'CL_TEST_SECRET', value: 'server env must not leak' };
/** The limits of the probe container (driver level), checked in its cgroup. */
export const PROBE_LIMITS = { memoryMb: 96, pids: 32 } as const;

export interface Target {
  readonly driver: DriverName;
  /** What the driver says it cannot enforce on this host. */
  readonly limitations: readonly string[];
  /** A world-readable file on the host (outside any sandbox root) holding HOST_FILE_TEXT. */
  readonly hostFile: string;
  /** A loopback backend the function tries to reach. */
  readonly backend: Pick<MockServer, 'url' | 'hits'>;
  /** The probe function's (probe-function.ts) answer, parsed when JSON, from a probe with network none or host. */
  ask(req: { path: string; query?: Record<string, string> }, network?: 'none' | 'host'): Promise<any>;
  /** Driver level only: the probe's container (limits PROBE_LIMITS), and fresh containers of any source. */
  readonly container?: {
    probe: Container;
    start(source: string, spec: Partial<ContainerSpec>): Promise<Container>;
  };
}

export interface Check {
  /** What the function tries. */
  tries: string;
  expect: Record<DriverName, Expected>;
  /** Why a driver's `n/a` is not applicable. */
  notApplicable?: string;
  /** Needs `target.container`: checked at the driver level only (not through the platform). */
  driverLevel?: boolean;
  /** Makes the attempt and says how it ended, asserting the exact form of the answer. */
  attempt(t: Target): Promise<Verdict>;
}

let tagSeq = 0;
const zeroCaps = '0000000000000000';

function neither(what: unknown): never {
  assert.fail(`neither refused nor allowed: ${JSON.stringify(what)}`);
}

/** Node networking straight to the backend; the backend says whether anything arrived. */
async function directConnection(t: Target, network: 'none' | 'host'): Promise<Verdict> {
  const tag = `/direct-${t.driver}-${network}-${++tagSeq}`;
  const r = await t.ask({ path: '/nodehttp', query: { url: `${t.backend.url}${tag}` } }, network);
  const reached = t.backend.hits.some((h) => h.url === tag);
  if (r.ok === false && !reached) return 'refused';
  if (r.ok === true && r.status === 200 && reached) return 'allowed';
  neither({ r, reached });
}

async function invokeOnce(c: Container, timeoutMs: number) {
  return c.invoke({ method: 'GET', path: '/', query: {}, headers: {}, body: '' }, { timeoutMs, requestId: `iso-${++tagSeq}` });
}

export const CHECKS: Check[] = [
  {
    tries: 'read host files: a file of the server, /etc/passwd, /etc/shadow, /root/.bashrc',
    expect: { runc: 'refused', bwrap: 'refused', process: 'allowed' },
    async attempt(t) {
      const got = [];
      for (const file of [t.hostFile, '/etc/passwd', '/etc/shadow', '/root/.bashrc']) got.push(await t.ask({ path: '/read', query: { file } }));
      // Refused means not there at all: outside the sandbox's root, not merely unreadable.
      if (got.every((a) => a.ok === false && a.code === 'ENOENT')) return 'refused';
      if (got[0].ok === true && got[0].text === HOST_FILE_TEXT) return 'allowed';
      neither(got);
    },
  },
  {
    tries: 'see host processes',
    expect: { runc: 'refused', bwrap: 'refused', process: 'allowed' },
    async attempt(t) {
      const r = await t.ask({ path: '/procs', query: { pid: String(process.pid) } });
      if (r.hostPidVisible === true && r.pids.length > 1) return 'allowed';
      if (r.hostPidVisible !== false) neither(r);
      // Its own PID namespace, with nothing else in it: the runner alone as pid 1, or under bwrap's init.
      assert.deepEqual(r.pids, t.driver === 'bwrap' ? [1, 2] : [1], JSON.stringify(r));
      assert.equal(r.self, t.driver === 'bwrap' ? 2 : 1);
      return 'refused';
    },
  },
  {
    tries: 'connect to a backend with Node networking under network "none"',
    expect: { runc: 'refused', bwrap: 'refused', process: 'allowed' },
    attempt: (t) => directConnection(t, 'none'),
  },
  {
    tries: 'call the backend through containerless.get (the I/O layer) under network "none"',
    expect: { runc: 'allowed', bwrap: 'allowed', process: 'allowed' },
    async attempt(t) {
      const r = await t.ask({ path: '/clget', query: { url: `${t.backend.url}/api` } });
      if (r.ok === true && r.body.url === '/api') return 'allowed';
      if (r.ok === false) return 'refused';
      neither(r);
    },
  },
  {
    tries: 'connect to a backend with Node networking under network "host"',
    expect: { runc: 'allowed', bwrap: 'allowed', process: 'allowed' },
    attempt: (t) => directConnection(t, 'host'),
  },
  {
    tries: 'run as root or with effective capabilities',
    expect: { runc: 'refused', bwrap: 'refused', process: 'refused' },
    async attempt(t) {
      const r = await t.ask({ path: '/self' });
      if (r.uid === 0 || r.capEff !== zeroCaps) return 'allowed';
      // The sandbox user; `process` drops to it when the server runs as root.
      if (t.driver !== 'process' || process.getuid?.() === 0) assert.equal(r.uid, 65534);
      return 'refused';
    },
  },
  {
    tries: 'regain privileges by exec: bounding capabilities, no no_new_privs',
    expect: { runc: 'refused', bwrap: 'refused', process: 'allowed' },
    async attempt(t) {
      const r = await t.ask({ path: '/self' });
      if (r.capBnd === zeroCaps && r.noNewPrivs === '1') return 'refused';
      if (r.capBnd !== zeroCaps && r.noNewPrivs === '0') return 'allowed';
      neither(r);
    },
  },
  {
    tries: 'make system calls outside a seccomp allow list',
    expect: { runc: 'refused', bwrap: 'allowed', process: 'allowed' },
    async attempt(t) {
      const r = await t.ask({ path: '/self' });
      if (r.seccomp === '2') return 'refused';
      if (r.seccomp !== '0') neither(r);
      // A driver that installs no filter says so (process says it is not a sandbox at all).
      assert.ok(t.limitations.some((l) => l.includes(t.driver === 'process' ? 'NOT A SANDBOX' : 'no seccomp filter')), t.limitations.join('; '));
      return 'allowed';
    },
  },
  {
    tries: "read the server's environment",
    expect: { runc: 'refused', bwrap: 'refused', process: 'refused' },
    async attempt(t) {
      assert.equal(process.env[SERVER_SECRET.name], SERVER_SECRET.value, 'the server has it');
      const r = await t.ask({ path: '/self' });
      if (r.secret === null) return 'refused';
      if (r.secret === 'leaked') return 'allowed';
      neither(r);
    },
  },
  {
    tries: "see the host's root directory",
    expect: { runc: 'refused', bwrap: 'refused', process: 'allowed' },
    async attempt(t) {
      const r = await t.ask({ path: '/self' });
      if (JSON.stringify(r.root) === JSON.stringify(readdirSync('/').sort())) return 'allowed';
      // A minimal root of its own: the runtime's libraries, the runner, /proc, /dev and /tmp.
      assert.deepEqual(r.root, ['dev', 'lib', 'lib64', 'opt', 'proc', 'run', 'tmp', 'usr']);
      return 'refused';
    },
  },
  {
    tries: "share the host's name (UTS namespace)",
    expect: { runc: 'refused', bwrap: 'refused', process: 'allowed' },
    async attempt(t) {
      const r = await t.ask({ path: '/hello' });
      const name = String(r).replace(/^hello from /, '');
      if (name === os.hostname()) return 'allowed';
      if (t.container) assert.equal(name, `cl-${t.container.probe.id}`);
      else assert.match(name, /^cl-/);
      return 'refused';
    },
  },
  {
    tries: 'write outside /tmp: /, /usr, the runner directories',
    expect: { runc: 'refused', bwrap: 'refused', process: 'n/a' },
    notApplicable: "it would write into the host's own / and /tmp",
    async attempt(t) {
      const r = await t.ask({ path: '/write' });
      assert.equal(r['/tmp/x'], 'ok', '/tmp is writable');
      const others = ['/usr/x', '/opt/containerless/x', '/run/containerless/x', '/x'];
      if (others.every((f) => /^(EROFS|EACCES)$/.test(r[f]))) return 'refused';
      if (others.some((f) => r[f] === 'ok')) return 'allowed';
      neither(r);
    },
  },
  {
    tries: 'live outside a cgroup holding its memory and pids limits',
    expect: { runc: 'refused', bwrap: 'refused', process: 'refused' },
    driverLevel: true,
    async attempt(t) {
      const cg = detectCgroups();
      assert.ok(cg.memory && cg.pids, `this host allows cgroup limits (${cg.limitations.join('; ')})`);
      const c = t.container!.probe;
      const usage = await c.rss();
      const limit = PROBE_LIMITS.memoryMb * 1024 * 1024;
      assert.ok(usage !== undefined && usage > 1024 * 1024 && usage < limit, `usage ${usage}`);
      const own = (ctrl: string) => {
        const line = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.split(':')[1]?.split(',').includes(ctrl));
        return line ? line.split(':')[2]! : '/';
      };
      const cid = `cl-${c.id}`;
      const [memory, pids] = cg.mode === 'v2'
        ? [`/sys/fs/cgroup/containerless/${cid}/memory.max`, `/sys/fs/cgroup/containerless/${cid}/pids.max`]
        : [path.join('/sys/fs/cgroup/memory', own('memory'), 'containerless', cid, 'memory.limit_in_bytes'), path.join('/sys/fs/cgroup/pids', own('pids'), 'containerless', cid, 'pids.max')];
      assert.equal(readFileSync(memory, 'utf8').trim(), String(limit));
      assert.equal(readFileSync(pids, 'utf8').trim(), String(PROBE_LIMITS.pids));
      return 'refused';
    },
  },
  {
    tries: 'allocate without bound under memoryMb 64',
    expect: { runc: 'refused', bwrap: 'refused', process: 'refused' },
    driverLevel: true,
    async attempt(t) {
      const before = process.memoryUsage().rss;
      const hog = await t.container!.start(
        `const c = require('containerless'); const keep = [];
         c.listen(function () { for (;;) keep.push(new Array(1e5).fill(keep.length)); });`,
        { memoryMb: 64 },
      );
      const out = await invokeOnce(hog, 20_000);
      if (out.kind === 'response') return 'allowed';
      assert.equal(out.kind, 'died', JSON.stringify(out));
      assert.match((out as { reason: string }).reason, /memory/);
      await hog.exited;
      assert.ok(process.memoryUsage().rss - before < 50 * 1024 * 1024, 'the server did not grow');
      return 'refused';
    },
  },
  {
    tries: 'start 20 child processes under pids 24 (seccomp, where there is one, lets them start)',
    expect: { runc: 'refused', bwrap: 'refused', process: 'refused' },
    driverLevel: true,
    async attempt(t) {
      // Memory to spare, so that the children's start-up cannot push the cgroup into reclaim.
      const forker = await t.container!.start(PROBE, { memoryMb: 512, pids: 24 });
      const out = await forker.invoke({ method: 'GET', path: '/fork', query: {}, headers: {}, body: '' }, { timeoutMs: 15_000, requestId: `iso-${++tagSeq}` });
      assert.equal(out.kind, 'response', JSON.stringify(out));
      const f = JSON.parse((out as { response: { body: string } }).response.body);
      await forker.kill();
      assert.ok(f.spawned > 0, `spawned ${f.spawned}, failed ${f.failed}`);
      return f.failed > 0 ? 'refused' : 'allowed';
    },
  },
];
