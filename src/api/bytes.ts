import type { BodyEncoding } from './types.ts';

/**
 * Bodies are bytes (CONTRACT §1b). Between processes a body is a string: its UTF-8 text when it is
 * text, else its bytes in base64 with `bodyEncoding: 'base64'`. Text means a textual content type
 * (or none) and bytes that are valid UTF-8, so decoding never loses a byte.
 */
export interface EncodedBody {
  body: string;
  bodyEncoding?: BodyEncoding;
}

const TEXT_APPLICATION = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'application/javascript', 'application/ecmascript', 'application/graphql']);

/**
 * A content type whose body is text: text/*, JSON, XML (and their `+json`/`+xml` kinds), form data.
 * No content type counts as text (a §1 function reads such a body as its text).
 */
export function isTextualType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  if (t.startsWith('text/')) return true;
  if (t === 'application/json' || t.endsWith('+json') || t === 'application/xml' || t.endsWith('+xml')) return true;
  return TEXT_APPLICATION.has(t);
}

/** Bytes as they cross a process boundary. */
export function encodeBody(bytes: Uint8Array, contentType: string | undefined): EncodedBody {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) return { body: '' };
  if (isTextualType(contentType)) {
    const text = buf.toString('utf8');
    // A lone surrogate or invalid sequence decodes to U+FFFD: re-encode to see whether any byte was lost.
    if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(buf)) return { body: text };
  }
  return { body: buf.toString('base64'), bodyEncoding: 'base64' };
}

/** The bytes of an encoded body. */
export function bodyBytes(b: EncodedBody): Buffer {
  return b.bodyEncoding === 'base64' ? Buffer.from(b.body, 'base64') : Buffer.from(b.body, 'utf8');
}

/** Length in bytes of an encoded body, without decoding base64. */
export function bodyByteLength(b: EncodedBody): number {
  if (b.bodyEncoding !== 'base64') return Buffer.byteLength(b.body);
  const s = b.body;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length * 3) / 4 - pad;
}
