import { bodyBytes, isTextualType } from '../bytes.ts';
import { bytesResponse } from '../binary.ts';
import { isJsonType } from '../request.ts';
import { JSON_TYPE } from '../respond.ts';
import type { FnResponse, RawRequest } from '../types.ts';
import { checkStatus, describe, finishWith, isPlainObject, lowerHeaders, settle, type StyleAdapter, type StyleHost } from './style.ts';

/** OpenWhisk's type for a string body when the action names none. */
const HTML = 'text/html; charset=utf-8';

/**
 * An OpenWhisk web action (CONTRACT §1b): `main(params)` returning `{ statusCode?, headers?, body? }`
 * or a promise of it. OpenWhisk's documentation decides where the contract is silent
 * (docs/function-styles.md).
 */
export function openwhiskStyle(main: (params: unknown) => unknown, host: StyleHost): StyleAdapter {
  return {
    style: 'openwhisk',
    start(ctx, raw) {
      const params = openwhiskParams(raw);
      const result = host.runIn(ctx, () => main(params));
      settle(
        result,
        (value) => finishWith(host, ctx, () => openwhiskResponse(value)),
        (err) => host.fail(ctx, err),
      );
    },
  };
}

/** The action's parameters: the query merged with a JSON object body (the body wins), then `__ow_*`. */
export function openwhiskParams(raw: RawRequest): Record<string, unknown> {
  const params: Record<string, unknown> = { ...raw.query };
  let owBody: string | undefined;
  if (raw.body !== '') {
    let parsed: unknown;
    if (raw.bodyEncoding !== 'base64' && isJsonType(raw.headers['content-type'])) {
      try {
        parsed = JSON.parse(raw.body);
      } catch {
        parsed = undefined;
      }
    }
    if (isPlainObject(parsed)) Object.assign(params, parsed);
    else {
      // Not a JSON object: the body itself, as text, or in base64 when it is bytes (as OpenWhisk does).
      const binary = raw.bodyEncoding === 'base64' || !isTextualType(raw.headers['content-type']);
      owBody = binary ? bodyBytes(raw).toString('base64') : raw.body;
    }
  }
  params.__ow_method = raw.method.toLowerCase();
  params.__ow_headers = { ...raw.headers };
  params.__ow_path = raw.path === '/' ? '' : raw.path;
  if (owBody !== undefined) params.__ow_body = owBody;
  return params;
}

/**
 * A web action's result as the response: `statusCode` (200, or 204 without a body), `headers`,
 * `body`: an object, array, number or boolean is JSON; a string is text (`text/html` unless the
 * headers name a type), decoded from base64 when the headers name a binary type. No result (or an
 * empty one) is a 204. A result that is not an object is the action's error.
 */
export function openwhiskResponse(result: unknown): FnResponse {
  if (result === undefined || result === null) result = {};
  if (!isPlainObject(result)) throw new TypeError(`the OpenWhisk action's result is not an object with statusCode, headers and body: ${describe(result)}`);
  const headers = lowerHeaders(result.headers);
  const b = result.body;
  const hasBody = b !== undefined && b !== null && b !== '';
  const status = result.statusCode === undefined ? (hasBody ? 200 : 204) : checkStatus(result.statusCode, "the OpenWhisk action's statusCode");
  if (!hasBody) return { status, headers: { 'content-type': HTML, ...headers }, body: '' };
  if (typeof b !== 'string') {
    headers['content-type'] ??= JSON_TYPE;
    return { status, headers, body: JSON.stringify(b) ?? '' };
  }
  const type = headers['content-type'];
  if (type !== undefined && !isTextualType(type)) return bytesResponse(status, headers, Buffer.from(b, 'base64'));
  headers['content-type'] ??= HTML;
  return { status, headers, body: b };
}
