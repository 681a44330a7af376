import { TRACE_FORMAT, TRACE_VERSION, type Path, type TraceNode, type TraceTree } from './types.ts';

/** A serialised trace tree that does not match docs/trace-schema.json (format, version or shape). */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function checkLoc(v: unknown, where: string): void {
  if (!isObject(v) || !isCount(v.line) || !isCount(v.column)) throw new TraceFormatError(`${where}: loc must be { line, column }`);
}

/** The schema's node rules, checked by hand (keeps the IR free of a JSON-schema dependency). */
function checkNode(v: unknown, where: string): void {
  if (!isObject(v) || typeof v.type !== 'string' || v.type === '') throw new TraceFormatError(`${where}: not a node`);
  if (v.type === 'Unknown' || v.type === 'Unsupported') {
    if (!isCount(v.arm)) throw new TraceFormatError(`${where}: ${v.type} needs an arm`);
    checkLoc(v.loc, where);
    if (v.type === 'Unsupported' && (typeof v.what !== 'string' || !isCount(v.hits))) throw new TraceFormatError(`${where}: Unsupported needs what and hits`);
    return;
  }
  if (v.loc !== undefined) checkLoc(v.loc, where);
  if ((v.arm !== undefined || v.hits !== undefined) && !(isCount(v.arm) && isCount(v.hits))) throw new TraceFormatError(`${where}: arm and hits go together`);
  if (v.fnId !== undefined && (typeof v.fnId !== 'string' || !/^\d+:\d+$/.test(v.fnId) || typeof v.name !== 'string')) throw new TraceFormatError(`${where}: bad fnId/name`);
  for (const [key, child] of Object.entries(v)) {
    if (key === 'loc' || key === 'extra') continue;
    // Objects without a `type` are plain data (e.g. a TemplateElement's { raw, cooked }).
    if (Array.isArray(child)) child.forEach((c, i) => { if (isObject(c) && 'type' in c) checkNode(c, `${where}.${key}[${i}]`); });
    else if (isObject(child) && 'type' in child) checkNode(child, `${where}.${key}`);
  }
}

/** Checks a parsed value against docs/trace-schema.json and returns it typed. */
export function validateTree(value: unknown): TraceTree {
  if (!isObject(value)) throw new TraceFormatError('a trace tree is a JSON object');
  if (value.format !== TRACE_FORMAT) throw new TraceFormatError(`format must be "${TRACE_FORMAT}"`);
  if (value.version !== TRACE_VERSION) throw new TraceFormatError(`unsupported trace format version ${String(value.version)} (this build reads version ${TRACE_VERSION})`);
  if (typeof value.source_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.source_sha256)) throw new TraceFormatError('source_sha256 must be 64 hex digits');
  if (!isCount(value.paths)) throw new TraceFormatError('paths must be a count');
  if (!isObject(value.counts)) throw new TraceFormatError('counts must be an object');
  for (const [k, n] of Object.entries(value.counts)) {
    if (!/^(0|[1-9]\d*)$/.test(k) || !isCount(n)) throw new TraceFormatError(`counts["${k}"] must map an arm id to a count`);
  }
  checkNode(value.program, 'program');
  if ((value.program as TraceNode).type !== 'Program') throw new TraceFormatError('program must be a Program node');
  return value as unknown as TraceTree;
}

export function treeToJSON(tree: TraceTree): string {
  return JSON.stringify(validateTree(tree));
}

/** Parses (when given text) and validates a serialised tree; throws TraceFormatError. */
export function treeFromJSON(json: string | unknown): TraceTree {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new TraceFormatError(`not JSON: ${(err as Error).message}`);
    }
  }
  return validateTree(value);
}

/** Checks a path as it arrives on the wire (`{ "arms": [...] }`, sorted, unique, non-negative). */
export function pathFromJSON(value: unknown): Path {
  const v = typeof value === 'string' ? (() => { try { return JSON.parse(value) as unknown; } catch { throw new TraceFormatError('path is not JSON'); } })() : value;
  if (!isObject(v) || !Array.isArray(v.arms)) throw new TraceFormatError('a path is { "arms": number[] }');
  let previous = -1;
  for (const arm of v.arms) {
    if (!isCount(arm) || arm <= previous) throw new TraceFormatError('path arms must be sorted, unique, non-negative integers');
    previous = arm;
  }
  return { arms: [...(v.arms as number[])] };
}
