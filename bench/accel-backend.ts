/**
 * The loopback mock backend of the corpus (src/cli/trace-run/mock-backend.ts) in a process of its
 * own, for bench/accel-compare.ts: the backend then shares no event loop with the load generator or
 * with the server under test. Prints `listening URL` once ready; stops on SIGTERM.
 *
 *   npx tsx bench/accel-backend.ts
 */
import { startMockBackend } from '../src/cli/trace-run/mock-backend.ts';

const backend = await startMockBackend();
// The mock keeps every call for tests; a benchmark sends hundreds of thousands, so forget them.
const forget = setInterval(() => (backend.calls.length = 0), 1000);
process.stdout.write(`listening ${backend.url}\n`);
process.once('SIGTERM', () => {
  clearInterval(forget);
  void backend.close().then(() => process.exit(0));
});
