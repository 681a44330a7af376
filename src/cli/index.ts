/**
 * cli: the `containerless` command (CONTRACT §4). Client commands speak to the server's HTTP API;
 * `serve` and `demo` (cli/demo) start the platform; `bench` runs bench/containers.ts in a process of
 * its own; `trace-run` runs the trace pipeline on a file locally.
 * Depends on every stage through their indexes; nothing depends on it.
 */
export {};
