import { FUNCTION_LIMITS } from '../api/limits.ts';
import type { FnResponse, LogStream, OutboundRequest, OutboundResponse, RawRequest } from '../api/index.ts';

/**
 * The dispatcher ⇄ runner protocol over the container's Unix socket (docs/sandbox.md, "Protocol").
 * Framing: one JSON object per line (UTF-8, '\n'-terminated). JSON.stringify never emits a raw
 * newline, so a line is always a whole message; this is the cheapest framing V8 parses.
 * The runner connects; the dispatcher's end listens on a socket made for that one container.
 */

/** Protocol revision, sent in `ready` so a dispatcher can refuse a runner bundle from another build. */
export const PROTOCOL_VERSION = 1;

/** Environment variable (or `--socket PATH` argument) telling the runner where to connect. */
export const SOCKET_ENV = 'CONTAINERLESS_RUNNER_SOCKET';

export interface LoadMessage {
  type: 'load';
  name: string;
  version: number;
  source: string;
  env: Record<string, string>;
  traced?: { armCount: number };
}
export interface InvokeMessage {
  type: 'invoke';
  id: string;
  req: RawRequest;
  timeoutMs: number;
}
export interface IoResultMessage {
  type: 'io-result';
  ioId: number;
  /** Absent (or null on the wire) for a network error. */
  res?: OutboundResponse | null;
}

export type ToRunner = LoadMessage | InvokeMessage | IoResultMessage;

export interface ReadyMessage {
  type: 'ready';
  protocol: number;
  pid: number;
  node: string;
}
export interface LoadedMessage {
  type: 'loaded';
  initArms?: number[];
}
export interface LoadErrorMessage {
  type: 'load-error';
  message: string;
}
export interface ResponseMessage {
  type: 'response';
  id: string;
  res: FnResponse;
  arms?: number[];
}
export interface IoMessage {
  type: 'io';
  /** The request that made the call; absent for calls from top-level code or after a request ended. */
  id?: string;
  ioId: number;
  req: OutboundRequest;
}
export interface LogMessage {
  type: 'log';
  id?: string;
  stream: LogStream;
  line: string;
}

export type FromRunner = ReadyMessage | LoadedMessage | LoadErrorMessage | ResponseMessage | IoMessage | LogMessage;

export function encode(msg: ToRunner | FromRunner): string {
  return JSON.stringify(msg) + '\n';
}

/** JSON.stringify writes a control character of a string as `\u00XX`: 6 bytes for 1. */
export const JSON_ESCAPE_FACTOR = 6;
/** Room for a message's own keys, type, ids and numbers around its payload. */
export const FRAMING_BYTES = 64 * 1024;
/**
 * Back-pressure on a runner (runner-link.ts): the dispatcher stops reading a runner's socket while
 * more than this much it sent is still unread by the runner, or while the runner has this many
 * outbound calls in flight, and reads on once below. A runner that floods calls or never reads its
 * results is slowed to what the dispatcher holds for it, not served without bound.
 */
export const RUNNER_FLOW_LIMITS = Object.freeze({ maxUnsentBytes: 16 * 1024 * 1024, maxIoInFlight: 64 });

/**
 * The longest line a runner may send: the largest payload one message can legitimately carry (a
 * response, or an outbound call, at the limits of src/api/limits.ts, which the runner enforces
 * before sending) escaped at worst, plus framing, plus a traced request's path (`arms`, at most
 * `armCount` numbers). Log lines are far below it (the runner cuts them to maxLogLineBytes). The
 * request body limit (`maxBodyBytes`) bounds only what the dispatcher sends; a function that echoes
 * a request still answers within maxResponseBytes. About 37 MiB with the defaults.
 */
export function maxRunnerLineBytes(armCount = 0): number {
  const L = FUNCTION_LIMITS;
  const payload = Math.max(
    L.maxResponseBytes + L.maxResponseHeaderBytes,
    L.maxOutboundBodyBytes + L.maxOutboundUrlBytes + L.maxOutboundHeaderBytes,
    L.maxLogLineBytes + LOAD_ERROR_MAX_BYTES,
  );
  const arms = armCount > 0 ? armCount * (String(armCount).length + 1) : 0;
  return JSON_ESCAPE_FACTOR * payload + FRAMING_BYTES + arms;
}

/** A load error's message is cut to this many bytes by the runner (it may quote the function's text). */
export const LOAD_ERROR_MAX_BYTES = 16 * 1024;

export interface LineDecoderOptions {
  /** Longest line accepted, in bytes before decoding; read on every chunk so it may grow (after `load`). */
  maxLineBytes?: number | (() => number);
  /** A line grew past maxLineBytes: the decoder stops (it ignores every later chunk). */
  onOversize?(bytes: number, max: number): void;
}

/**
 * Splits a byte stream into messages. Newlines are found in the bytes (a 0x0A byte never occurs
 * inside a multi-byte UTF-8 character), so a line is decoded only once it is whole and its length is
 * checked before anything is joined: with `maxLineBytes`, the decoder never holds more than that
 * much of an unfinished line (plus the chunk being read), and stops at the first line over it. A line
 * that is not JSON is reported, not thrown; either callback stops the decoder by returning `false`.
 */
export function createLineDecoder<T>(
  onMessage: (msg: T) => unknown,
  onBadLine: (line: string, err: unknown) => unknown,
  opts: LineDecoderOptions = {},
): (chunk: Buffer) => void {
  const limit = opts.maxLineBytes;
  const maxOf = typeof limit === 'function' ? limit : () => limit ?? Infinity;
  let parts: Buffer[] = [];
  let held = 0;
  let stopped = false;
  const emit = (line: string): void => {
    if (line.length === 0) return;
    let msg: T;
    try {
      msg = JSON.parse(line) as T;
    } catch (err) {
      if (onBadLine(line, err) === false) stopped = true;
      return;
    }
    if (onMessage(msg) === false) stopped = true;
  };
  const oversize = (bytes: number, max: number): void => {
    stopped = true;
    parts = [];
    held = 0;
    opts.onOversize?.(bytes, max);
  };
  return (chunk) => {
    if (stopped) return;
    const max = maxOf();
    let nl = chunk.indexOf(10);
    if (nl === -1) {
      if (held + chunk.length > max) return oversize(held + chunk.length, max);
      parts.push(chunk);
      held += chunk.length;
      return;
    }
    let start = 0;
    if (held > 0) {
      if (held + nl > max) return oversize(held + nl, max);
      parts.push(chunk.subarray(0, nl));
      const line = Buffer.concat(parts).toString('utf8');
      parts = [];
      held = 0;
      emit(line);
      if (stopped) return;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      if (last - start <= max) {
        // Every line in [start, last) is no longer than that span: decode it once and split the text.
        const text = chunk.toString('utf8', start, last);
        let from = 0;
        let at: number;
        while ((at = text.indexOf('\n', from)) !== -1) {
          emit(text.slice(from, at));
          if (stopped) return;
          from = at + 1;
        }
        emit(text.slice(from));
        if (stopped) return;
      } else {
        for (nl = chunk.indexOf(10, start); nl !== -1 && nl <= last; nl = chunk.indexOf(10, start)) {
          if (nl - start > max) return oversize(nl - start, max);
          emit(chunk.toString('utf8', start, nl));
          if (stopped) return;
          start = nl + 1;
        }
      }
      start = last + 1;
    }
    if (start < chunk.length) {
      const tail = chunk.length - start;
      if (tail > max) return oversize(tail, max);
      parts.push(chunk.subarray(start));
      held = tail;
    }
  };
}

/**
 * Sends messages on a stream, coalescing those produced in one turn of the event loop into one write:
 * a burst of responses (or of invokes) then costs one system call instead of one per message.
 */
export function createBatchedSender<M extends ToRunner | FromRunner>(stream: { write(chunk: string): unknown; destroyed: boolean }, onFlushed?: () => void): (msg: M) => void {
  let queue: string[] = [];
  const flush = () => {
    const chunk = queue.join('');
    queue = [];
    if (stream.destroyed) return;
    stream.write(chunk);
    onFlushed?.();
  };
  return (msg) => {
    if (queue.length === 0) process.nextTick(flush);
    queue.push(encode(msg));
  };
}
