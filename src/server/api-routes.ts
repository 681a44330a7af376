import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ConfigError,
  FunctionNotFoundError,
  SourceError,
  SourceUnavailableError,
  VersionNotFoundError,
  publicConfig,
  type Dispatcher,
  type FunctionVersion,
} from '../platform/index.ts';
import type { ModePin, Store, VersionInfo } from '../store/index.ts';
import { folderSource, isFolderUpload } from './folder-upload.ts';
import { HttpError, decodeSegment, readBody, sendJson } from './http-util.ts';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const PINS: ModePin[] = ['auto', 'containers', 'accelerated'];

export interface ApiContext {
  dispatcher: Dispatcher;
  store: Store;
  maxSourceBytes: number;
}

/** The management API of CONTRACT §3 (after auth), one handler per route. */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const parts = url.pathname.split('/').filter(Boolean); // ['api', 'functions', NAME?, SUB?]
  const method = req.method ?? 'GET';
  if (parts[1] !== 'functions' || parts.length > 4) throw new HttpError(404, `no such endpoint: ${url.pathname}`);
  if (parts.length === 2) {
    if (method !== 'GET') throw notAllowed(method, 'GET');
    return sendJson(res, 200, ctx.dispatcher.list().map((e) => summary(e, ctx.dispatcher)));
  }
  const name = decodeSegment(parts[2]!);
  if (!NAME.test(name)) throw new HttpError(400, `bad function name ${JSON.stringify(name)}: must match [a-z0-9][a-z0-9-]{0,62}`);
  const sub = parts[3];
  if (sub === undefined) {
    if (method === 'PUT') return putFunction(ctx, req, res, name);
    if (method === 'GET') {
      const v = need(ctx, name);
      return sendJson(res, 200, { ...describe(v, ctx), containers: await v.containers() });
    }
    if (method === 'DELETE') {
      if (!(await ctx.dispatcher.remove(name))) throw noSuch(name);
      return sendJson(res, 200, { deleted: name });
    }
    if (method === 'PATCH') return patchFunction(ctx, req, res, name);
    throw notAllowed(method, 'GET, PUT, PATCH, DELETE');
  }
  const v = need(ctx, name);
  switch (sub) {
    case 'versions': {
      if (method !== 'GET') throw notAllowed(method, 'GET');
      const list = ctx.dispatcher.listVersions(name);
      if (!list) throw noSuch(name);
      return sendJson(res, 200, list.map(versionEntry));
    }
    case 'version': {
      if (method !== 'PUT') throw notAllowed(method, 'PUT');
      return rollback(ctx, req, res, name);
    }
    case 'logs': {
      if (method !== 'GET') throw notAllowed(method, 'GET');
      const limit = Math.min(1000, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
      const acts = ctx.store.listActivations(name, limit).map(({ name: _n, version: _v, ...a }) => a);
      return sendJson(res, 200, acts);
    }
    case 'mode': {
      if (method === 'GET') return sendJson(res, 200, modeOf(v));
      if (method !== 'PUT') throw notAllowed(method, 'GET, PUT');
      const body = parseJson(await readBody(req, 64 * 1024)) as { mode?: unknown } | undefined;
      const pin = body?.mode;
      if (typeof pin !== 'string' || !PINS.includes(pin as ModePin)) throw new HttpError(400, 'mode must be one of auto, containers, accelerated');
      const updated = ctx.dispatcher.setModePin(name, pin as ModePin);
      if (!updated) throw noSuch(name);
      return sendJson(res, 200, modeOf(updated));
    }
    case 'trace': {
      if (method !== 'GET') throw notAllowed(method, 'GET');
      // The live tree (paths of requests in flight are merged as they finish).
      const trace = await v.accel.traceJSON();
      if (trace === undefined) throw new HttpError(404, 'no trace yet: no request has run traced (a function pinned to containers is never traced)');
      if ('error' in trace) throw new HttpError(503, `the trace tree could not be built now: ${trace.error}`);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return void res.end(trace.json);
    }
    case 'compiled': {
      if (method !== 'GET') throw notAllowed(method, 'GET');
      const code = v.accel.compiledCode();
      if (code === undefined) throw new HttpError(404, 'no compiled code for this version yet');
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void res.end(code);
    }
    case 'compile': {
      if (method !== 'POST') throw notAllowed(method, 'POST');
      const result = await v.compileNow();
      if (!result.ok) throw new HttpError(422, `cannot compile: ${result.error}`);
      const { ok: _ok, ...compiled } = result;
      return sendJson(res, 200, { compiled: true, ...compiled });
    }
    default:
      throw new HttpError(404, `no such endpoint: ${url.pathname}`);
  }
}

async function putFunction(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  const folder = isFolderUpload(req) ? await folderSource(req, ctx.maxSourceBytes) : undefined;
  const text = folder ? '' : await readBody(req, ctx.maxSourceBytes);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let source: unknown;
  let config: unknown;
  if (folder) {
    ({ source, config } = folder);
  } else if (type === 'application/javascript' || type === 'text/javascript') {
    source = text;
  } else {
    const body = parseJson(text, DEPLOY_BODY);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, `body must be ${DEPLOY_BODY}`);
    source = (body as Record<string, unknown>).source;
    config = (body as Record<string, unknown>).config;
  }
  if (typeof source !== 'string') throw new HttpError(400, `source must be a string: body must be ${DEPLOY_BODY}`);
  // SQLite stores text as UTF-8: a lone surrogate would come back from the store as U+FFFD, a
  // different source (and trace hash) after a restart than the one that was checked and served.
  if (!(source as string & { isWellFormed(): boolean }).isWellFormed()) throw new HttpError(400, 'source is not valid Unicode text (it has a lone surrogate)');
  // Without a config, a replacement keeps the current one (so a code-only redeploy keeps its limits);
  // the dispatcher reads it when this deploy applies, after any deploy of the same name before it.
  try {
    const { version, created, unchanged } = await ctx.dispatcher.deploy(name, source, config);
    sendJson(res, created ? 201 : 200, { ...describe(version, ctx), unchanged });
  } catch (err) {
    if (err instanceof SourceError) throw new HttpError(400, err.message, { line: err.line, column: err.column });
    if (err instanceof ConfigError) throw new HttpError(400, err.message);
    if (err instanceof SourceUnavailableError) throw new HttpError(503, `deploy not done, try again: ${err.message}`);
    throw err;
  }
}

/** `PATCH /api/functions/NAME {"config": {…}}`: a config change without a new code version (docs/api.md "Versions"). */
async function patchFunction(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  need(ctx, name);
  const body = parseJson(await readBody(req, SMALL_BODY_BYTES), PATCH_BODY);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, `body must be ${PATCH_BODY}`);
  const extra = Object.keys(body).filter((k) => k !== 'config');
  if (extra.length > 0) throw new HttpError(400, `PATCH changes the config only (unexpected ${JSON.stringify(extra[0])}); deploy a new source with PUT`);
  const config = (body as Record<string, unknown>).config;
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new HttpError(400, `config must be an object: body must be ${PATCH_BODY}`);
  try {
    const { version, unchanged } = await ctx.dispatcher.patchConfig(name, config);
    sendJson(res, 200, { ...describe(version, ctx), unchanged });
  } catch (err) {
    throw changeError(err);
  }
}

/** `PUT /api/functions/NAME/version {"version": N}`: makes a stored version current again. */
async function rollback(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  const body = parseJson(await readBody(req, SMALL_BODY_BYTES), VERSION_BODY) as { version?: unknown } | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, `body must be ${VERSION_BODY}`);
  const n = body.version;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw new HttpError(400, `version must be a positive integer: body must be ${VERSION_BODY}`);
  try {
    const { version, unchanged } = await ctx.dispatcher.rollback(name, n);
    sendJson(res, 200, { ...describe(version, ctx), unchanged });
  } catch (err) {
    throw changeError(err);
  }
}

/** The errors of a change to a stored function (PATCH, rollback) as HTTP errors. */
function changeError(err: unknown): unknown {
  if (err instanceof FunctionNotFoundError || err instanceof VersionNotFoundError) return new HttpError(404, err.message);
  if (err instanceof ConfigError) return new HttpError(400, err.message);
  if (err instanceof SourceError) return new HttpError(400, err.message, { line: err.line, column: err.column });
  if (err instanceof SourceUnavailableError) return new HttpError(503, `change not done, try again: ${err.message}`);
  return err;
}

function versionEntry(e: VersionInfo) {
  return {
    version: e.version,
    created_at: new Date(e.createdAt).toISOString(),
    current: e.current,
    source_bytes: e.sourceBytes,
    config: publicConfig(e.config),
    trace: e.hasTrace,
    compiled: e.hasCompiled,
  };
}

const SMALL_BODY_BYTES = 256 * 1024;
const PATCH_BODY = 'JSON {"config": {…}} (given keys replace the stored ones, null removes one)';
const VERSION_BODY = 'JSON {"version": N}';

const DEPLOY_BODY = 'JSON {"source": "…", "config": {…}} (Content-Type: application/json), or the raw source with Content-Type: application/javascript';

function parseJson(text: string, expected = 'JSON'): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `body is not valid JSON (${(err as Error).message}): expected ${expected}`);
  }
}

function need(ctx: ApiContext, name: string): FunctionVersion {
  const e = ctx.dispatcher.get(name);
  if (!e) throw noSuch(name);
  return e;
}

const noSuch = (name: string) => new HttpError(404, `no such function: ${name}`);
const notAllowed = (method: string, allowed: string) => new HttpError(405, `method ${method} not allowed here (allowed: ${allowed})`, { allowed });

function modeOf(v: FunctionVersion) {
  const m = v.state.mode;
  return { mode: v.nextMode(), pin: m.pin, reason: m.reason, since: new Date(m.since).toISOString() };
}

function summary(e: FunctionVersion, d: Dispatcher) {
  const serve = e.serving();
  return {
    name: e.record.name,
    version: e.record.version,
    // The mode the next request takes first (CONTRACT §3).
    mode: e.nextMode(),
    // The mode that really answers, and why (docs/api.md).
    serving: serve.mode,
    serving_reason: serve.reason,
    pin: e.record.modePin,
    style: e.facts?.style ?? null,
    sandbox: d.driverName,
    updated_at: new Date(e.record.updatedAt).toISOString(),
  };
}

function describe(e: FunctionVersion, ctx: ApiContext) {
  return {
    ...summary(e, ctx.dispatcher),
    mode_reason: e.state.mode.reason,
    created_at: new Date(e.record.createdAt).toISOString(),
    // Secrets by name only (docs/api.md "Secrets").
    config: publicConfig(e.config as unknown as Record<string, unknown>),
    stats: ctx.dispatcher.stats(e.record.name),
    ...e.describe(),
    source_bytes: Buffer.byteLength(e.record.source),
  };
}
