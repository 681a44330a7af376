import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isRoot, toLogFn, type DriverOptions } from './driver-common.ts';
import { BwrapDriver, probeBwrap } from './drivers/bwrap.ts';
import { ProcessDriver } from './drivers/process.ts';
import { RuncDriver, runcVersion } from './drivers/runc.ts';
import type { DriverName, SandboxDriver } from './types.ts';

/**
 * Makes the sandbox driver `name`, or with 'auto' the strongest one this host supports:
 * runc (installed and running as root), else bwrap (when a probe sandbox works), else process
 * (with a loud warning). Throws when an explicitly named driver cannot work here.
 */
export async function createDriver(name: DriverName | 'auto', options: DriverOptions): Promise<SandboxDriver> {
  // Bundle paths, socket paths and owner annotations must not depend on the server's cwd.
  const opts = { ...options, stateDir: path.resolve(options.stateDir), runnerDir: options.runnerDir && path.resolve(options.runnerDir) };
  const log = toLogFn(opts.log);
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  if (name === 'runc' || name === 'auto') {
    const version = await runcVersion();
    const usable = version !== undefined && isRoot();
    if (usable) {
      log('info', `sandbox: using runc (${version})`);
      return new RuncDriver(opts);
    }
    const why = version === undefined ? 'runc is not installed' : 'runc needs the server to run as root';
    if (name === 'runc') throw new Error(`sandbox runc unavailable: ${why}`);
    log('warn', `sandbox: ${why}; trying bwrap`);
  }
  if (name === 'bwrap' || name === 'auto') {
    const probe = probeBwrap();
    if (probe.works) {
      log('info', 'sandbox: using bwrap');
      return new BwrapDriver(opts);
    }
    if (name === 'bwrap') throw new Error(`sandbox bwrap unavailable: ${probe.error}`);
    log('warn', `sandbox: bwrap unavailable (${probe.error}); falling back to plain processes`);
  }
  return new ProcessDriver(opts);
}
