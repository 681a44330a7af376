/**
 * The environment every function starts with, in this order, before its config.env is assigned over
 * it: nothing of the server's (it may hold tokens). One definition for every driver (the process
 * environment, the OCI spec, bwrap's --setenv), for the runner (which restores exactly this after a
 * launch chain added or reordered variables) and for the accelerator's `process.env`, which the
 * dispatcher builds from it, so that the modes cannot drift apart.
 */
export const FUNCTION_BASE_ENV: Readonly<Record<string, string>> = Object.freeze({ PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', NODE_ENV: 'production' });
