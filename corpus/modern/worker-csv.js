// A Cloudflare Worker as people write a CSV report today: `await request.text()`, a regexp-based CSV
// parser that handles quoted fields, group-by with Map, mean and median, dates parsed from a column,
// and content negotiation on the Accept header (CSV or JSON out).
const FIELD = /(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g;

function parseLine(line) {
  const out = [];
  for (const m of line.matchAll(FIELD)) out.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]);
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const csvCell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

function report(rows) {
  const groups = new Map();
  const bad = [];
  rows.forEach((cells, i) => {
    const [day, region, amountText] = cells;
    const amount = Number(amountText);
    const when = new Date(`${day}T00:00:00Z`);
    if (!region || !Number.isFinite(amount) || Number.isNaN(when.getTime())) {
      bad.push(i + 2);
      return;
    }
    const g = groups.get(region) ?? { region, amounts: [], first: when, last: when };
    g.amounts.push(amount);
    if (when < g.first) g.first = when;
    if (when > g.last) g.last = when;
    groups.set(region, g);
  });
  const lines = [...groups.values()]
    .map(({ region, amounts, first, last }) => ({
      region,
      count: amounts.length,
      total: +amounts.reduce((a, b) => a + b, 0).toFixed(2),
      mean: +(amounts.reduce((a, b) => a + b, 0) / amounts.length).toFixed(2),
      median: median(amounts),
      from: first.toISOString().slice(0, 10),
      to: last.toISOString().slice(0, 10),
      weekday: first.toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' }),
    }))
    .sort((a, b) => b.total - a.total || a.region.localeCompare(b.region));
  return { lines, bad };
}

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('POST a CSV\n', { status: 405, headers: { allow: 'POST' } });
    const text = await request.text();
    const [header, ...rest] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (!header) return Response.json({ error: 'empty CSV' }, { status: 400 });
    const columns = parseLine(header).map((c) => c.trim().toLowerCase());
    if (columns.join() !== 'day,region,amount') return Response.json({ error: 'expected columns day,region,amount', columns }, { status: 422 });
    const { lines, bad } = report(rest.map(parseLine));
    const accept = request.headers.get('accept') ?? '';
    if (accept.includes('text/csv')) {
      const keys = Object.keys(lines[0] ?? { region: 0 });
      const body = [keys.join(','), ...lines.map((l) => keys.map((k) => csvCell(l[k])).join(','))].join('\n') + '\n';
      return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'x-bad-rows': bad.join(',') } });
    }
    return Response.json({ regions: lines.length, lines, bad });
  },
};
