import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseAllowList } from '../../io/egress.ts';
import type { MockBackend } from '../trace-run/mock-backend.ts';
import { BACKEND_HEADER, parseRequestSpecs, toRawRequest } from '../trace-run/request-spec.ts';

interface TraceRunOptions {
  train: string;
  test: string;
  json?: boolean;
  mockBackend?: boolean;
  timeout: string;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${what}: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what}: ${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** `containerless trace-run FILE --train TRAIN.json --test TEST.json [--json]` (docs/trace-run.md). */
export function registerTraceRun(program: Command): void {
  program
    .command('trace-run')
    .description('trace FILE on the train requests, compile and validate the trace, then run the test requests in the original and accelerated and compare')
    .argument('<file>', 'function file (CommonJS, the containerless API)')
    .requiredOption('--train <file>', 'JSON array of requests to trace')
    .requiredOption('--test <file>', 'JSON array of requests to compare')
    .option('--json', 'one JSON object per test request instead of text lines')
    .option('--mock-backend', `start the corpus mock backend on 127.0.0.1 and send its URL in the ${BACKEND_HEADER} header`)
    .option('--timeout <ms>', 'per-request timeout in each mode', '5000')
    .action(async (file: string, opts: TraceRunOptions) => {
      // `trace-run … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw err;
      });
      const source = readFileSync(file, 'utf8');
      const timeoutMs = Number(opts.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`--timeout: not a positive number: ${opts.timeout}`);
      const trainSpecs = parseRequestSpecs(readJson(opts.train, '--train'), '--train');
      const testSpecs = parseRequestSpecs(readJson(opts.test, '--test'), '--test');
      // The pipeline (tracer, compiler, accelerator) loads only when the command runs, not for `--help`.
      const [{ runPipeline }, { createHttpIO }, { startMockBackend }, { formatResultJson, formatResultLine, summaryLine }] = await Promise.all([
        import('../trace-run/pipeline.ts'),
        import('../trace-run/http-io.ts'),
        import('../trace-run/mock-backend.ts'),
        import('../trace-run/format.ts'),
      ]);
      let backend: MockBackend | undefined;
      try {
        if (opts.mockBackend) backend = await startMockBackend();
        const extra: Record<string, string> = backend ? { [BACKEND_HEADER]: backend.url } : {};
        // As the platform: CONTAINERLESS_ALLOW_OUTBOUND, plus exactly the mock backend this command started.
        const allowOutbound = [...parseAllowList(process.env.CONTAINERLESS_ALLOW_OUTBOUND).map((e) => e.text), ...(backend ? [new URL(backend.url).host] : [])];
        const report = await runPipeline({
          source,
          train: trainSpecs.map((s) => toRawRequest(s, extra)),
          test: testSpecs.map((s) => toRawRequest(s, extra)),
          io: createHttpIO({ timeoutMs, allowOutbound }),
          timeoutMs,
          onResult: (r) => process.stdout.write(`${opts.json ? formatResultJson(r) : formatResultLine(r)}\n`),
        });
        if (report.failure) {
          const f = report.failure;
          const at = f.line !== undefined ? ` at ${f.line}:${f.column ?? 0}` : '';
          throw new Error(`${f.stage} failed${at}: ${f.message}`);
        }
        process.stdout.write(`${summaryLine(report)}\n`);
        if (report.counts.mismatched > 0) process.exitCode = 1;
      } finally {
        await backend?.close();
      }
    });
}
