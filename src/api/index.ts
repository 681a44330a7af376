/**
 * api: the functions' own module, `require('containerless')` (CONTRACT §1), for code running in Node:
 * request objects, `respond` formatting, outbound call shapes, and a host that loads a function file
 * and runs its requests. The container runner, the tracer's local runs and benchmarks build on it;
 * the accelerator reuses its formatting so both modes answer byte for byte alike. The styles of
 * CONTRACT §1b are adapters (styles/) the host picks once a file's top level ran; `fetch` (fetch.ts)
 * goes through the same I/O interface as `get`/`post`. Depends on nothing.
 */
export * from './types.ts';
export { encodeBody, bodyBytes, bodyByteLength, isTextualType, type EncodedBody } from './bytes.ts';
export { makeRequest, parseQuery, parseRequestBody, isJsonType } from './request.ts';
export { formatResponse, platformError, uncaughtErrorResponse, describeThrown, stackText, TEXT, JSON_TYPE, type RespondOptions } from './respond.ts';
export { buildOutbound, parseOutboundBody, OutboundArgumentError, JsonText } from './outbound.ts';
export { FUNCTION_LIMITS, LOG_TRUNCATED_LINE, limitResponse, truncateLogLine, truncationMarker, utf8Boundary, utf8CompletePrefix, utf8Over, headerBytes } from './limits.ts';
export { loadFunction, loadFunctionAwaited, startFunction, TOP_LEVEL_PROMISE, FunctionLoadError, type HostOptions, type LoadedFunction, type RequestContext } from './host.ts';
export { formatAnyResponse, formatBinaryResponse, isBinaryValue, OCTET_STREAM } from './binary.ts';
export { createFetch } from './fetch.ts';
export { checkOutboundSize } from './outbound.ts';
export { NO_HANDLER } from './styles/recognize.ts';
export { lambdaEvent, lambdaResponse, lambdaStyle } from './styles/lambda.ts';
export type { StyleAdapter, StyleHost } from './styles/style.ts';
export { openwhiskParams, openwhiskResponse, openwhiskStyle } from './styles/openwhisk.ts';
export { webRequest, webResponse, webStyle } from './styles/web.ts';
