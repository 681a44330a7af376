// An inheritance hierarchy: a base class with a template method, subclasses with super calls,
// getters, static factories and instanceof dispatch.
'use strict';
const containerless = require('containerless');

class Shape {
  static count = 0;
  #id;
  constructor(kind) {
    if (new.target === Shape) throw new TypeError('Shape is abstract');
    this.kind = kind;
    this.#id = ++Shape.count;
  }
  get id() {
    return this.#id;
  }
  area() {
    return 0;
  }
  perimeter() {
    return 0;
  }
  describe() {
    return `${this.kind} #${this.id}: area ${this.area().toFixed(2)}, perimeter ${this.perimeter().toFixed(2)}`;
  }
  static from(spec) {
    const [kind, a, b] = spec.split(':');
    const x = Number(a);
    const y = Number(b);
    switch (kind) {
      case 'rect': return new Rect(x, y);
      case 'square': return new Square(x);
      case 'circle': return new Circle(x);
      case 'shape': return new Shape('shape');
      default: throw new RangeError(`no shape ${kind}`);
    }
  }
}

class Rect extends Shape {
  constructor(w, h, kind = 'rect') {
    super(kind);
    if (!(w > 0 && h > 0)) throw new RangeError('sides must be positive');
    this.w = w;
    this.h = h;
  }
  area() {
    return this.w * this.h;
  }
  perimeter() {
    return 2 * (this.w + this.h);
  }
}

class Square extends Rect {
  constructor(s) {
    super(s, s, 'square');
  }
  describe() {
    return super.describe() + ' (square)';
  }
}

class Circle extends Shape {
  r;
  constructor(r) {
    super('circle');
    this.r = r > 0 ? r : 1;
  }
  area() {
    return Math.PI * this.r * this.r;
  }
  perimeter() {
    return 2 * Math.PI * this.r;
  }
}

containerless.listen(function (req) {
  const specs = (req.query.shapes || 'rect:2:3').split(',');
  const out = [];
  let total = 0;
  for (const spec of specs) {
    try {
      const s = Shape.from(spec);
      total += s.area();
      out.push({ text: s.describe(), rect: s instanceof Rect, square: s instanceof Square, fields: Object.keys(s) });
    } catch (e) {
      out.push({ error: `${e.name}: ${e.message}` });
    }
  }
  containerless.respond({ shapes: out, total: Math.round(total * 1000) / 1000 });
});
