// `require('path')` (and `node:path`, `path/posix`): the POSIX path functions that depend on their
// string arguments only, run by the host's own path.posix on copies of them, so every answer is Node's
// on Linux (the containers' platform). resolve, relative and toNamespacedPath read the process's
// working directory, which is the container's, not the dispatcher's: they abort, as does win32.
import { posix } from 'node:path';
import type { Host } from './host.ts';
import { charUnits } from './costs.ts';
import { BuiltinFunction, Namespace, unsupported } from './values.ts';
import { hostOp, madeString } from './web-value.ts';

/** The string arguments a path function takes; anything else reaches Node's own TypeError through the host. */
function strings(h: Host, what: string, args: unknown[]): string[] {
  let n = 0;
  for (const a of args) {
    if (typeof a !== 'string') return unsupported(h, what, `an argument that is a ${a === null ? 'null' : typeof a}`);
    n += a.length;
  }
  h.tick(charUnits(n));
  return args as string[];
}

const pathFn = (name: 'join' | 'normalize' | 'basename' | 'dirname' | 'extname' | 'isAbsolute', length: number) => new BuiltinFunction({
  name, length, path: `path.${name}`,
  impl(h, _t, args) {
    const xs = strings(h, `path.${name}`, args);
    const r = hostOp(h, `path.${name}`, () => (posix[name] as (...a: string[]) => string | boolean)(...xs));
    return typeof r === 'string' ? madeString(h, r) : r;
  },
});

const parse = new BuiltinFunction({
  name: 'parse', length: 1, path: 'path.parse',
  impl(h, _t, args) {
    const p = args[0];
    if (typeof p !== 'string') return unsupported(h, 'path.parse', `an argument that is a ${p === null ? 'null' : typeof p}`);
    h.tick(charUnits(p.length));
    return h.fromHost({ ...posix.parse(p) });
  },
});

const statics = {
  join: pathFn('join', 0), normalize: pathFn('normalize', 1), basename: pathFn('basename', 2), dirname: pathFn('dirname', 1),
  extname: pathFn('extname', 1), isAbsolute: pathFn('isAbsolute', 1), parse, sep: '/', delimiter: ':',
};

/** `path.posix` (the same object in Node on Linux) and `path.win32` abort by name, as every member not listed. */
export const PathModule = new Namespace('path', statics, posix);
