/* global Headers, Response, fetch, atob, btoa, TextDecoder -- workerd's web globals */
// The adapter that runs every function style unchanged in workerd, for `containerless bench tenants`
// (bundled by esbuild into each tenant's module, once per tenant so tenants share no state).
// It is both `require('containerless')` for paper-style functions (listen, respond, get, post, put,
// delete, with AsyncLocalStorage telling concurrent requests apart) and `serve(mod, style)`, which
// turns any style into a Workers `{ fetch }`. It follows docs/functions.md closely, not exactly:
// what it leaves out is listed in docs/benchmarks.md.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage();
let handler;

export function listen(h) {
  handler = h;
}

function toResponse(value, options) {
  let body;
  let type = 'text/plain';
  if (typeof value === 'string') body = value;
  else if (value === null || typeof value === 'object') {
    body = JSON.stringify(value);
    type = 'application/json';
  } else body = String(value);
  const headers = new Headers({ 'content-type': type });
  for (const [k, v] of Object.entries((options && options.headers) || {})) headers.set(k, String(v));
  return new Response(body, { status: (options && options.status) || 200, headers });
}

export function respond(value, options) {
  const ctx = current.getStore();
  if (!ctx || ctx.done) return;
  ctx.done = true;
  ctx.resolve(toResponse(value, options));
}

const fail = (ctx, err) => {
  if (ctx.done) return;
  ctx.done = true;
  console.error(err);
  ctx.resolve(Response.json({ error: String(err && err.message ? err.message : err) }, { status: 500 }));
};

function call(method, opts, cb) {
  const ctx = current.getStore();
  const o = typeof opts === 'string' ? { url: opts } : opts || {};
  const headers = { ...(o.headers || {}) };
  let body;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    if (typeof o.body !== 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
  }
  fetch(o.url, { method, headers, body })
    .then(async (res) => {
      const text = await res.text();
      let parsed = text;
      if ((res.headers.get('content-type') || '').includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {}
      }
      return [parsed, { status: res.status, headers: Object.fromEntries(res.headers) }];
    })
    .then(
      ([b, meta]) => cb(b, meta),
      () => cb(undefined),
    )
    .catch((err) => ctx && fail(ctx, err));
}

export const get = (o, cb) => call('GET', o, cb);
export const post = (o, cb) => call('POST', o, cb);
export const put = (o, cb) => call('PUT', o, cb);
export { del as delete };
const del = (o, cb) => call('DELETE', o, cb);

const isJson = (type) => /json/i.test(type || '');
const isText = (type) => !type || /^text\/|json|xml|x-www-form-urlencoded/i.test(type);

async function paper(request) {
  const url = new URL(request.url);
  const text = await request.text();
  const type = request.headers.get('content-type');
  let body = {};
  if (text !== '') {
    body = text;
    if (isJson(type)) {
      try {
        body = JSON.parse(text);
      } catch {}
    }
  }
  const req = { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: Object.fromEntries(request.headers), body };
  return new Promise((resolve) => {
    const ctx = { done: false, resolve };
    const timer = setTimeout(() => fail(ctx, new Error('timeout')), 30_000);
    ctx.resolve = (r) => {
      clearTimeout(timer);
      resolve(r);
    };
    current.run(ctx, () => {
      try {
        const r = handler(req);
        if (r && typeof r.then === 'function') r.then(undefined, (err) => fail(ctx, err));
      } catch (err) {
        fail(ctx, err);
      }
    });
  });
}

function fromResult(result) {
  const r = result && typeof result === 'object' && 'statusCode' in result ? result : { statusCode: 200, body: typeof result === 'string' ? result : JSON.stringify(result) };
  const headers = new Headers(r.headers || {});
  for (const c of r.cookies || []) headers.append('set-cookie', c);
  let body = r.body;
  if (body !== undefined && body !== null && typeof body === 'object') {
    body = JSON.stringify(body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  if (r.isBase64Encoded && typeof body === 'string') body = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Response(body === undefined ? null : body, { status: r.statusCode || 200, headers });
}

let lambdaCount = 0;
async function lambda(fn, request, name) {
  const url = new URL(request.url);
  const type = request.headers.get('content-type');
  const bytes = new Uint8Array(await request.arrayBuffer());
  const id = `req-${++lambdaCount}`;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: Object.fromEntries(request.headers),
    requestContext: { requestId: id, http: { method: request.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: request.headers.get('user-agent') || '' } },
  };
  const qs = {};
  for (const [k, v] of url.searchParams) qs[k] = k in qs ? `${qs[k]},${v}` : v;
  if (Object.keys(qs).length) event.queryStringParameters = qs;
  if (bytes.length) {
    if (isText(type)) event.body = new TextDecoder().decode(bytes);
    else {
      event.body = btoa(String.fromCharCode(...bytes));
      event.isBase64Encoded = true;
    }
    event.isBase64Encoded = event.isBase64Encoded || false;
  }
  const context = { functionName: name, functionVersion: '1', awsRequestId: id, memoryLimitInMB: 128, getRemainingTimeInMillis: () => 30_000 };
  try {
    return fromResult(await fn(event, context));
  } catch (err) {
    console.error(err);
    return Response.json({ error: 'internal error' }, { status: 500 });
  }
}

async function openwhisk(fn, request) {
  const url = new URL(request.url);
  const text = await request.text();
  const params = Object.fromEntries(url.searchParams);
  let parsed;
  if (text !== '' && isJson(request.headers.get('content-type'))) {
    try {
      parsed = JSON.parse(text);
    } catch {}
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
  else if (text !== '') params.__ow_body = text;
  Object.assign(params, { __ow_method: request.method.toLowerCase(), __ow_headers: Object.fromEntries(request.headers), __ow_path: url.pathname === '/' ? '' : url.pathname });
  try {
    const r = (await fn(params)) || {};
    return fromResult({ statusCode: r.statusCode || 200, headers: r.headers, body: r.body });
  } catch (err) {
    console.error(err);
    return Response.json({ error: 'internal error' }, { status: 500 });
  }
}

/** A Workers `{ fetch }` for a function module of any style. */
export function serve(mod, style, name) {
  const exp = mod.default && typeof mod.default === 'object' ? mod.default : mod;
  if (style === 'web') return exp;
  if (style === 'paper') return { fetch: (request) => paper(request) };
  if (style === 'lambda') return { fetch: (request) => lambda(mod.handler || exp.handler, request, name) };
  const main = mod.main || exp.main || (typeof mod.default === 'function' ? mod.default : undefined);
  return { fetch: (request) => openwhisk(main, request) };
}
