import type { Container, ContainerSpec, FunctionCode, InvokeOutcome, SandboxDriver } from '../../src/sandbox/types.ts';
import type { RawRequest } from '../../src/api/index.ts';

/**
 * An in-memory Container for the pool's unit tests only (integration tests use real drivers).
 * Behaviour is chosen by the request path: /slow/MS waits, /hang never answers, /die kills the
 * container mid-request, anything else answers at once with the container's id.
 */
export class FakeContainer implements Container {
  readonly driver = 'process' as const;
  inflight = 0;
  loaded?: FunctionCode;
  /** The spec it was started with (its io and log are what the runner's calls and output reach). */
  spec?: ContainerSpec;
  private resolveExit!: (v: { code: number | null; signal: string | null; reason: string }) => void;
  readonly exited = new Promise<{ code: number | null; signal: string | null; reason: string }>((r) => (this.resolveExit = r));
  dead = false;
  private readonly pending = new Set<(o: InvokeOutcome) => void>();

  constructor(readonly id: string, private readonly fake: FakeDriver) {}

  async load(code: FunctionCode) {
    this.fake.events.push(`load ${this.id}`);
    await sleep(this.fake.loadMs);
    if (this.fake.failLoad) throw new Error(this.fake.failLoad);
    this.loaded = code;
    return {};
  }

  invoke(req: RawRequest, opts: { timeoutMs: number; requestId: string }): Promise<InvokeOutcome> {
    if (this.dead) return Promise.resolve({ kind: 'died', reason: 'exited' });
    this.fake.events.push(`invoke ${this.id}`);
    this.inflight++;
    this.fake.maxInflightSeen = Math.max(this.fake.maxInflightSeen, this.inflight);
    return new Promise<InvokeOutcome>((resolve) => {
      const done = (o: InvokeOutcome) => {
        if (!this.pending.delete(done)) return;
        this.inflight--;
        clearTimeout(timer);
        resolve(o);
      };
      this.pending.add(done);
      const timer = setTimeout(() => done({ kind: 'timeout' }), opts.timeoutMs);
      const [, what, arg] = req.path.split('/');
      const answer = () => done({ kind: 'response', response: { status: 200, headers: { 'content-type': 'text/plain' }, body: this.id } });
      if (what === 'slow') setTimeout(answer, Number(arg));
      else if (what === 'hang') return;
      else if (what === 'die') setTimeout(() => this.exit('killed by test'), 5);
      else if (what === 'die-once' && this.fake.dieOnce) {
        this.fake.dieOnce = false;
        setTimeout(() => this.exit('killed by test'), 5);
      } else setImmediate(answer);
    });
  }

  exit(reason: string) {
    if (this.dead) return;
    this.dead = true;
    for (const done of [...this.pending]) done({ kind: 'died', reason });
    this.resolveExit({ code: 1, signal: null, reason });
  }

  async kill() {
    await this.fake.killGate;
    this.exit('killed');
    this.fake.killed++;
  }

  async rss() {
    return undefined;
  }
}

export class FakeDriver implements SandboxDriver {
  readonly name = 'process' as const;
  readonly limitations: string[] = [];
  started: FakeContainer[] = [];
  killed = 0;
  startMs = 20;
  loadMs = 5;
  failLoad?: string;
  failStart?: string;
  dieOnce = true;
  maxInflightSeen = 0;
  /** What happened, in order: `start ID` (a start completed), `load ID`, `invoke ID`; tests add their own marks. */
  events: string[] = [];
  /** Kills wait for this (a runtime slow to kill). */
  killGate?: Promise<void>;

  async start(spec: ContainerSpec): Promise<Container> {
    await sleep(this.startMs);
    if (this.failStart) throw new Error(this.failStart);
    const c = new FakeContainer(spec.id, this);
    c.spec = spec;
    this.started.push(c);
    this.events.push(`start ${c.id}`);
    return c;
  }

  async cleanupLeftovers() {
    return 0;
  }

  alive(): FakeContainer[] {
    return this.started.filter((c) => !c.dead);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds; fails naming `what` after `ms` (generous: the fake answers in milliseconds). */
export async function waitFor(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(5);
  }
}
