// Log lines parsed with named groups, validated with anchored patterns, and summarised: the
// regular expressions people write for access logs, ids and query validation.
const containerless = require('containerless');

const LINE = /^(?<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\s+(?<level>INFO|WARN|ERROR)\s+\[(?<svc>[\w-]+)\]\s+(?<method>GET|POST|PUT|DELETE)\s+(?<path>\/\S*)\s+(?<status>\d{3})\s+(?<ms>\d+)ms$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function parse(line) {
  const m = LINE.exec(line.trim());
  if (!m) return null;
  const { ts, level, svc, method, path, status, ms } = m.groups;
  return { day: ts.slice(0, 10), level, svc, method, path: path.replace(/\/\d+/g, '/:id'), status: Number(status), ms: Number(ms) };
}

containerless.listen((req) => {
  const body = typeof req.body === 'string' ? req.body : '';
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
  const parsed = lines.map(parse);
  const bad = parsed.filter((p) => p === null).length;
  const byLevel = {};
  const routes = new Map();
  for (const p of parsed) {
    if (!p) continue;
    byLevel[p.level] = (byLevel[p.level] ?? 0) + 1;
    const key = `${p.method} ${p.path}`;
    const r = routes.get(key) ?? { n: 0, slow: 0 };
    r.n++;
    if (p.ms >= 100) r.slow++;
    routes.set(key, r);
  }
  const svc = String(req.query.svc ?? '');
  if (svc !== '' && !SLUG.test(svc)) {
    containerless.respond({ error: `bad service name: ${svc}` });
    return;
  }
  containerless.respond({
    lines: lines.length,
    bad,
    byLevel,
    routes: [...routes].map(([k, v]) => `${k} x${v.n}${v.slow ? ` (${v.slow} slow)` : ''}`).sort(),
    errors: parsed.filter((p) => p && p.status >= 500 && (svc === '' || p.svc === svc)).map((p) => `${p.day} ${p.svc}`),
    ids: [...body.matchAll(/\/items\/(\d+)/g)].map((m) => Number(m[1])),
  });
});
