/* global fetch, Request, Response, Headers, TextDecoder */
// The reference runner's child: plain Node running one function file under its style's documented
// semantics (CONTRACT §1 and §1b, and where they are silent AWS API Gateway HTTP API payload 2.0,
// OpenWhisk web actions, Cloudflare Workers), written without any code of src/ so that comparing
// the platform with it proves something. It serves the function over HTTP on loopback; the parent
// (reference-runner.ts) sends it the same requests it sends the platform.
//
// Usage: node reference-child.mjs FILE (FILE in a directory whose node_modules holds the
// `containerless` shim). config.env comes as JSON in CL_REFERENCE_ENV. Prints {"port":N} when ready.
import { createServer } from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const file = process.argv[2];
const env = JSON.parse(process.env.CL_REFERENCE_ENV ?? '{}');
delete process.env.CL_REFERENCE_ENV;
Object.assign(process.env, env);

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

// ---- the paper's `containerless` module, as the shim in node_modules reaches it ----
const als = new AsyncLocalStorage();
let paperHandler;
const paper = {
  listen(h) {
    paperHandler = h;
  },
  respond(value, options) {
    const exchange = als.getStore();
    if (!exchange || exchange.answered) return;
    let body;
    let type;
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) [body, type] = [Buffer.from(value), 'application/octet-stream'];
    else if (value instanceof ArrayBuffer) [body, type] = [Buffer.from(value), 'application/octet-stream'];
    else if (typeof value === 'string') [body, type] = [value, TEXT];
    else if (value === undefined) [body, type] = ['undefined', TEXT];
    else if (typeof value === 'number' || typeof value === 'boolean') [body, type] = [String(value), TEXT];
    else [body, type] = [JSON.stringify(value), JSON_TYPE];
    const headers = { 'content-type': type };
    for (const [k, v] of Object.entries(options?.headers ?? {})) if (v != null) headers[k.toLowerCase()] = String(v);
    exchange.answer(options?.status ?? 200, headers, body);
  },
  get: (url, cb) => outbound('GET', url, cb),
  post: (opts, cb) => outbound('POST', opts, cb),
  put: (opts, cb) => outbound('PUT', opts, cb),
  delete: (opts, cb) => outbound('DELETE', opts, cb),
};
globalThis[Symbol.for('containerless.reference')] = paper;

function outbound(method, urlOrOpts, cb) {
  const o = typeof urlOrOpts === 'string' ? { url: urlOrOpts } : urlOrOpts;
  const headers = { ...(o.headers ?? {}) };
  let body;
  if (o.body !== undefined) {
    if (typeof o.body === 'string') body = o.body;
    else {
      body = JSON.stringify(o.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  fetch(o.url, { method, headers, body, redirect: 'manual' }).then(
    async (r) => {
      const text = await r.text();
      let parsed = text;
      if (/^application\/(.+\+)?json/i.test(r.headers.get('content-type') ?? '')) {
        try {
          parsed = JSON.parse(text);
        } catch {}
      }
      cb?.(parsed, { status: r.status, headers: Object.fromEntries(r.headers) });
    },
    () => cb?.(undefined),
  );
}

// ---- loading the file ----
async function load() {
  if (file.endsWith('.mjs')) {
    const ns = await import(pathToFileURL(file).href);
    return { exports: ns, main: undefined };
  }
  // CommonJS through Node's own loader; a top-level `function main` is found by name afterwards, as
  // OpenWhisk's Node runtime finds a single-file action's entry.
  const m = new Module(file);
  m.filename = file;
  m.paths = Module._nodeModulePaths(file.replace(/\/[^/]*$/, ''));
  m._compile(`${readFileSync(file, 'utf8')}\n;module.__referenceMain = typeof main === 'function' ? main : undefined;`, file);
  return { exports: m.exports, main: m.__referenceMain };
}

const loaded = await load();
const exp = loaded.exports;
let style;
if (paperHandler) style = 'paper';
else if (exp?.default && typeof exp.default.fetch === 'function') style = 'web';
else if (typeof exp?.handler === 'function') style = 'lambda';
else if (typeof exp?.main === 'function' || typeof exp === 'function' || typeof loaded.main === 'function') style = 'openwhisk';
else throw new Error('no handler of any style');

// ---- serving ----
function isTextType(ct) {
  if (!ct) return true;
  const t = ct.split(';')[0].trim().toLowerCase();
  return t.startsWith('text/') || /^application\/(.+\+)?(json|xml)$/.test(t) || t === 'application/xml' || t === 'application/x-www-form-urlencoded' || t === 'multipart/form-data' || t === 'application/javascript' || t === 'application/ecmascript' || t === 'application/graphql';
}
function isUtf8(buf) {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}
const isJson = (ct) => /^application\/(.+\+)?json\s*(;|$)/i.test(ct ?? '');
const stack = (err) => (err instanceof Error && err.stack ? err.stack : String(err));
const uncaught = (err) => `Uncaught ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const exchange = {
      answered: false,
      answer(status, headers, body) {
        if (exchange.answered) return;
        exchange.answered = true;
        res.writeHead(status, headers);
        res.end(status === 204 || status === 304 ? undefined : body);
      },
      /** The answer of the non-paper styles: [status, headers, body]. */
      answerWith([status, headers, body]) {
        exchange.answer(status, headers, body);
      },
      fail(err) {
        process.stderr.write(`Uncaught ${stack(err)}\n`);
        exchange.answer(500, { 'content-type': JSON_TYPE }, JSON.stringify({ error: uncaught(err) }));
      },
    };
    const body = Buffer.concat(chunks);
    als.run(exchange, () => serve(req, body, exchange)).catch((err) => exchange.fail(err));
  });
});

async function serve(req, body, exchange) {
  const url = new URL(req.url, 'http://reference');
  const ct = req.headers['content-type'];
  const binary = body.length > 0 && (!isTextType(ct) || !isUtf8(body));
  if (style === 'paper') {
    let b = {};
    if (body.length > 0) {
      if (binary) b = body;
      else if (isJson(ct)) {
        try {
          b = JSON.parse(body.toString('utf8'));
        } catch {
          b = body.toString('utf8');
        }
      } else b = body.toString('utf8');
    }
    const fnReq = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, body: b };
    await paperHandler(fnReq);
    return;
  }
  if (style === 'lambda') return exchange.answerWith(await lambda(req, url, body, ct));
  if (style === 'openwhisk') return exchange.answerWith(await openwhisk(req, url, body, ct, binary));
  return exchange.answerWith(await web(req, url, body));
}

// Lambda: API Gateway HTTP API, payload format 2.0.
function lambda(req, url, body, ct) {
  const headers = { ...req.headers };
  const event = { version: '2.0', routeKey: '$default', rawPath: url.pathname, rawQueryString: url.search.slice(1) };
  if (headers.cookie) {
    event.cookies = headers.cookie.split(/;\s*/).filter(Boolean);
    delete headers.cookie;
  }
  event.headers = headers;
  const qsp = {};
  for (const [k, v] of url.searchParams) qsp[k] = k in qsp ? `${qsp[k]},${v}` : v;
  if (Object.keys(qsp).length > 0) event.queryStringParameters = qsp;
  event.requestContext = { http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' }, requestId: randomUUID(), routeKey: '$default', stage: '$default' };
  event.isBase64Encoded = false;
  if (body.length > 0) {
    event.isBase64Encoded = !isTextType(ct) || !isUtf8(body);
    event.body = body.toString(event.isBase64Encoded ? 'base64' : 'utf8');
  }
  const context = { functionName: 'reference', awsRequestId: event.requestContext.requestId, getRemainingTimeInMillis: () => 10000 };
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err != null ? reject(err) : resolve(result));
    let out;
    try {
      out = exp.handler(event, context, callback);
    } catch (err) {
      return reject(err);
    }
    if (out && typeof out.then === 'function') out.then(resolve, reject);
    else if (exp.handler.length < 3) resolve(out);
  }).then((result) => {
    if (result === null || typeof result !== 'object' || Array.isArray(result) || !('statusCode' in result)) {
      return [200, { 'content-type': JSON_TYPE }, typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null')];
    }
    const h = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) h[k.toLowerCase()] = String(v);
    const cookies = result.cookies ?? [];
    const b = typeof result.body === 'string' ? result.body : result.body == null ? '' : JSON.stringify(result.body);
    if (!h['content-type']) h['content-type'] = result.isBase64Encoded ? 'application/octet-stream' : TEXT;
    return [result.statusCode, cookies.length ? { ...h, 'set-cookie': cookies } : h, result.isBase64Encoded ? Buffer.from(b, 'base64') : b];
  });
}

// OpenWhisk web action.
async function openwhisk(req, url, body, ct, binary) {
  const params = Object.fromEntries(url.searchParams);
  let merged = false;
  if (body.length > 0 && !binary && isJson(ct)) {
    try {
      const v = JSON.parse(body.toString('utf8'));
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        Object.assign(params, v);
        merged = true;
      }
    } catch {}
  }
  params.__ow_method = req.method.toLowerCase();
  params.__ow_headers = { ...req.headers };
  params.__ow_path = url.pathname === '/' ? '' : url.pathname;
  if (body.length > 0 && !merged) params.__ow_body = body.toString(binary || !isTextType(ct) ? 'base64' : 'utf8');
  const fn = typeof exp.main === 'function' ? exp.main : typeof exp === 'function' ? exp : loaded.main;
  const result = (await fn(params)) ?? {};
  if (typeof result !== 'object' || Array.isArray(result)) throw new TypeError('the action did not return a dictionary');
  const h = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) h[k.toLowerCase()] = String(v);
  const b = result.body;
  const empty = b === undefined || b === null || b === '';
  const status = result.statusCode ?? (empty ? 204 : 200);
  if (empty) return [status, h, ''];
  if (typeof b !== 'string') return [status, { 'content-type': JSON_TYPE, ...h }, JSON.stringify(b)];
  if (h['content-type'] && !isTextType(h['content-type'])) return [status, h, Buffer.from(b, 'base64')];
  return [status, { 'content-type': 'text/html; charset=utf-8', ...h }, b];
}

// Cloudflare Workers module syntax.
async function web(req, url, body) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) headers.append(k, Array.isArray(v) ? v.join(', ') : v);
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
  });
  const pending = [];
  const ctx = { waitUntil: (p) => pending.push(Promise.resolve(p).catch((err) => process.stderr.write(`Uncaught (in waitUntil) ${stack(err)}\n`))), passThroughOnException() {} };
  const response = await exp.default.fetch(request, { ...env }, ctx);
  if (!(response instanceof Response)) throw new TypeError('fetch did not return a Response');
  const h = {};
  response.headers.forEach((v, k) => {
    h[k] = k in h ? `${h[k]}, ${v}` : v;
  });
  if (typeof response.headers.getSetCookie === 'function' && response.headers.getSetCookie().length > 1) h['set-cookie'] = response.headers.getSetCookie();
  return [response.status, h, Buffer.from(await response.arrayBuffer())];
}

process.on('uncaughtException', (err) => {
  const exchange = als.getStore();
  if (exchange) exchange.fail(err);
  else process.stderr.write(`Uncaught ${stack(err)}\n`);
});
process.on('unhandledRejection', (err) => {
  const exchange = als.getStore();
  if (exchange) exchange.fail(err);
  else process.stderr.write(`Uncaught ${stack(err)}\n`);
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port, style })}\n`));
