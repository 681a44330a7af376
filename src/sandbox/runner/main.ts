import net from 'node:net';
import { createBatchedSender, createLineDecoder, PROTOCOL_VERSION, SOCKET_ENV, type FromRunner, type ToRunner } from '../protocol.ts';
import { FUNCTION_BASE_ENV } from '../function-env.ts';
import { createRunnerSession } from './session.ts';

/**
 * The function runner: the one program a container runs (`node runner.js --socket PATH`). It is
 * bundled into a single plain JS file (../bundle.ts) so containers need neither tsx nor node_modules.
 * It starts generic, says `ready`, and loads a function when the dispatcher sends `load`.
 */
function socketPath(argv: string[]): string {
  const i = argv.indexOf('--socket');
  const p = i >= 0 ? argv[i + 1] : process.env[SOCKET_ENV];
  if (!p) {
    process.stderr.write(`runner: no socket; pass --socket PATH or set ${SOCKET_ENV}\n`);
    process.exit(2);
  }
  return p;
}

const path = socketPath(process.argv);
// The runner's own messages go to the real stderr (the driver's pipe); the function's writes to
// process.stdout/stderr become log lines of the request that wrote them (session.write).
const runnerStderr = process.stderr.write.bind(process.stderr);
// The function sees the base environment, then its config.env: not our socket path, nor what a
// driver's launch chain adds or reorders (bwrap and a shell set PWD; a shell reorders).
for (const k of Object.keys(process.env)) delete process.env[k];
Object.assign(process.env, FUNCTION_BASE_ENV);

const sock = net.connect(path);
sock.setNoDelay(true);
const send = createBatchedSender<FromRunner>(sock);
const session = createRunnerSession(send);

captureOutput(process.stdout, 'stdout');
captureOutput(process.stderr, 'stderr');

process.on('uncaughtException', (err) => session.uncaught(err));
process.on('unhandledRejection', (reason, promise) => session.uncaught(reason, promise));

sock.on('connect', () => send({ type: 'ready', protocol: PROTOCOL_VERSION, pid: process.pid, node: process.version }));
sock.on(
  'data',
  createLineDecoder<ToRunner>(
    (msg) => session.handle(msg),
    (line) => void runnerStderr(`runner: bad message line: ${line.slice(0, 200)}\n`),
  ),
);
// Without the dispatcher there is nothing left to serve: leave at once (the sandbox goes with us).
sock.on('close', () => process.exit(0));
sock.on('error', (err) => {
  runnerStderr(`runner: socket ${path}: ${err.message}\n`);
  process.exit(3);
});

function captureOutput(stream: NodeJS.WriteStream, name: 'stdout' | 'stderr'): void {
  stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const done = typeof encoding === 'function' ? encoding : cb;
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8')
        : chunk instanceof Uint8Array
          ? chunk
          : Buffer.from(String(chunk));
    session.write(name, bytes);
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
}
