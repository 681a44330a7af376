// Functions defined under computed keys of object literals are named as Node names them: by the
// key's value (numbers as strings, symbols as [description]), or as the source spells it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abortedWith } from './helpers.ts';
import { accelerated, program, sameAsNode } from './async-helpers.ts';

test("Node's names: methods, functions and arrows under computed keys", async () => {
  await sameAsNode(program(`
  const k = 'dyn' + req.path.length, n = 7, s = Symbol.iterator;
  const o = { [k]() { return this === o; }, [n]: () => 1, [s]: function () {}, ['lit']: function () {}, [k + 2]: (function () {}),
    [1.5]: async () => 1, *[k + 3]() { yield 1; }, [\`t\`]: () => 1, [k + 4]: function named() {}, [true]: () => 0, [null]: function () {},
    plain: () => 2, [k + 5]: 1 };
  const names = Object.keys(o).filter((x) => typeof o[x] === 'function').map((x) => x + '=' + o[x].name);
  c.respond({ names, sym: o[s].name, method: o[k](), gen: [...o[k + 3]()] });`));
});

// A getter's own name is seen only through Object.getOwnPropertyDescriptor, which aborts.
test("Node's names: class methods, accessors, static, async and generator methods, fields' functions under computed keys", async () => {
  await sameAsNode(program(`
  const k = 'm' + req.path.length, s = Symbol.iterator;
  class A {
    [k]() { return 1; }
    get [k + 'g']() { return 2; }
    set [k + 'g'](v) {}
    static [k + 's']() {}
    async [k + 'a']() {}
    *[s]() { yield 1; }
    [\`t\`]() {}
    [7]() {}
    ''() {}
    [k + 'f'] = () => 1;
    [k + 'h'] = function () {};
    static [k + 'st'] = async function () {};
    [k + 'n'] = function own() {};
  }
  const p = A.prototype;
  c.respond([p[k].name, new A()[k + 'g'], A[k + 's'].name, p[k + 'a'].name, p[s].name, p.t.name, p[7].name, p[''].name, [...new A()], new A()[k + 'f'].name, new A()[k + 'h'].name, A[k + 'st'].name, new A()[k + 'n'].name]);`));
});

test('a class under a computed key (in an object literal or a field), and an object key, abort', async () => {
  for (const body of [
    "const k = 'a' + req.path; const o = { [k]: class {} }; c.respond(o[k].name);",
    "const k = { toString() { return 'x'; } }; const o = { [k]: () => 1 }; c.respond(o.x.name);",
    "const k = 'f' + req.path; class A { [k] = class {}; } c.respond(new A()[k].name);",
  ]) {
    const r = await accelerated(program(body));
    assert.ok(abortedWith(r, 'unsupported:value', 'computed-function-name') || abortedWith(r, 'unsupported:syntax', 'computed-function-name'), `${body}: ${JSON.stringify(r)}`);
  }
});
