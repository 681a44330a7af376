// Text work with regular expressions: word counts in a Map, replace with a function, matchAll.
const containerless = require('containerless');

const STOP = new Set(['the', 'a', 'an', 'and', 'of']);

function slugify(s) {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function template(text, vars) {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

containerless.listen((req) => {
  const text = typeof req.body === 'string' ? req.body : String(req.query.t ?? '');
  const counts = new Map();
  for (const [word] of text.toLowerCase().matchAll(/[a-z']+/g)) {
    if (STOP.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
  const emails = text.match(/\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b/gi) ?? [];
  containerless.respond({
    slug: slugify(text),
    top: Object.fromEntries(top),
    emails,
    sentences: text.split(/(?<=[.!?])\s+/).filter(Boolean).length,
    filled: template(String(req.query.tpl ?? 'Hi {{name}}, {{ missing }}'), { name: req.query.name ?? 'you' }),
    first: text.search(/\d/),
  });
});
