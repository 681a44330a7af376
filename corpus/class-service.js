// A service class with private state, written as people write classes today: private fields and
// methods, getters, static members, validation errors, method chaining.
'use strict';
const containerless = require('containerless');

class PriceBook {
  static #defaults = { apple: 0.5, pear: 0.75, melon: 3, kiwi: 0.2 };
  #prices;
  constructor(overrides = {}) {
    this.#prices = { ...PriceBook.#defaults, ...overrides };
  }
  priceOf(sku) {
    if (!(sku in this.#prices)) throw new RangeError(`unknown item ${sku}`);
    return this.#prices[sku];
  }
  static get skus() {
    return Object.keys(PriceBook.#defaults);
  }
}

class Cart {
  #lines = [];
  #book;
  static created = 0;
  constructor(book) {
    this.#book = book;
    Cart.created++;
  }
  add(sku, qty = 1) {
    if (!Number.isInteger(qty) || qty <= 0) throw new TypeError('quantity must be a positive integer');
    const line = this.#lines.find((l) => l.sku === sku);
    if (line) line.qty += qty;
    else this.#lines.push({ sku, qty, unit: this.#book.priceOf(sku) });
    return this;
  }
  remove(sku) {
    this.#lines = this.#lines.filter((l) => l.sku !== sku);
    return this;
  }
  #subtotal() {
    return this.#lines.reduce((s, l) => s + l.qty * l.unit, 0);
  }
  get count() {
    return this.#lines.reduce((s, l) => s + l.qty, 0);
  }
  total(discount) {
    const sub = this.#subtotal();
    const off = discount === 'half' ? sub / 2 : discount === 'five' ? Math.min(5, sub) : 0;
    return Math.round((sub - off) * 100) / 100;
  }
  toJSON() {
    return { lines: this.#lines.map((l) => `${l.qty}x${l.sku}`), count: this.count };
  }
  static isCart(o) {
    return #lines in o;
  }
}

containerless.listen(function (req) {
  const book = new PriceBook(req.query.sale ? { melon: 2 } : {});
  const cart = new Cart(book);
  try {
    for (const part of (req.query.items || '').split(',')) {
      if (part === '') continue;
      const [sku, n] = part.split(':');
      cart.add(sku, n === undefined ? 1 : Number(n));
    }
    if (req.query.drop) cart.remove(req.query.drop);
    containerless.respond({
      cart: cart.toJSON(),
      count: cart.count,
      total: cart.total(req.query.discount),
      isCart: Cart.isCart(cart),
      plain: Cart.isCart({}),
      skus: PriceBook.skus,
    });
  } catch (e) {
    containerless.respond({ error: e.name, message: e.message, isRange: e instanceof RangeError }, { status: 400 });
  }
});
