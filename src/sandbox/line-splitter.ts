import { FUNCTION_LIMITS, truncationMarker, utf8CompletePrefix } from '../api/limits.ts';

/**
 * Splits output (a child's stdout/stderr pipe, or what a function writes to process.stdout) into
 * lines of at most `maxLineBytes` UTF-8 bytes. A longer line keeps its first `maxLineBytes` bytes and
 * ends with `… [truncated N bytes]` when its newline (or `end`) comes; the rest is counted, never
 * held, so output without newlines costs at most `maxLineBytes` of memory.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private dropped = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes: number = FUNCTION_LIMITS.maxLogLineBytes,
  ) {}

  write(chunk: Buffer): void {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(10, start)) !== -1) {
      this.keep(chunk, start, nl);
      this.flushLine();
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk, start, chunk.length);
  }

  /** The stream ended (or its writer is done): what is left is a last line. */
  end(): void {
    if (this.held > 0 || this.dropped > 0) this.flushLine();
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    const room = this.maxLineBytes - this.held;
    const n = to - from;
    if (n <= room) {
      if (n > 0) {
        // A copy: a slice would keep the whole chunk alive for a few bytes of it.
        this.parts.push(Buffer.from(chunk.subarray(from, to)));
        this.held += n;
      }
      return;
    }
    if (room > 0) {
      this.parts.push(Buffer.from(chunk.subarray(from, from + room)));
      this.held += room;
    }
    this.dropped += n - Math.max(0, room);
  }

  private flushLine(): void {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    let line: string;
    if (this.dropped === 0) line = bytes.toString('utf8');
    else {
      // The cut may split a character: end before it and count its bytes as dropped.
      const end = utf8CompletePrefix(bytes);
      line = bytes.toString('utf8', 0, end) + truncationMarker(this.dropped + bytes.length - end);
    }
    this.parts = [];
    this.held = 0;
    this.dropped = 0;
    this.onLine(line);
  }
}

/** Reads a child's pipe line by line through a LineSplitter. */
export function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void, maxLineBytes?: number): void {
  if (!stream) return;
  const splitter = new LineSplitter(onLine, maxLineBytes);
  stream.on('data', (chunk: Buffer) => splitter.write(chunk));
  stream.on('end', () => splitter.end());
}
