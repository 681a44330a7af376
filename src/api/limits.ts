import { bodyByteLength } from './bytes.ts';
import { platformError } from './respond.ts';
import type { FnResponse } from './types.ts';

/**
 * Sizes that bound what a function can hand to the platform, the same in every execution mode
 * (docs/api.md "Limits"). The runner enforces them inside the container before anything is sent, so
 * a message over them can only come from code that bypassed the runner; the dispatcher derives the
 * longest protocol line it accepts from them (src/sandbox/protocol.ts `maxRunnerLineBytes`).
 */
export const FUNCTION_LIMITS = Object.freeze({
  /** A response body in UTF-8 bytes; over it the request gets 502 (AWS Lambda's synchronous limit). */
  maxResponseBytes: 6 * 1024 * 1024,
  /** A response's headers, counted as `name: value\r\n`. */
  maxResponseHeaderBytes: 64 * 1024,
  /** An outbound call's body; over it `get`/`post`/… throw a TypeError. */
  maxOutboundBodyBytes: 6 * 1024 * 1024,
  /** An outbound call's URL. */
  maxOutboundUrlBytes: 64 * 1024,
  /** An outbound call's headers, counted as `name: value\r\n`. */
  maxOutboundHeaderBytes: 64 * 1024,
  /** One line of a function's output (console, stdout, stderr); the rest is cut off with a marker. */
  maxLogLineBytes: 16 * 1024,
  /** A function's output kept for one activation; then one `[containerless: log truncated]` line. */
  maxActivationLogBytes: 64 * 1024,
});

/** The line that ends an activation's logs once they reached their cap. */
export const LOG_TRUNCATED_LINE = '[containerless: log truncated]';

/** UTF-8 length of `s`, computed only when its length alone cannot settle `<= max` (the common case). */
export function utf8Over(s: string, max: number): number | undefined {
  if (s.length * 3 <= max) return undefined;
  const n = Buffer.byteLength(s);
  return n > max ? n : undefined;
}

function bytesOver(n: number, max: number): number | undefined {
  return n > max ? n : undefined;
}

/**
 * Bytes of a header object counted as HTTP/1.1 writes it (`name: value\r\n`); exact when it may be
 * over `max`, a lower bound otherwise.
 */
export function headerBytes(h: Record<string, string>, max: number): number {
  let chars = 0;
  for (const k in h) chars += k.length + h[k]!.length + 4;
  // Cheap bound first: most header sets are far below any limit even at 3 bytes per character.
  if (chars * 3 <= max) return chars;
  let bytes = 0;
  for (const k in h) bytes += Buffer.byteLength(k) + Buffer.byteLength(h[k]!) + 4;
  return bytes;
}

/**
 * The response the client gets for what the function answered: itself, or the platform's 502 when
 * its body or headers are over the limits or its status is 1xx. Applied by the runner before sending and by the
 * dispatcher for every mode, so the message is the same wherever the response was made.
 */
export function limitResponse(res: FnResponse): FnResponse {
  // An informational status cannot end a request: a proxy would take the connection's next response
  // (maybe another client's) as this one's.
  if (res.status < 200) return platformError(502, `the function answered with the informational status ${res.status}; a response needs 200 to 599`);
  const max = FUNCTION_LIMITS.maxResponseBytes;
  // Bytes, whichever way the body crosses (a base64 body is a third longer than its bytes).
  const over = res.bodyEncoding === 'base64' ? bytesOver(bodyByteLength(res), max) : utf8Over(res.body, max);
  if (over !== undefined) return platformError(502, `the function's response is too large: ${over} bytes (limit ${max})`);
  const hb = headerBytes(res.headers, FUNCTION_LIMITS.maxResponseHeaderBytes);
  if (hb > FUNCTION_LIMITS.maxResponseHeaderBytes) {
    return platformError(502, `the function's response headers are too large: ${hb} bytes (limit ${FUNCTION_LIMITS.maxResponseHeaderBytes})`);
  }
  return res;
}

/** Room a truncation marker takes after the kept part of a line (the longest number is 16 digits). */
export const TRUNCATION_MARKER_ROOM = 48;

/**
 * A log line cut to `max` UTF-8 bytes (at a character boundary) followed by a marker that says how
 * many bytes were dropped; the line itself when it fits in `max` plus the marker's room (so a line
 * cut once is never cut again).
 */
export function truncateLogLine(line: string, max: number = FUNCTION_LIMITS.maxLogLineBytes): string {
  if (line.length * 3 <= max + TRUNCATION_MARKER_ROOM) return line;
  const total = Buffer.byteLength(line);
  if (total <= max + TRUNCATION_MARKER_ROOM) return line;
  // Only the head is encoded: `max` characters are at least `max` bytes.
  const head = Buffer.from(line.slice(0, max));
  const end = utf8Boundary(head, max);
  return `${head.toString('utf8', 0, end)}${truncationMarker(total - end)}`;
}

export function truncationMarker(droppedBytes: number): string {
  return `… [truncated ${droppedBytes} bytes]`;
}

/** Length of `bytes` without a UTF-8 sequence cut off at its end. */
export function utf8CompletePrefix(bytes: Uint8Array): number {
  let i = bytes.length - 1;
  while (i >= 0 && bytes.length - i < 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  if (i < 0) return bytes.length;
  const lead = bytes[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - i >= need ? bytes.length : i;
}

/** The largest index <= max that does not split a UTF-8 sequence of `bytes`. */
export function utf8Boundary(bytes: Uint8Array, max: number): number {
  let end = Math.min(max, bytes.length);
  // Back off over continuation bytes (10xxxxxx) to the start of the character they belong to.
  while (end > 0 && end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
  return end;
}
