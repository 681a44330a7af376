// An Apache OpenWhisk web action as people write one today: an async `main(params)` with
// destructuring and defaults, a class, array methods, and a web result with statusCode and headers.
class Cart {
  constructor(currency = 'EUR') {
    this.currency = currency;
    this.lines = [];
  }
  add({ sku, qty = 1, price }) {
    const existing = this.lines.find((l) => l.sku === sku);
    if (existing) existing.qty += qty;
    else this.lines.push({ sku, qty, price });
    return this;
  }
  get total() {
    return Math.round(this.lines.reduce((sum, { qty, price }) => sum + qty * price, 0) * 100) / 100;
  }
  toJSON() {
    return { currency: this.currency, lines: this.lines, total: this.total };
  }
}

const valid = (item) => item && typeof item.sku === 'string' && item.sku.length > 0 && Number.isFinite(Number(item.price));

async function main({ __ow_method: method = 'get', items = [], currency, discount = 0 }) {
  if (method !== 'post') return { statusCode: 405, headers: { allow: 'POST' }, body: { error: 'POST a cart' } };
  if (!Array.isArray(items)) return { statusCode: 400, body: { error: 'items must be an array' } };
  const bad = items.map((item, i) => (valid(item) ? -1 : i)).filter((i) => i >= 0);
  if (bad.length) return { statusCode: 422, body: { error: 'invalid items', at: bad } };
  const cart = items.reduce((c, { sku, qty, price }) => c.add({ sku, qty: Math.max(1, Number(qty) || 1), price: Number(price) }), new Cart(currency));
  const off = Math.min(Math.max(Number(discount) || 0, 0), 50);
  const due = Math.round(cart.total * (100 - off)) / 100;
  return { statusCode: 200, headers: { 'x-lines': String(cart.lines.length) }, body: { cart, discount: off, due } };
}
