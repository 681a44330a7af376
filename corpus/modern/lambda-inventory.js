// An AWS Lambda handler as people write inventory logic today: destructuring with renames and
// defaults, logical assignment (??=, ||=, &&=), Object.entries/fromEntries, findLast, flatMap, at,
// frozen configuration in strict code, JSON with a replacer list and indentation, and a reviver.
'use strict';

const CONFIG = Object.freeze({ lowStock: 3, currency: 'EUR', warehouses: Object.freeze(['north', 'south']) });

const parseBody = (body) => JSON.parse(body ?? '{}', (key, value) => (key === 'qty' && typeof value === 'string' ? Number(value) : value));

function summarize(items) {
  const byWarehouse = {};
  for (const { sku, qty = 0, where: { warehouse = 'north', bin } = {}, tags = [] } of items) {
    byWarehouse[warehouse] ??= { skus: 0, units: 0, bins: [] };
    const w = byWarehouse[warehouse];
    w.skus += 1;
    w.units += Number.isFinite(qty) ? qty : 0;
    if (bin) w.bins.push(bin);
    w.flagged ||= tags.includes('fragile');
    w.allTagged &&= tags.length > 0;
    w.allTagged ??= tags.length > 0;
  }
  return byWarehouse;
}

exports.handler = async (event) => {
  let body;
  try {
    body = parseBody(event.body);
  } catch (e) {
    return { statusCode: 400, body: JSON.stringify({ error: e.message }) };
  }
  const items = Array.isArray(body.items) ? body.items.filter((i) => i && typeof i === 'object') : [];
  const summary = summarize(items);
  const low = items.filter(({ qty }) => qty < CONFIG.lowStock).map(({ sku }) => sku);
  const lastFragile = items.findLast((i) => i.tags?.includes('fragile'))?.sku ?? null;
  const tags = [...new Set(items.flatMap((i) => i.tags ?? []))].sort();
  const unknown = Object.keys(summary).filter((w) => !CONFIG.warehouses.includes(w));
  let frozenWrite = 'allowed';
  try {
    CONFIG.lowStock = 99;
  } catch (e) {
    frozenWrite = e.constructor.name;
  }
  const numericKeys = Object.fromEntries(items.map((i, n) => [String(10 - n), i.sku]));
  const report = { summary, low, lastFragile, tags, unknown, frozenWrite, keyOrder: Object.keys(numericKeys), last: items.at(-1)?.sku };
  const pretty = event.queryStringParameters?.pretty === '1';
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: pretty ? JSON.stringify(report, ['summary', 'north', 'south', 'units', 'low', 'tags', 'frozenWrite'], '\t') : JSON.stringify(report),
  };
};
