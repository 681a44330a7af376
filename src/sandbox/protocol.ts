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

/**
 * Splits a byte stream into messages. Chunks are decoded with a streaming decoder so a multi-byte
 * character split across chunks survives; the pieces of a long line are kept apart until its newline
 * arrives, so a multi-megabyte body costs linear time; a line that is not JSON is reported, not
 * thrown, so one bad line cannot take the connection down.
 */
export function createLineDecoder<T>(onMessage: (msg: T) => void, onBadLine: (line: string, err: unknown) => void): (chunk: Buffer) => void {
  const decoder = new TextDecoder('utf-8');
  let parts: string[] = [];
  const emit = (line: string) => {
    if (line.length === 0) return;
    let msg: T;
    try {
      msg = JSON.parse(line) as T;
    } catch (err) {
      onBadLine(line, err);
      return;
    }
    onMessage(msg);
  };
  return (chunk) => {
    const text = decoder.decode(chunk, { stream: true });
    let nl = text.indexOf('\n');
    if (nl === -1) {
      if (text.length > 0) parts.push(text);
      return;
    }
    const head = text.slice(0, nl);
    const first = parts.length === 0 ? head : parts.join('') + head;
    parts = [];
    emit(first);
    let start = nl + 1;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      emit(text.slice(start, nl));
      start = nl + 1;
    }
    if (start < text.length) parts.push(text.slice(start));
  };
}

/**
 * Sends messages on a stream, coalescing those produced in one turn of the event loop into one write:
 * a burst of responses (or of invokes) then costs one system call instead of one per message.
 */
export function createBatchedSender<M extends ToRunner | FromRunner>(stream: { write(chunk: string): unknown; destroyed: boolean }): (msg: M) => void {
  let queue: string[] = [];
  const flush = () => {
    const chunk = queue.join('');
    queue = [];
    if (!stream.destroyed) stream.write(chunk);
  };
  return (msg) => {
    if (queue.length === 0) process.nextTick(flush);
    queue.push(encode(msg));
  };
}
