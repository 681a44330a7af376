/**
 * cli/demo: `containerless demo`. Starts the platform on embedded defaults, a loopback backend for the
 * examples that call one, deploys examples/, drives traffic with a progress display and prints a
 * latency and throughput table per function. Uses the server's startPlatform like `serve` does.
 */
export { runDemo, type DemoOptions } from './run-demo.ts';
