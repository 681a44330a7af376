/**
 * The hottest `rt` operations, defined inside the compiled program's vm context. V8 does not inline a
 * function of another context into compiled code, so fast paths that live in the host cost a real
 * call each; these copies live in the same context and inline. Each is a small fast path of the
 * host operation of the same name (src/accelerator/runtime.ts) and falls back to that host
 * operation for everything else, so the semantics are the host's.
 *
 * The object made here is the prototype of every `rt` of one program (made once, in loadCompiled):
 * it inherits every other operation from Runtime.prototype, and each instance's `rt` is a Runtime
 * constructed with it as prototype (load.ts), holding the per-request state (fuel, memory, depth,
 * current request) as its own fields, which these operations and the host's see through `this`. So
 * the instances of a program share these functions and one object shape: code compiled for one
 * instance stays monomorphic in the next (an instance is replaced after an abort or when worn).
 * Trusted loader code, not function code: it is not validated, so keep it this small and read it whole.
 */
import {
  ARRAY_HEADER, CALLBACK_UNITS, CHARS_PER_UNIT, CLOSURE, COMPARE_UNITS, CONS_NODE, COPY_UNITS, ELEMENT, FAST_CHARS_PER_UNIT, LARGE_STRING, LITERAL_PROPERTY, OBJECT_HEADER, STRING_HEADER,
} from './builtins/costs.ts';

// Charges (builtins/costs.ts) are written into the source as numbers.
const FAST_SHIFT = Math.log2(FAST_CHARS_PER_UNIT);
const CHARS_SHIFT = Math.log2(CHARS_PER_UNIT);
if (!Number.isInteger(FAST_SHIFT) || !Number.isInteger(CHARS_SHIFT)) throw new Error('fast-ops: the characters per unit must be powers of two');

export const FAST_OPS_SOURCE = `(function (host, hostObjectProto, vmObjectProto, Closure, initClosure, sloppySet, objectFn) {
  'use strict';
  const isArray = Array.isArray;
  const getProto = Object.getPrototypeOf;
  // host: Runtime.prototype; rt: the prototype of the program's runtimes.
  const rt = Object.create(host);
  // Slow paths: the host operation of the same name (looked up once).
  const host_add = host.add;
  const host_aiter = host.aiter;
  const host_aopen = host.aopen;
  const host_astep = host.astep;
  const host_aend = host.aend;
  const host_apat = host.apat;
  const host_alloc = host.alloc;
  const host_c0 = host.c0;
  const host_c1 = host.c1;
  const host_c2 = host.c2;
  const host_c3 = host.c3;
  const host_dec = host.dec;
  const host_div = host.div;
  const host_eq = host.eq;
  const host_ge = host.ge;
  const host_gt = host.gt;
  const host_inc = host.inc;
  const host_iter = host.iter;
  const host_le = host.le;
  const host_lt = host.lt;
  const host_m0 = host.m0;
  const host_m1 = host.m1;
  const host_m2 = host.m2;
  const host_m3 = host.m3;
  const host_mod = host.mod;
  const host_mul = host.mul;
  const host_num = host.num;
  const host_sub = host.sub;
  // A charge that went below zero: the host aborts (memory). Out of line, so inlined charges stay short.
  function oom(rt) { host_alloc.call(rt, 0); }
  // tick() on loop back edges; tick(n) for library work of n units.
  rt.tick = function (n) { if ((this.fuel -= n === undefined ? 1 : n) < 0) this.outOfFuel(); };
  rt.alloc = function (n) { if ((this.mem -= n) < 0) oom(this); };
  // get and put are the most frequent operations: their inlined part is kept tiny (V8 inlines only so
  // many bytes into one function); plain objects and everything else go through small helpers.
  const hostGet = host.get;
  const hostPut = host.put;
  function getObject(rt, o, k) {
    if (typeof o === 'object' && o !== null && typeof k === 'string' && !isArray(o)) {
      const p = getProto(o);
      if (p === vmObjectProto || p === hostObjectProto) {
        const v = o[k];
        if (typeof v !== 'function' && k !== '__proto__') return v;
      }
    }
    if (k === 'length' && isArray(o)) return o.length;
    return hostGet.call(rt, o, k);
  }
  rt.po = function (o) {
    if (typeof o !== 'object' || o === null) return false;
    const p = getProto(o);
    return p === vmObjectProto || p === hostObjectProto;
  };
  // The guard of native keyed reads: an own property of a plain object. Own, not merely "no name of
  // Object.prototype": the key is data, and this way no name added to a prototype is ever read.
  const hasOwnProp = Object.prototype.hasOwnProperty;
  rt.pk = function (o, k) {
    if (typeof k !== 'string' || typeof o !== 'object' || o === null || k === '__proto__') return false;
    const p = getProto(o);
    return (p === vmObjectProto || p === hostObjectProto) && hasOwnProp.call(o, k);
  };
  // The guard of native length reads. Element reads use a typeof guard (src/compiler/plain-read.ts says why).
  rt.ia = isArray;
  rt.get = function (o, k) {
    if (typeof k === 'number' && typeof o === 'object' && o !== null) return o[k];
    return getObject(this, o, k);
  };
  function putObject(rt, o, k, v) {
    if (typeof o === 'object' && o !== null && typeof k === 'string' && k !== '__proto__' && !isArray(o)) {
      const p = getProto(o);
      if ((p === vmObjectProto || p === hostObjectProto) && o[k] !== undefined) { sloppySet(o, k, v); return v; }
    }
    return hostPut.call(rt, o, k, v);
  }
  // sloppySet: put is the write of sloppy code, where a write to a frozen value is ignored.
  rt.put = function (o, k, v) {
    if (typeof k === 'number' && isArray(o) && (k | 0) === k && k >= 0 && k < o.length) { sloppySet(o, k, v); return v; }
    return putObject(this, o, k, v);
  };
  // Strings are charged as host add charges them: by the result's full length (a rope that native
  // operations may flatten, once).
  function addSlow(rt, a, b) {
    if (typeof a === 'string' && typeof b === 'string') {
      const n = a.length + b.length;
      if ((rt.mem -= ${CONS_NODE + STRING_HEADER} + n * rt.charBytes) < 0) oom(rt);
      if (n >= ${LARGE_STRING} && (rt.fuel -= 1 + (n >> ${CHARS_SHIFT})) < 0) rt.outOfFuel();
      return a + b;
    }
    return host_add.call(rt, a, b);
  }
  rt.add = function (a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    return addSlow(this, a, b);
  };
  const host_recv = host.recv;
  rt.recv = function (o, k) { return o === undefined || o === null ? host_recv.call(this, o, k) : o; };
  rt.sub = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a - b : host_sub.call(this, a, b); };
  rt.mul = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a * b : host_mul.call(this, a, b); };
  rt.div = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a / b : host_div.call(this, a, b); };
  rt.mod = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a % b : host_mod.call(this, a, b); };
  // String comparisons are memcmp-like over the common length: a unit per ${FAST_CHARS_PER_UNIT} characters (0 for
  // short strings), as the host charges them.
  function cmpCost(rt, a, b) {
    if ((rt.fuel -= (a.length < b.length ? a.length : b.length) >> ${FAST_SHIFT}) < 0) rt.outOfFuel();
  }
  rt.lt = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a < b : typeof a === 'string' && typeof b === 'string' ? (cmpCost(this, a, b), a < b) : host_lt.call(this, a, b); };
  rt.gt = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a > b : typeof a === 'string' && typeof b === 'string' ? (cmpCost(this, a, b), a > b) : host_gt.call(this, a, b); };
  rt.le = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a <= b : typeof a === 'string' && typeof b === 'string' ? (cmpCost(this, a, b), a <= b) : host_le.call(this, a, b); };
  rt.ge = function (a, b) { return typeof a === 'number' && typeof b === 'number' ? a >= b : typeof a === 'string' && typeof b === 'string' ? (cmpCost(this, a, b), a >= b) : host_ge.call(this, a, b); };
  rt.eq = function (a, b) {
    if (typeof a !== typeof b) return host_eq.call(this, a, b);
    if (typeof a === 'string' && a.length === b.length) cmpCost(this, a, b);
    return a === b;
  };
  // a === b where a is a string (compiled code compares everything else natively): equal lengths
  // are compared character by character.
  rt.seq = function (a, b) {
    if (typeof b === 'string' && a.length === b.length) cmpCost(this, a, b);
    return a === b;
  };
  rt.inc = function (a) { return typeof a === 'number' ? a + 1 : host_inc.call(this, a); };
  rt.dec = function (a) { return typeof a === 'number' ? a - 1 : host_dec.call(this, a); };
  rt.num = function (a) { return typeof a === 'number' ? a : host_num.call(this, a); };
  rt.depth = function () { return this.depthNow; };
  rt.arr = function (a) { if ((this.mem -= ${ARRAY_HEADER} + ${ELEMENT} * a.length) < 0) oom(this); return a; };
  rt.obj = function (o, keys) { if ((this.mem -= ${OBJECT_HEADER} + ${LITERAL_PROPERTY} * (keys === undefined ? 8 : keys)) < 0) oom(this); return o; };
  rt.iter = function (v, text) { return isArray(v) ? v : host_iter.call(this, v, text); };
  rt.aiter = function (v, text, whole) { return isArray(v) ? v : host_aiter.call(this, v, text, whole); };
  // A stepping array pattern over an array (the common case): its elements by index, as rt.get reads
  // a number key of an array (no accessor anywhere on its prototypes; plain-read.ts), nothing to close.
  rt.aopen = function (v, text) { return isArray(v) ? v : host_aopen.call(this, v, text); };
  rt.astep = function (t, i) { return isArray(t) ? t[i] : host_astep.call(this, t, i); };
  rt.aend = function (t) { if (!isArray(t)) host_aend.call(this, t); };
  // The same inside a larger expression: the arrow the compiled code made for this call, run at once.
  rt.apat = function (v, text, f) { if (isArray(v)) { if ((this.fuel -= 1) < 0) this.outOfFuel(); if ((this.mem -= ${CLOSURE}) < 0) oom(this); f(v); } else host_apat.call(this, v, text, f); };
  // Calls: the native function of each Closure made here is kept under a symbol only this code holds
  // (non-enumerable, so no copy or key listing sees it; compiled code has no way to name it), so a call
  // of it is one monomorphic property load, no host round trip and no WeakMap lookup. Closures made
  // elsewhere (none today) take the host path.
  const NATIVE = Symbol('native');
  const defineProperty = Object.defineProperty;
  const nativeOf = (f) => (typeof f === 'object' && f !== null ? f[NATIVE] : undefined);
  rt.fn = function (name, length, f) {
    if ((this.mem -= ${CLOSURE}) < 0) oom(this);
    const c = new Closure(name, length, f);
    defineProperty(c, NATIVE, { value: f });
    return c;
  };
  rt.fnrec = function (name, length, maker) {
    if ((this.mem -= ${CLOSURE}) < 0) oom(this);
    const c = new Closure(name, length, null);
    const f = maker(c);
    initClosure(c, f);
    defineProperty(c, NATIVE, { value: f });
    return c;
  };
  function enter(rt) {
    if (--rt.fuel < 0) rt.outOfFuel();
    if (++rt.depthNow > rt.maxDepth) rt.abort('stack', 'more than ' + rt.maxDepth + ' nested calls');
  }
  rt.c0 = function (f, text) {
    const nf = nativeOf(f);
    if (nf === undefined) return host_c0.call(this, f, text);
    enter(this); const r = nf(); this.depthNow--; return r;
  };
  rt.c1 = function (f, text, a) {
    const nf = nativeOf(f);
    if (nf === undefined) return host_c1.call(this, f, text, a);
    enter(this); const r = nf(a); this.depthNow--; return r;
  };
  rt.c2 = function (f, text, a, b) {
    const nf = nativeOf(f);
    if (nf === undefined) return host_c2.call(this, f, text, a, b);
    enter(this); const r = nf(a, b); this.depthNow--; return r;
  };
  rt.c3 = function (f, text, a, b, c) {
    const nf = nativeOf(f);
    if (nf === undefined) return host_c3.call(this, f, text, a, b, c);
    enter(this); const r = nf(a, b, c); this.depthNow--; return r;
  };
  // Host.call, used by the builtins library for callbacks (map, filter, sort, …) and for handlers.
  const host_call = host.call;
  rt.call = function (f, thisArg, args) {
    const nf = nativeOf(f);
    if (nf === undefined) return host_call.call(this, f, thisArg, args);
    enter(this);
    let r;
    switch (args.length) {
      case 0: r = nf(); break;
      case 1: r = nf(args[0]); break;
      case 2: r = nf(args[0], args[1]); break;
      case 3: r = nf(args[0], args[1], args[2]); break;
      default: r = nf(...args);
    }
    this.depthNow--;
    return r;
  };
  /** The native function of a closure held as an own property of a plain object (obj.f()), else undefined. */
  function ownNative(o, k) {
    if (typeof o !== 'object' || o === null || typeof k !== 'string' || isArray(o)) return undefined;
    const p = getProto(o);
    if (p !== vmObjectProto && p !== hostObjectProto) return undefined;
    const f = o[k];
    return nativeOf(f);
  }
  rt.m0 = function (o, k, text) {
    const nf = ownNative(o, k);
    if (nf === undefined) return host_m0.call(this, o, k, text);
    enter(this); const r = nf(); this.depthNow--; return r;
  };
  // Globals other than console, process, module and exports are the builtins library's fixed
  // values (getGlobal): looked up once per program. Those four are per instance (never cached: one
  // instance's exports must not be another's); the host decides them.
  const host_global = host.global;
  const globals = new Map();
  function globalFirst(rt, name, certain) {
    const r = host_global.call(rt, name, certain);
    if (name !== 'console' && name !== 'process' && name !== 'module' && name !== 'exports' && typeof r === 'object' && r !== null) globals.set(name, r);
    return r;
  }
  rt.global = function (name, certain) {
    const v = globals.get(name);
    return v !== undefined ? v : globalFirst(this, name, certain);
  };
  // Object.keys of a plain object, charged as the builtins library charges it (a method call, a
  // builtin call, one unit per key; an array of them).
  if (typeof objectFn !== 'object' || objectFn === null) throw new Error('fast-ops: no Object builtin');
  const vmKeys = Object.keys;
  function keysOf(rt, a) {
    const ks = vmKeys(a);
    if ((rt.fuel -= 3 + ks.length) < 0) rt.outOfFuel();
    if ((rt.mem -= ${ARRAY_HEADER} + ${ELEMENT} * ks.length) < 0) oom(rt);
    return ks;
  }
  // Object.keys(a), where the compiler knows Object is the global builtin (src/compiler/builtin-call.ts).
  const host_okeys = host.okeys;
  rt.okeys = function (a) {
    if (typeof a === 'object' && a !== null) {
      const p = getProto(a);
      if (p === vmObjectProto || p === hostObjectProto) return keysOf(this, a);
    }
    return host_okeys.call(this, a);
  };
  // push inline (the hottest method); everything else in a helper, so that inlining m1 costs little.
  // arr.sort(closure) with the context's own Array.prototype.sort: V8's algorithm, so the comparator
  // sees the calls, in the order, that Node makes (the builtins library reimplements that order for
  // everything else). The comparator runs as rt.call runs it; its result is a number before V8 sees it
  // (a non-number goes through the host's ToNumber, which refuses hooks). Charged as the library
  // charges sort: a method call, one unit per element, a copy of the elements, and per comparison
  // its units besides the comparator's call.
  const vmSort = Array.prototype.sort;
  const isExtensible = Object.isExtensible;
  // Every comparator call runs one call deeper than the sort: that depth is taken once for the whole
  // sort (a per-call enter and leave cost about a third of a sort's time), and where it would be over
  // the limit each call checks it, so the abort comes at the first comparison, as rt.call's.
  function sortWith(rt, o, nf) {
    if ((rt.fuel -= 2 + o.length) < 0) rt.outOfFuel();
    if ((rt.mem -= ${ARRAY_HEADER} + ${ELEMENT} * o.length) < 0) oom(rt);
    if (rt.depthNow >= rt.maxDepth) {
      return vmSort.call(o, function (x, y) {
        rt.fuel -= ${COMPARE_UNITS - 1};
        enter(rt);
        const r = nf(x, y);
        rt.depthNow--;
        return typeof r === 'number' ? r : rt.toNumber(r);
      });
    }
    rt.depthNow++;
    const sorted = vmSort.call(o, function (x, y) {
      if ((rt.fuel -= ${COMPARE_UNITS}) < 0) rt.outOfFuel();
      const r = nf(x, y);
      return typeof r === 'number' ? r : rt.toNumber(r);
    });
    rt.depthNow--;
    return sorted;
  }
  // arr.slice(start, end) with number arguments: the context's own slice (the host's, called on an array
  // of this context, takes V8's slow cross-realm path and makes a host array), charged as the library's
  // slice is after the host's method call: a unit for the call, then 1 + ${COPY_UNITS} per element copied and
  // the new array; start and end are relative indices as the library computes them (NaN is 0).
  const vmSlice = Array.prototype.slice;
  const trunc = Math.trunc;
  function relIndex(v, len) {
    const t = v !== v ? 0 : trunc(v);
    if (t < 0) return len + t > 0 ? len + t : 0;
    return t < len ? t : len;
  }
  function sliceOf(rt, o, a, b) {
    if (--rt.fuel < 0) rt.outOfFuel();
    const len = o.length;
    const start = relIndex(a, len);
    const end = relIndex(b, len);
    const n = end - start > 0 ? end - start : 0;
    if ((rt.fuel -= 1 + ${COPY_UNITS} * n) < 0) rt.outOfFuel();
    if ((rt.mem -= ${ARRAY_HEADER} + ${ELEMENT} * n) < 0) oom(rt);
    return vmSlice.call(o, start, end);
  }
  // arr.map(closure) with the context's own map (ArraySpeciesCreate of this context's Array: holes stay
  // holes), charged as the library's map is after the host's method call: a unit for the call, the new
  // array, then per element present ${CALLBACK_UNITS} units and the callback's call as rt.call makes it (its
  // fuel unit checks the units before it, as sortWith's does).
  const vmMap = Array.prototype.map;
  // The callback's depth is taken once for the whole map, as sortWith's comparator's is.
  function mapWith(rt, o, nf) {
    if (--rt.fuel < 0) rt.outOfFuel();
    if ((rt.mem -= ${ARRAY_HEADER} + ${ELEMENT} * o.length) < 0) oom(rt);
    if (rt.depthNow >= rt.maxDepth) {
      return vmMap.call(o, function (v, k, arr) {
        rt.fuel -= ${CALLBACK_UNITS};
        enter(rt);
        const r = nf(v, k, arr);
        rt.depthNow--;
        return r;
      });
    }
    rt.depthNow++;
    const mapped = vmMap.call(o, function (v, k, arr) {
      if ((rt.fuel -= ${CALLBACK_UNITS + 1}) < 0) rt.outOfFuel();
      return nf(v, k, arr);
    });
    rt.depthNow--;
    return mapped;
  }
  function m1Other(rt, o, k, text, a) {
    if (o === objectFn && k === 'keys' && rt.po(a)) return keysOf(rt, a);
    if (k === 'slice' && typeof a === 'number' && isArray(o)) return sliceOf(rt, o, a, o.length);
    if (k === 'map' && isArray(o)) {
      const nf = nativeOf(a);
      if (nf !== undefined) return mapWith(rt, o, nf);
    }
    if (k === 'sort' && isArray(o) && isExtensible(o)) {
      const nf = nativeOf(a);
      if (nf !== undefined) return sortWith(rt, o, nf);
    }
    const nf = ownNative(o, k);
    if (nf === undefined) return host_m1.call(rt, o, k, text, a);
    enter(rt); const r = nf(a); rt.depthNow--; return r;
  }
  function pushFailed(rt) {
    if (rt.fuel < 0) rt.outOfFuel();
    oom(rt);
  }
  rt.m1 = function (o, k, text, a) {
    if (k !== 'push' || !isArray(o)) return m1Other(this, o, k, text, a);
    if (--this.fuel < 0 || (this.mem -= ${ELEMENT}) < 0) pushFailed(this);
    return o.push(a);
  };
  function m2Other(rt, o, k, text, a, b) {
    if (k === 'slice' && typeof a === 'number' && typeof b === 'number' && isArray(o)) return sliceOf(rt, o, a, b);
    return host_m2.call(rt, o, k, text, a, b);
  }
  rt.m2 = function (o, k, text, a, b) {
    const nf = ownNative(o, k);
    if (nf === undefined) return m2Other(this, o, k, text, a, b);
    enter(this); const r = nf(a, b); this.depthNow--; return r;
  };
  rt.m3 = function (o, k, text, a, b, c) {
    const nf = ownNative(o, k);
    if (nf === undefined) return host_m3.call(this, o, k, text, a, b, c);
    enter(this); const r = nf(a, b, c); this.depthNow--; return r;
  };
  return rt;
})`;
