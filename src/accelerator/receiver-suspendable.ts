/**
 * Async functions and generators that see their receiver (docs/compiled-code.md, "Receivers"): an
 * async method using `this`, a generator method, `arguments` in an async function. The compiler
 * writes `rt.afnt(name, length, flags, function* ($t, $nt, $args, …params) {…})` (and `rt.gfnt` for
 * generators): rt.fnt's calling convention (classes.ts: the receiver, new.target and the argument
 * list come first) around rt.afn's or rt.gfn's body (async.ts, generators.ts). The native generator
 * function is only ever this argument, as for rt.afn. A named expression that refers to itself is
 * `rt.afntrec(name, length, flags, function (self) { return function* (…) {…}; })` (rt.fntrec's shape).
 */
import { startAsync } from './async.ts';
import { makeFnt } from './classes.ts';
import { startGenerator } from './generators.ts';
import { startAsyncGenerator } from './async-generators.ts';
import type { Runtime } from './runtime.ts';
import { type Closure, markFunctionKind } from './values.ts';

type Body = (...args: unknown[]) => Generator<unknown, unknown, unknown>;

/** An async function with a receiver: each call starts the body with (this, new.target, arguments, …args). */
export function asyncReceiverFunction(rt: Runtime, name: string, length: number, flags: number, body: Body): Closure {
  return markFunctionKind(makeFnt(rt, name, length, flags, () => (...args: unknown[]) => startAsync(rt, body, args)), 'AsyncFunction');
}

/** A generator function with a receiver: each call makes a generator object over (this, new.target, arguments, …args). */
export function generatorReceiverFunction(rt: Runtime, name: string, length: number, flags: number, body: Body): Closure {
  return markFunctionKind(makeFnt(rt, name, length, flags, () => (...args: unknown[]) => startGenerator(rt, body, args)), 'GeneratorFunction');
}

type Maker = (self: Closure) => Body;

/** rt.afnt for a named async function expression that refers to itself: `maker` binds its name. */
export function asyncReceiverSelfFunction(rt: Runtime, name: string, length: number, flags: number, maker: Maker): Closure {
  return markFunctionKind(makeFnt(rt, name, length, flags, (self) => {
    const body = maker(self);
    return (...args: unknown[]) => startAsync(rt, body, args);
  }), 'AsyncFunction');
}

/** rt.gfnt for a named generator expression that refers to itself. */
export function generatorReceiverSelfFunction(rt: Runtime, name: string, length: number, flags: number, maker: Maker): Closure {
  return markFunctionKind(makeFnt(rt, name, length, flags, (self) => {
    const body = maker(self);
    return (...args: unknown[]) => startGenerator(rt, body, args);
  }), 'GeneratorFunction');
}

/** rt.agfnt: an async generator function with a receiver (async-generators.ts). */
export function asyncGeneratorReceiverFunction(rt: Runtime, name: string, length: number, flags: number, body: Body): Closure {
  return markFunctionKind(makeFnt(rt, name, length, flags, () => (...args: unknown[]) => startAsyncGenerator(rt, body, args)), 'AsyncGeneratorFunction');
}

/** rt.agfntrec: a named async generator expression that refers to itself. */
export function asyncGeneratorReceiverSelfFunction(rt: Runtime, name: string, length: number, flags: number, maker: Maker): Closure {
  return markFunctionKind(makeFnt(rt, name, length, flags, (self) => {
    const body = maker(self);
    return (...args: unknown[]) => startAsyncGenerator(rt, body, args);
  }), 'AsyncGeneratorFunction');
}
