import { formatResponse, type RespondOptions } from './respond.ts';
import type { FnResponse } from './types.ts';

export const OCTET_STREAM = 'application/octet-stream';

/** A value that is bytes: a Buffer, any typed array or DataView, an ArrayBuffer. */
export function isBinaryValue(v: unknown): v is ArrayBufferView | ArrayBuffer | SharedArrayBuffer {
  return ArrayBuffer.isView(v) || v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer);
}

/** The bytes of a binary value, without copying. */
export function binaryBytes(v: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): Buffer {
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(v);
}

/** A response whose body is these bytes, always written in base64 between processes. */
export function bytesResponse(status: number, headers: Record<string, string>, bytes: Uint8Array): FnResponse {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.length === 0 ? { status, headers, body: '' } : { status, headers, body: buf.toString('base64'), bodyEncoding: 'base64' };
}

/**
 * `respond(bytes, options?)` (CONTRACT §1b "Bodies are bytes"): the bytes as they are, with the
 * content type the options give or application/octet-stream; status and headers as formatResponse
 * reads them. Kept apart from formatResponse, which the accelerator shares and which never sees bytes.
 */
export function formatBinaryResponse(value: ArrayBufferView | ArrayBuffer | SharedArrayBuffer, options?: RespondOptions): FnResponse {
  const base = formatResponse('', options);
  const h = options && typeof options === 'object' ? options.headers : undefined;
  const typed = h !== null && typeof h === 'object' && Object.keys(h).some((k) => k.toLowerCase() === 'content-type' && (h as Record<string, unknown>)[k] != null);
  if (!typed) base.headers['content-type'] = OCTET_STREAM;
  return bytesResponse(base.status, base.headers, binaryBytes(value));
}

/** respond's formatting for any value: bytes as bytes, everything else per CONTRACT §1. */
export function formatAnyResponse(value: unknown, options?: RespondOptions): FnResponse {
  return isBinaryValue(value) ? formatBinaryResponse(value, options) : formatResponse(value, options);
}
