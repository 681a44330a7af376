import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import type { RawRequest } from '../api/index.ts';
import { restrictToSandboxUser } from './driver-common.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { pipeLines } from './line-splitter.ts';
import { RunnerLink } from './runner-link.ts';
import type { Spawner, SpawnedChild } from './spawner.ts';
import type { Container, ContainerSpec, DriverName, FunctionCode, InvokeOptions, InvokeOutcome, LoadOptions } from './types.ts';

/** Default for how long a container may take from spawn to the runner's `ready`. */
export const START_TIMEOUT_MS = 15_000;

/** What a driver hands to launchContainer: how to spawn, stop, measure and clean up one sandbox. */
export interface LaunchPlan {
  driver: DriverName;
  spec: ContainerSpec;
  /** Name in the sandbox runtime, e.g. `cl-<id>`. */
  cid: string;
  /** Host path of the Unix socket the runner connects to (the dispatcher listens). */
  socketPath: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  startTimeoutMs?: number;
  /** Spawns the sandbox process off the event loop (spawner.ts); without it, on this thread. */
  spawner?: Spawner;
  /** Forcibly stops the sandbox (the spawned process then exits). */
  stop(child: SpawnedChild): Promise<void>;
  rss(child: SpawnedChild): Promise<number | undefined>;
  /** Kernel OOM kills seen in the container's cgroup, when the driver can tell. */
  oomKills?(): number | undefined;
  /** Removes what the driver made on disk or in cgroups; runs once, after the sandbox is gone. */
  cleanup(): Promise<void>;
}

/**
 * Starts a sandbox whose runner connects back over `plan.socketPath`, and resolves once the runner
 * said `ready` (a generic runner: `load` comes later, from the pool). Shared by every driver.
 */
export async function launchContainer(plan: LaunchPlan): Promise<SandboxContainer> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(plan.socketPath, () => resolve());
  });
  // Only the sandbox user may connect: another local user connecting first could pose as the runner.
  restrictToSandboxUser(plan.socketPath, 0o600);
  const t0 = performance.now();
  const child = plan.spawner ? plan.spawner.spawn(plan.command, plan.args, plan.env) : spawn(plan.command, plan.args, { env: plan.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const container = new SandboxContainer(plan, child, server);
  try {
    await container.whenReady(plan.startTimeoutMs ?? START_TIMEOUT_MS);
  } catch (err) {
    await container.kill();
    throw err;
  }
  container.startedInMs = Math.round(performance.now() - t0);
  return container;
}

type ExitInfo = { code: number | null; signal: string | null; reason: string };

export class SandboxContainer implements Container {
  readonly id: string;
  readonly driver: DriverName;
  readonly runtimeId: string;
  startedInMs: number | undefined;
  readonly exited: Promise<ExitInfo>;
  private link: RunnerLink | undefined;
  private readonly linkReady: Promise<RunnerLink>;
  private resolveLink!: (l: RunnerLink) => void;
  private resolveExited!: (e: ExitInfo) => void;
  private exitInfo: ExitInfo | undefined;
  private killedByUs = false;
  private killing: Promise<void> | undefined;
  private oomSeen = false;
  private readonly stderrTail: string[] = [];

  constructor(
    private readonly plan: LaunchPlan,
    private readonly child: SpawnedChild,
    server: net.Server,
  ) {
    this.id = plan.spec.id;
    this.driver = plan.driver;
    this.runtimeId = plan.cid;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.linkReady = new Promise((resolve) => (this.resolveLink = resolve));

    server.once('connection', (sock) => {
      server.close(); // one runner per socket: nobody else may connect after it
      const link = new RunnerLink(sock, plan.spec, (reason) => {
        plan.spec.log('stderr', `sandbox: ${this.runtimeId} killed: ${reason}`, undefined);
        void this.kill();
      });
      this.link = link;
      this.resolveLink(link);
      sock.on('close', () => this.onLinkClosed());
    });
    this.exited.then(() => server.close());

    pipeLines(child.stdout, (line) => plan.spec.log('stdout', line, undefined));
    pipeLines(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
      plan.spec.log('stderr', line, undefined);
    });
    child.on('error', (err) => this.onExit(null, null, `could not run ${plan.command}: ${err.message}`));
    child.on('exit', (code, signal) => this.onExit(code, signal));
  }

  get inflight(): number {
    return this.link?.inflight ?? 0;
  }

  async whenReady(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.driver} container ${this.runtimeId} did not start within ${timeoutMs} ms`)), timeoutMs);
    });
    const died = this.exited.then((e) => {
      throw new Error(`${this.driver} container ${this.runtimeId} failed to start: ${e.reason}${this.tail()}`);
    });
    try {
      const link = await Promise.race([this.linkReady, died, timeout]);
      const ready = await Promise.race([link.ready, died, timeout]);
      // The bundle is built from this very source, so a mismatch means a stale or foreign runner file.
      if (ready.protocol !== PROTOCOL_VERSION) throw new Error(`runner speaks protocol ${ready.protocol}, expected ${PROTOCOL_VERSION}`);
    } finally {
      clearTimeout(timer);
    }
  }

  load(code: FunctionCode, opts?: LoadOptions): Promise<{ initArms?: number[] }> {
    if (!this.link) return Promise.reject(new Error('container is not started'));
    return this.link.load(code, opts?.timeoutMs);
  }

  invoke(req: RawRequest, opts: InvokeOptions): Promise<InvokeOutcome> {
    if (!this.link) return Promise.resolve({ kind: 'died', reason: this.exitInfo?.reason ?? 'container is not started' });
    return this.link.invoke(req, opts);
  }

  kill(): Promise<void> {
    this.killing ??= (async () => {
      this.killedByUs = true;
      this.link?.close('the container was killed by the platform');
      if (!this.exitInfo) {
        try {
          await this.plan.stop(this.child);
        } catch {}
        const gone = await Promise.race([this.exited.then(() => true), delay(5000).then(() => false)]);
        if (!gone) this.child.kill('SIGKILL');
      }
      await this.exited;
    })();
    return this.killing;
  }

  rss(): Promise<number | undefined> {
    if (this.exitInfo) return Promise.resolve(undefined);
    return this.plan.rss(this.child).catch(() => undefined);
  }

  private onLinkClosed(): void {
    this.noteOom();
    // The exit status says why (exit code, signal, OOM); give the process a moment to report it.
    void Promise.race([this.exited, delay(1000)]).then(() => {
      this.link?.close(this.exitInfo?.reason ?? 'the runner closed its connection');
    });
  }

  private noteOom(): void {
    const n = this.plan.oomKills?.();
    if (n !== undefined && n > 0) this.oomSeen = true;
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (this.exitInfo) return;
    this.noteOom();
    const reason = error ?? this.describeExit(code, signal);
    this.exitInfo = { code, signal, reason };
    this.link?.close(reason);
    void this.plan
      .cleanup()
      .catch((err: Error) => this.plan.spec.log('stderr', `sandbox: cleanup of ${this.runtimeId} failed: ${err.message}`, undefined))
      .finally(() => this.resolveExited(this.exitInfo!));
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.killedByUs) return 'killed by the platform';
    // runc reports a container killed by signal N as exit status 128+N.
    const sig = signal ?? (code !== null && code > 128 ? signalName(code - 128) : undefined);
    const heap = this.stderrTail.some((l) => l.includes('heap out of memory'));
    if (this.oomSeen || heap) return `out of memory (memory limit ${this.plan.spec.memoryMb} MB${heap ? ', V8 heap' : ''})`;
    if (sig === 'SIGKILL') return `killed by SIGKILL (most likely the memory limit of ${this.plan.spec.memoryMb} MB)`;
    if (sig) return `killed by ${sig}`;
    return `exited with code ${code}`;
  }

  private tail(): string {
    const t = this.stderrTail.slice(-5).join(' | ');
    return t ? ` (stderr: ${t})` : '';
  }
}

function signalName(n: number): NodeJS.Signals | undefined {
  for (const [name, num] of Object.entries(os.constants.signals)) if (num === n) return name as NodeJS.Signals;
  return undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
