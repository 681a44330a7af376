import { FUNCTION_LIMITS, LOG_TRUNCATED_LINE, truncateLogLine, type LogStream } from '../api/index.ts';

export const ACTIVATION_LOG_DEFAULTS = { maxLines: 200, maxBytes: FUNCTION_LIMITS.maxActivationLogBytes } as const;

/**
 * The log lines of one activation, capped in lines and UTF-8 bytes (docs/api.md "Limits"): every
 * line is cut to `maxLogLineBytes`, and once the activation reached its cap the rest is dropped and
 * one `[containerless: log truncated]` line says so. Every mode's lines reach an activation through
 * the dispatcher's log sink and so through here: the caps are the same in every mode. stderr lines
 * are kept prefixed `[stderr] `.
 */
export class ActivationLog {
  readonly lines: string[] = [];
  private bytes = 0;
  private full = false;

  constructor(
    private readonly maxLines: number = ACTIVATION_LOG_DEFAULTS.maxLines,
    private readonly maxBytes: number = ACTIVATION_LOG_DEFAULTS.maxBytes,
  ) {}

  /** Adds a line; false when it was dropped (the activation's logs are full). */
  add(stream: LogStream, line: string): boolean {
    if (this.full) return false;
    const text = stream === 'stderr' ? `[stderr] ${truncateLogLine(line)}` : truncateLogLine(line);
    const size = Buffer.byteLength(text) + 1;
    if (this.lines.length >= this.maxLines || this.bytes + size > this.maxBytes) {
      this.full = true;
      this.lines.push(LOG_TRUNCATED_LINE);
      return false;
    }
    this.lines.push(text);
    this.bytes += size;
    return true;
  }
}
