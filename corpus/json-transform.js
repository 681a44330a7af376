// Paper-style "JSON transformation" (CPU-bound): reshapes and aggregates an order list in the body.
const containerless = require('containerless');

function round2(x) {
  return Math.round(x * 100) / 100;
}

function summarise(orders) {
  const byCustomer = {};
  const bySku = {};
  let grand = 0;
  for (const order of orders) {
    const items = Array.isArray(order.items) ? order.items : [];
    const total = items.reduce(function (sum, it) { return sum + (Number(it.qty) || 0) * (Number(it.price) || 0); }, 0);
    grand += total;
    const who = String(order.customer);
    const entry = byCustomer[who] || (byCustomer[who] = { customer: who, orders: 0, total: 0, skus: [] });
    entry.orders += 1;
    entry.total = round2(entry.total + total);
    items.forEach(function (it) {
      const sku = String(it.sku);
      if (entry.skus.indexOf(sku) < 0) entry.skus.push(sku);
      bySku[sku] = (bySku[sku] || 0) + (Number(it.qty) || 0);
    });
  }
  const customers = Object.values(byCustomer).sort(function (a, b) { return b.total - a.total || (a.customer < b.customer ? -1 : 1); });
  const topSkus = Object.entries(bySku)
    .map(function (e) { return { sku: e[0], qty: e[1] }; })
    .sort(function (a, b) { return b.qty - a.qty || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0); })
    .slice(0, 5);
  return { count: orders.length, grandTotal: round2(grand), customers: customers, topSkus: topSkus };
}

containerless.listen(function (req) {
  const body = req.body;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.orders)) {
    containerless.respond({ error: 'expected { orders: [...] }' }, { status: 400 });
    return;
  }
  const valid = body.orders.filter(function (o) { return typeof o === 'object' && o !== null && o.customer !== undefined; });
  const result = summarise(valid);
  if (req.query.flat === '1') {
    containerless.respond(result.customers.map(function (c) { return c.customer + ':' + c.total.toFixed(2); }).join(','));
  } else {
    containerless.respond(result);
  }
});
