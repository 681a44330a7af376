import { FUNCTION_LIMITS, truncateLogLine, type LogStream } from '../api/index.ts';

/** Lines an accelerated attempt may stage: more than any activation keeps, fewer than memory minds. */
const STAGED_MAX_LINES = 1000;

/**
 * The lines of an accelerated attempt, held until it answers (then given to the activation's log,
 * which decides what is kept) or aborts (then dropped: the re-execution logs again). It keeps lines
 * until they exceed an activation's byte cap, plus the first one over it so the activation still
 * sees that its logs were truncated; later lines are dropped at once.
 */
export class StagedLog {
  readonly entries: Array<[LogStream, string]> = [];
  private bytes = 0;
  private over = false;

  add(stream: LogStream, line: string): void {
    if (this.over) return;
    const text = truncateLogLine(line);
    this.entries.push([stream, text]);
    this.bytes += Buffer.byteLength(text) + 1;
    if (this.bytes > FUNCTION_LIMITS.maxActivationLogBytes || this.entries.length > STAGED_MAX_LINES) this.over = true;
  }
}
