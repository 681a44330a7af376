import { bodyBytes, isTextualType } from '../bytes.ts';
import { bytesResponse, OCTET_STREAM } from '../binary.ts';
import type { RequestContext } from '../host-types.ts';
import { JSON_TYPE, TEXT } from '../respond.ts';
import type { FnResponse, RawRequest } from '../types.ts';
import { checkStatus, finishWith, isPlainObject, isThenable, lowerHeaders, queryStringOf, settle, type StartInfo, type StyleAdapter, type StyleHost } from './style.ts';

type LambdaHandler = (event: unknown, context: unknown, callback: (err?: unknown, result?: unknown) => void) => unknown;

/**
 * AWS Lambda behind an API Gateway HTTP API, payload format 2.0 (CONTRACT §1b). The handler may
 * return a value or a promise, or, declared with three parameters, answer through
 * `callback(err, result)`; the first answer counts. AWS's documentation decides where the contract is
 * silent (docs/function-styles.md lists each choice).
 */
export function lambdaStyle(handler: LambdaHandler, host: StyleHost): StyleAdapter {
  const usesCallback = handler.length >= 3;
  return {
    style: 'lambda',
    start(ctx, raw, info) {
      let answered = false;
      const succeed = (result: unknown) => {
        if (answered) return;
        answered = true;
        finishWith(host, ctx, () => lambdaResponse(result));
      };
      const failWith = (err: unknown) => {
        if (answered) return;
        answered = true;
        host.fail(ctx, err);
      };
      const callback = (err?: unknown, result?: unknown) => (err !== undefined && err !== null ? failWith(err) : succeed(result));
      const event = lambdaEvent(raw, ctx.id);
      const context = lambdaContext(host, ctx, info, callback);
      const result = host.runIn(ctx, () => handler(event, context, callback));
      // A callback handler's own return value is not its answer (AWS ignores it unless it is a promise).
      if (usesCallback && !isThenable(result)) return;
      settle(result, succeed, failWith);
    },
  };
}

/** API Gateway's event for one request (HTTP API, payload format 2.0). */
export function lambdaEvent(raw: RawRequest, requestId: string): Record<string, unknown> {
  const headers: Record<string, string> = { ...raw.headers };
  // Format 2.0 moves the request's cookies from the headers to `cookies`, one entry per cookie.
  let cookies: string[] | undefined;
  if (headers['cookie'] !== undefined) {
    cookies = headers['cookie'].split(';').map((c) => c.trim()).filter((c) => c !== '');
    delete headers['cookie'];
  }
  const rawQueryString = queryStringOf(raw);
  const params: Record<string, string> = {};
  let any = false;
  // Repeated parameters are joined with commas (AWS: "Duplicate query strings are combined with commas").
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    params[k] = k in params ? `${params[k]},${v}` : v;
    any = true;
  }
  const host = raw.headers['host'] ?? 'localhost';
  const now = new Date();
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: '$default',
    rawPath: raw.path,
    rawQueryString,
  };
  if (cookies) event.cookies = cookies;
  event.headers = headers;
  if (any) event.queryStringParameters = params;
  event.requestContext = {
    accountId: 'anonymous',
    apiId: 'containerless',
    domainName: host,
    domainPrefix: host.split('.')[0],
    http: {
      method: raw.method,
      path: raw.path,
      protocol: 'HTTP/1.1',
      sourceIp: sourceIp(raw.headers),
      userAgent: raw.headers['user-agent'] ?? '',
    },
    requestId,
    routeKey: '$default',
    stage: '$default',
    time: apiGatewayTime(now),
    timeEpoch: now.getTime(),
  };
  if (raw.body !== '') {
    const binary = raw.bodyEncoding === 'base64' || !isTextualType(raw.headers['content-type']);
    event.body = binary ? bodyBytes(raw).toString('base64') : raw.body;
    event.isBase64Encoded = binary;
  } else event.isBase64Encoded = false;
  return event;
}

function lambdaContext(host: StyleHost, ctx: RequestContext, info: StartInfo, callback: (err?: unknown, result?: unknown) => void): Record<string, unknown> {
  return {
    functionName: host.functionName,
    functionVersion: host.functionVersion,
    invokedFunctionArn: `arn:containerless:lambda:local:function:${host.functionName}`,
    memoryLimitInMB: String(host.memoryMb),
    awsRequestId: ctx.id,
    logGroupName: `/containerless/${host.functionName}`,
    logStreamName: `${host.functionName}/${host.functionVersion}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, info.deadline - Date.now()),
    // The legacy answers older handlers still call.
    succeed: (result?: unknown) => callback(null, result),
    fail: (err?: unknown) => callback(err ?? new Error('context.fail')),
    done: (err?: unknown, result?: unknown) => callback(err, result),
  };
}

/**
 * The handler's result as the client's response. An object with `statusCode` is the response itself
 * (`headers`, `cookies` → set-cookie, `body`, `isBase64Encoded`); anything else is the body of a 200
 * with the JSON content type: a string as it is, other values as JSON (API Gateway's inferred format).
 */
export function lambdaResponse(result: unknown): FnResponse {
  if (!isPlainObject(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null');
    return { status: 200, headers: { 'content-type': JSON_TYPE }, body };
  }
  const status = checkStatus(result.statusCode, "the Lambda result's statusCode");
  const headers = lowerHeaders(result.headers);
  if (Array.isArray(result.cookies) && result.cookies.length > 0) {
    const cookies = result.cookies.map(String);
    if (headers['set-cookie'] !== undefined) cookies.unshift(headers['set-cookie']);
    headers['set-cookie'] = cookies.join(', ');
  }
  const b = result.body;
  const text = b === undefined || b === null ? '' : typeof b === 'string' ? b : (JSON.stringify(b) ?? '');
  if (result.isBase64Encoded === true) {
    headers['content-type'] ??= OCTET_STREAM;
    return bytesResponse(status, headers, Buffer.from(text, 'base64'));
  }
  headers['content-type'] ??= TEXT;
  return { status, headers, body: text };
}

function sourceIp(headers: Record<string, string>): string {
  const fwd = headers['x-forwarded-for'];
  return fwd ? fwd.split(',')[0]!.trim() : '127.0.0.1';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time`: `12/Mar/2020:19:03:58 +0000`. */
function apiGatewayTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
