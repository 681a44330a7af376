// An AWS Lambda handler written as an ES module, as people write a schedule preview today: a cron
// expression parsed with split and a regexp, field ranges expanded with Array.from, a generator of
// the next matching minutes in UTC, `for…of` with break, and padStart formatting.
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'weekday', min: 0, max: 6 },
];
const PART = /^(?:(?<all>\*)|(?<lo>\d+)(?:-(?<hi>\d+))?)(?:\/(?<step>\d+))?$/;

class CronError extends Error {}

function expand(text, { name, min, max }) {
  const values = new Set();
  for (const part of text.split(',')) {
    const m = PART.exec(part);
    if (!m) throw new CronError(`bad ${name} field "${part}"`);
    const { all, lo, hi, step = '1' } = m.groups;
    const from = all ? min : Number(lo);
    const to = all ? max : hi !== undefined ? Number(hi) : lo !== undefined && m.groups.step ? max : from;
    const by = Number(step);
    if (from < min || to > max || from > to || by < 1) throw new CronError(`${name} out of range: ${part}`);
    Array.from({ length: Math.floor((to - from) / by) + 1 }, (_, i) => from + i * by).forEach((v) => values.add(v));
  }
  return values;
}

function* upcoming(sets, start, limit = 525600) {
  const t = new Date(start);
  t.setUTCSeconds(0, 0);
  for (let i = 0; i < limit; i++) {
    t.setUTCMinutes(t.getUTCMinutes() + 1);
    const [mi, h, d, mo, wd] = [t.getUTCMinutes(), t.getUTCHours(), t.getUTCDate(), t.getUTCMonth() + 1, t.getUTCDay()];
    if (sets[0].has(mi) && sets[1].has(h) && sets[2].has(d) && sets[3].has(mo) && sets[4].has(wd)) yield new Date(t);
  }
}

const fmt = (d) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;

export const handler = async (event) => {
  const params = event.queryStringParameters ?? {};
  const expr = (params.cron ?? '').trim().replace(/\s+/g, ' ');
  const count = Math.min(Math.max(Number.parseInt(params.n ?? '3', 10) || 3, 1), 5);
  const from = Date.parse(params.from ?? '2024-01-01T00:00:00Z');
  if (Number.isNaN(from)) return { statusCode: 400, body: JSON.stringify({ error: 'from is not a date' }) };
  const parts = expr.split(' ');
  if (parts.length !== 5) return { statusCode: 400, body: JSON.stringify({ error: `expected 5 fields, got ${expr ? parts.length : 0}` }) };
  let sets;
  try {
    sets = parts.map((p, i) => expand(p, FIELDS[i]));
  } catch (e) {
    if (e instanceof CronError) return { statusCode: 422, body: JSON.stringify({ error: e.message }) };
    throw e;
  }
  const next = [];
  for (const when of upcoming(sets, from, 60 * 24 * 62)) {
    next.push(fmt(when));
    if (next.length === count) break;
  }
  return { cron: expr, from: new Date(from).toISOString(), next, sizes: Object.fromEntries(FIELDS.map((f, i) => [f.name, sets[i].size])) };
};
