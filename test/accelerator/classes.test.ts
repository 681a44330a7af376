// Differential tests of `this`, `arguments`, `new.target`, constructor functions and classes: each
// program runs in Node and accelerated (compiled from its whole source) and must answer the same,
// or abort where the runtime says it cannot reproduce Node exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFunction } from '../../src/api/index.ts';
import { accelerate, both, raw, recordingIO } from './helpers.ts';

const wrap = (body: string, strict = true): string => `${strict ? "'use strict';\n" : ''}const c = require('containerless');
${body}
c.listen(function (req) {
  let out;
  try { out = main(req); } catch (e) { out = { threw: String(e && e.name), message: String(e && e.message) }; }
  c.respond(out);
});`;

/** Programs that must answer exactly as Node does. */
const SAME: Record<string, string> = {
  'constructor function with prototype methods': wrap(`
function Point(x, y) { this.x = x; this.y = y; }
Point.prototype.norm = function () { return this.x * this.x + this.y * this.y; };
Point.prototype.add = function (o) { return new Point(this.x + o.x, this.y + o.y); };
function main() { const p = new Point(1, 2).add(new Point(3, 4)); return [p.x, p.y, p.norm(), p instanceof Point, typeof Point, Point.name, Point.length]; }`),
  'JSON.stringify finds toJSON along the prototypes': wrap(`
class Money { constructor(c, v) { this.c = c; this.v = v; } toJSON(key) { return this.c + ' ' + this.v.toFixed(2) + (key ? ' @' + key : ''); } }
class Price extends Money { get label() { return 'p'; } }
class Cart { constructor() { this.lines = [new Price('EUR', 2), new Money('USD', 1.5)]; } get total() { return 3.5; } toJSON() { return { lines: this.lines, total: this.total }; } }
class Lazy { get toJSON() { return () => 'lazy'; } }
function main() { return [JSON.stringify(new Cart()), JSON.stringify({ m: new Money('X', 1) }), JSON.stringify([new Lazy()]), JSON.stringify(new Price('Y', 0.5), null, 2)]; }`),
  'Object.assign onto an instance runs its setters': wrap(`
class Order { constructor(init) { this.log = []; Object.assign(this, { qty: 1, sku: '?' }, init); } set qty(v) { this.log.push('qty=' + v); this._qty = Math.max(0, v); } get qty() { return this._qty; } }
class Rush extends Order { constructor(init) { super(init); Object.assign(this, { rush: true }); } }
function main(req) { const o = new Rush({ qty: -3, sku: 'a', note: undefined }); return [o.qty, o.sku, o.rush, o.log, Object.keys(o), 'note' in o, o instanceof Order]; }`),
  'prototype inheritance the old way': wrap(`
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' makes a sound'; };
function Dog(name) { Animal.call(this, name); this.kind = 'dog'; }
Dog.prototype = new Animal('proto');
Dog.prototype.bark = function () { return this.name + ' barks'; };
function main() { const d = new Dog('rex'); return [d.speak(), d.bark(), d instanceof Dog, d instanceof Animal, d.kind]; }`),
  'ES5 inheritance through Object.create': wrap(`
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' speaks'; };
function Cat(name) { Animal.call(this, name); }
Cat.prototype = Object.create(Animal.prototype);
Cat.prototype.constructor = Cat;
Cat.prototype.speak = function () { return Animal.prototype.speak.call(this) + ' (meow)'; };
function main() { const c = new Cat('tom'); return [c.speak(), c instanceof Cat, c instanceof Animal, c.constructor === Cat, Object.keys(c), Object.keys(Cat.prototype)]; }`),
  'constructor returning an object, new.target': wrap(`
function F() { if (!new.target) return 'plain'; this.a = 1; }
function G() { this.x = 1; return { y: 2 }; }
function H() { this.x = 1; return 5; }
function main() { return [F(), new F().a, new G().x, new G().y, new H().x]; }`),
  'this in methods, arrows and callbacks': wrap(`
const counter = { n: 0, inc() { this.n++; return this; }, all() { return [1, 2, 3].map((x) => x + this.n); } };
function main() { counter.inc().inc(); return [counter.n, counter.all()]; }`),
  'strict this of a plain call is undefined': wrap(`
function who() { return typeof this; }
function main() { return [who(), who.call(5), who.call({})]; }`),
  'arguments, strict and sloppy': wrap(`
function sum() { let s = 0; for (let i = 0; i < arguments.length; i++) s += arguments[i]; return s; }
function first(a) { return [arguments.length, arguments[0], arguments[5], a]; }
function viaArrow() { const f = () => arguments[1]; return f(); }
function main() { return [sum(1, 2, 3, 4), first(), first(9, 8), viaArrow('a', 'b')]; }`, false),
  'class basics: fields, methods, statics, accessors': wrap(`
class Account {
  balance = 0;
  static count = 0;
  static #secret = 'hidden';
  #history = [];
  constructor(owner) { this.owner = owner; Account.count++; }
  deposit(n) { this.#history.push(n); this.balance += n; return this; }
  get history() { return this.#history.slice(); }
  set limit(v) { this.max = v * 10; }
  static secret() { return Account.#secret.length; }
}
function main() {
  const a = new Account('ann').deposit(5).deposit(7);
  a.limit = 3;
  return [a.balance, a.history, a.max, a.owner, Account.count, Account.secret(), Object.keys(a), JSON.stringify(a)];
}`),
  'inheritance, super calls and super methods': wrap(`
class Shape { constructor(name) { this.name = name; } area() { return 0; } describe() { return this.name + ':' + this.area(); } static create(n) { return new this(n); } }
class Rect extends Shape { constructor(w, h) { super('rect'); this.w = w; this.h = h; } area() { return this.w * this.h; } }
class Square extends Rect { constructor(s) { super(s, s); } describe() { return 'square ' + super.describe(); } }
class Blob extends Shape { extra = 'e'; }
function main() {
  const s = new Square(3);
  const b = new Blob('blob');
  return [s.describe(), s instanceof Rect, s instanceof Shape, b.describe(), b.extra, Shape.create('x').name, Square.name];
}`),
  'private fields, private methods and #x in': wrap(`
class Token {
  #value;
  #check(v) { return typeof v === 'string' && v.length > 2; }
  constructor(v) { if (!this.#check(v)) throw new TypeError('bad token'); this.#value = v; }
  reveal() { return this.#value; }
  static is(o) { return #value in o; }
  static peek(o) { return o.#value; }
}
function main() {
  const t = new Token('abcd');
  const out = [t.reveal(), Token.is(t), Token.is({})];
  try { new Token('x'); } catch (e) { out.push(e.message); }
  try { Token.peek({}); } catch (e) { out.push(e.message); }
  return out;
}`),
  'class misuse errors': wrap(`
class A { m() { return 1; } }
class B extends A { constructor() { this.x = 1; super(); } }
class C extends A { constructor() { super(); super(); } }
class D extends A { constructor() { super(); return 3; } }
function main() {
  const out = [];
  for (const f of [() => A(), () => new B(), () => new C(), () => new D(), () => { const m = new A().m; return new m(); }, () => ({}) instanceof new A().m]) {
    try { out.push(f()); } catch (e) { out.push(e.name + ': ' + e.message); }
  }
  return out;
}`),
  'class declarations are block scoped with a TDZ': wrap(`
function main() {
  const out = [];
  try { out.push(typeof K); } catch (e) { out.push(e.message); }
  class K { static v = 1; }
  out.push(K.v);
  const Anon = class { who() { return 'anon'; } };
  out.push(new Anon().who(), Anon.name);
  return out;
}`),
  'static blocks, computed keys, getters on the class': wrap(`
const key = 'dyn';
class Registry {
  static items = [];
  static { Registry.items.push('init'); this.ready = true; }
  ['lit']() { return Registry.prototype.lit.name; }
  static get size() { return this.items.length; }
}
function main() { return [Registry.ready, Registry.size, new Registry().lit(), Registry.items, key]; }`),
  'instances in JSON-like responses through own fields': wrap(`
class User { constructor(name, age) { this.name = name; this.age = age; } toView() { return { name: this.name, adult: this.age >= 18 }; } }
function main(req) { const users = [new User('a', 20), new User('b', 3)]; return users.map((u) => u.toView()); }`),
  'for-in and spread of an instance see its own fields': wrap(`
class P { constructor() { this.a = 1; this.b = 2; } m() {} }
function main() { const p = new P(); const keys = []; for (const k in p) keys.push(k); return [keys, { ...p }]; }`),
  'methods called through call, apply and bind': wrap(`
class Greeter { constructor(g) { this.g = g; } greet(n) { return this.g + ' ' + n; } }
function main() { const a = new Greeter('hi'); const b = new Greeter('yo'); const f = a.greet.bind(b); return [a.greet.call(b, 'x'), a.greet.apply(a, ['y']), f('z')]; }`),
  'computed reads of getters and methods take the runtime path (native-read guards are false)': wrap(`
class T { #x = 7; constructor() { this.own = 1; } get double() { return this.#x * 2; } m() { return 'm'; } }
function main(req) {
  const t = new T();
  const keys = ['double', 'own', 'm', 'missing', '#x'];
  const out = keys.map((k) => (typeof t[k] === 'function' ? 'fn' : t[k]));
  const p = T.prototype;
  out.push(Object.keys(p), JSON.stringify(p), Object.keys(t), JSON.stringify(t), t.double, p.m === t.m);
  for (const k in t) out.push('in:' + k);
  return out;
}`),
  'object literal getters and setters': wrap(`
function makeTemp(c) {
  return {
    celsius: c,
    get fahrenheit() { return this.celsius * 9 / 5 + 32; },
    set fahrenheit(f) { this.celsius = (f - 32) * 5 / 9; },
    get label() { return this.celsius + 'C'; },
    describe() { return this.label + '/' + this.fahrenheit + 'F'; },
  };
}
function main() {
  const t = makeTemp(100);
  const before = t.describe();
  t.fahrenheit = 32;
  const k = 'label';
  const copy = { ...t };
  const keys = [];
  for (const key in t) keys.push(key);
  return [before, t.celsius, t[k], copy, keys, 'fahrenheit' in t];
}`),
  'tagged templates: one frozen strings array per site, raw strings, method tags': wrap(`
function tag(strings, ...values) { return { strings, raw: strings.raw, values }; }
const html = { esc(s) { return String(s).split('<').join('&lt;'); }, t(strings, ...vals) { return strings.reduce((out, s, i) => out + s + (i < vals.length ? this.esc(vals[i]) : ''), ''); } };
function main() {
  const seen = [];
  for (let i = 0; i < 3; i++) seen.push(tag\`a\${i}b\\n\${i * 2}\`);
  const notFn = 5;
  let err = null;
  try { notFn\`x\`; } catch (e) { err = e.message; }
  return [seen[0].strings === seen[2].strings, seen[1], Object.isFrozen(seen[0].strings), html.t\`<p>\${'<b>'}</p>\`, err, tag\`\\unicode\`.strings[0] === undefined];
}`),
  'evaluation order of fields, constructors and super': wrap(`
const log = [];
class A { a = log.push('a'); constructor() { log.push('ctor A'); } }
class B extends A { b = log.push('b'); constructor() { log.push('pre'); super(); log.push('post'); } }
class S { static x = 1; static y = S.x + 1; static z = this.y + 1; }
function main() { new B(); return [log, S.x, S.y, S.z]; }`),
  'private names are per class, classes may extend constructor functions': wrap(`
class A { #x = 1; static getX(o) { return o.#x; } }
class B extends A { #x = 2; static getBX(o) { return o.#x; } }
function Base() { this.kind = 'base'; }
Base.prototype.hello = function () { return 'hello ' + this.kind; };
class Derived extends Base { constructor() { super(); this.kind = 'derived'; } }
class H { constructor() { return { hijack: true }; } }
class HB extends H { constructor() { super(); this.x = 1; } }
function main() { const b = new B(); const hb = new HB(); return [A.getX(b), B.getBX(b), new Derived().hello(), new Derived() instanceof Base, hb.hijack, hb.x, hb instanceof HB]; }`),
  'extends Error (test/accelerator/error-classes.test.ts has more)': wrap(`function main() { class MyError extends Error {} const e = new MyError('x'); return [e.message, String(e), e instanceof MyError]; }`),
  'a method under a computed key (its name is the key: computed-names.test.ts has more)': wrap(`const k = 'dyn'; function main() { class A { [k]() {} } return A.prototype.dyn.name; }`),
  'conversions call the object\'s own toString and valueOf, in the hint\'s order': wrap(`
const calls = [];
class Money {
  constructor(v, c) { this.v = v; this.c = c; }
  toString() { calls.push('s'); return this.v.toFixed(2) + ' ' + this.c; }
  valueOf() { calls.push('v'); return this.v; }
}
class Tag { constructor(n) { this.n = n; } toString() { return '<' + this.n + '>'; } }
class Loud extends Tag { toString() { return super.toString().toUpperCase(); } }
class Getter { get toString() { calls.push('g'); return () => 'got'; } }
class Bad { toString() { return {}; } valueOf() { return []; } }
class NotFn { constructor() { this.toString = 5; } }
class Fallback { valueOf() { return {}; } }
const lit = { n: 3, toString() { return 'lit' + this.n; } };
const num = { valueOf() { return 42; } };
function main() {
  const m = new Money(2.5, 'EUR');
  const out = [\`\${m}\`, m + '', m * 2, m > 2, String(m), [m, new Tag('b')].join('|'), 'x' + new Loud('i'), \`\${new Getter()}\`, String(lit), lit + 1, num + 1, \`\${num}\`, num == 42, String(new Fallback()), new Tag('t') == '<t>'];
  let err = null;
  try { String(new Bad()); } catch (e) { err = e.name + ': ' + e.message; }
  let err2 = null;
  try { '' + new NotFn(); } catch (e) { err2 = e.name + ': ' + e.message; }
  return { out, err, err2, calls };
}`),
  'a toString that throws, or recurses without end, behaves as in Node': wrap(`
class T { toString() { throw new RangeError('no string for you'); } }
function main() { try { return \`\${new T()}\`; } catch (e) { return [e.name, e.message, e instanceof RangeError]; } }`),
  'calling what an array does not have throws Node\'s TypeError; an element that is a function sees the array': wrap(`
function main() {
  const a = [function () { return this.length; }, 2];
  const out = [a[0]()];
  for (const f of [() => a.nope(), () => a.length(), () => a[1](), () => a['ma' + 'p'](function (x) { return typeof x; })]) {
    try { out.push(f()); } catch (e) { out.push(e.name + ': ' + e.message); }
  }
  return out;
}`),
  'arguments objects read like Node': wrap(`
function f() { const a = arguments; return [a.length, a[0], a[1], a[2], typeof a]; }
function main() { return f('x', 2); }`),
};

/** Programs whose behaviour depends on something the runtime does not model: they must abort. */
const ABORT: Record<string, string> = {
  'sloppy this of a plain call is the global object': wrap(`function who() { return typeof this; }\nfunction main() { return who(); }`, false),
  'mapped arguments with an assigned parameter': wrap(`function f(a) { a = 2; return arguments[0]; }\nfunction main() { return f(1); }`, false),
  'extends Array': wrap(`function main() { class List extends Array {} return new List().length; }`),
  'JSON.stringify of an instance whose toJSON is not a function': wrap(`class A { constructor() { this.a = 1; } }\nA.prototype.toJSON = 7;\nfunction main() { return JSON.stringify(new A()); }`),
  'console.log %o of an instance (it would show prototype getters)': wrap(`class A { constructor() { this.x = 1; } get g() { return 1; } }\nfunction main() { console.log('%o', new A()); return 1; }`),
  'console.log %s of an instance with toString': wrap(`class A { toString() { return 'a'; } }\nfunction main() { console.log('%s', new A()); return 1; }`),
  'a class under a computed field key (its name would be the key)': wrap(`const k = 'dyn'; function main() { class A { [k] = class {}; } return new A().dyn.name; }`),
  'a getter under a number-like name (compiled code reads those natively)': wrap(`function main() { class A { get 0() { return 'zero'; } } return new A()[0]; }`),
  'a setter-less accessor written to': wrap(`function main() { class A { get v() { return 1; } } const a = new A(); a.v = 2; return a.v; }`),
  'a class static under a number key': wrap(`function main() { class A { static 1 = 'one'; } return A[1]; }`),
  'a toString that converts itself without end (Node: RangeError; here the stack limit)': wrap(`class T { toString() { return 'x' + this; } }\nfunction main() { return String(new T()); }`),
  'JSON of an object with a getter': wrap(`function main() { return JSON.stringify({ get x() { return 1; } }); }`),
};

test('classes and receivers answer as Node does', async () => {
  for (const [name, source] of Object.entries(SAME)) {
    const { node, accel } = await both(source, [raw()]);
    assert.deepEqual(accel, node, name);
  }
});

test('what the runtime cannot reproduce aborts instead of answering differently', async () => {
  for (const [name, source] of Object.entries(ABORT)) {
    const { accel } = await both(source, [raw()]);
    assert.equal((accel[0] as { kind?: string }).kind, 'abort', `${name}: ${JSON.stringify(accel[0])}`);
  }
});

test('console.log of instances prints the lines Node prints', async () => {
  const source = `'use strict';
const c = require('containerless');
class A { #hidden = 1; constructor() { this.x = 1; this.o = { y: [1, 2] }; } get g() { return 1; } }
class B extends A {}
function F() { this.a = 1; }
function G() { this.a = 2; }
G.prototype = { hi() {} };
const Anon = class {};
c.listen(function (req) {
  console.log(new A(), new B(), new F(), new G(), new Anon(), [new A()], { k: new B() });
  console.log('%j and %d', new F(), 5);
  c.respond('logged');
});`;
  const nodeLines: string[] = [];
  const fn = loadFunction(source, { io: recordingIO(), log: (st, l) => nodeLines.push(`${st}: ${l}`) });
  assert.equal((await fn.invoke(raw(), { timeoutMs: 1000 })).body, 'logged');
  const accelLines: string[] = [];
  const r = await accelerate(source, undefined, undefined, accelLines).handle(raw(), { timeoutMs: 1000 });
  assert.equal(r.kind, 'response', JSON.stringify(r));
  assert.deepEqual(accelLines, nodeLines);
  assert.match(nodeLines[0]!, /^stdout: A \{ x: 1, o: \{ y: \[ 1, 2 \] \} \} B \{/);
});
