// Classes as people write them: a hierarchy with private state, getters, static factories, toJSON.
const containerless = require('containerless');

class Money {
  #cents;
  constructor(cents) {
    if (!Number.isInteger(cents)) throw new TypeError(`not a whole number of cents: ${cents}`);
    this.#cents = cents;
  }
  static parse(text) {
    const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(String(text).trim());
    if (!m) throw new RangeError(`bad amount: ${text}`);
    const cents = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
    return new Money(m[1] ? -cents : cents);
  }
  plus(other) {
    return new Money(this.#cents + other.#cents);
  }
  times(n) {
    return new Money(Math.round(this.#cents * n));
  }
  get cents() {
    return this.#cents;
  }
  toString() {
    const sign = this.#cents < 0 ? '-' : '';
    const abs = Math.abs(this.#cents);
    return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }
  toJSON() {
    return this.toString();
  }
}

class Line {
  constructor(sku, qty, price) {
    Object.assign(this, { sku, qty, price });
  }
  get total() {
    return this.price.times(this.qty);
  }
}

class DiscountedLine extends Line {
  static #rates = { SAVE10: 0.9, HALF: 0.5 };
  constructor(sku, qty, price, code) {
    super(sku, qty, price);
    this.code = code;
  }
  get total() {
    return super.total.times(DiscountedLine.#rates[this.code] ?? 1);
  }
}

containerless.listen((req) => {
  try {
    const lines = (Array.isArray(req.body) ? req.body : []).map(({ sku, qty = 1, price, code }) =>
      code ? new DiscountedLine(String(sku), qty, Money.parse(price), code) : new Line(String(sku), qty, Money.parse(price)));
    const total = lines.reduce((sum, l) => sum.plus(l.total), new Money(0));
    containerless.respond({
      lines: lines.map((l) => ({ sku: l.sku, total: l.total, discounted: l instanceof DiscountedLine })),
      total,
      count: lines.length,
    });
  } catch (e) {
    containerless.respond({ error: `${e.name}: ${e.message}` }, { status: 400 });
  }
});
