// An Apache OpenWhisk action as people write a small search endpoint today: a module-level index
// built once (Map of term → Set of ids), Unicode-aware tokenising with `\p{L}` and normalize('NFD'),
// scoring with reduce, sort with a tie-break, pagination, and a highlighted snippet.
const DOCS = [
  { id: 1, title: 'Café au lait', body: 'Coffee with hot milk, served in a bowl in France.' },
  { id: 2, title: 'Flat white', body: 'Espresso with microfoam milk; popular in Australia and New Zealand.' },
  { id: 3, title: 'Crème brûlée', body: 'A rich custard base topped with a layer of hardened caramelized sugar.' },
  { id: 4, title: 'Cortado', body: 'Espresso cut with a small amount of warm milk to reduce acidity.' },
  { id: 5, title: 'Tea latte', body: 'Black tea with steamed milk, sometimes sweetened with honey.' },
  { id: 6, title: 'Affogato', body: 'A scoop of vanilla gelato drowned in a shot of hot espresso.' },
];

const fold = (s) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
const tokens = (s) => fold(s).match(/\p{L}+/gu) ?? [];

const index = new Map();
for (const doc of DOCS) {
  for (const [field, weight] of [['title', 3], ['body', 1]]) {
    for (const t of tokens(doc[field])) {
      if (!index.has(t)) index.set(t, new Map());
      const posting = index.get(t);
      posting.set(doc.id, (posting.get(doc.id) ?? 0) + weight);
    }
  }
}
const byId = new Map(DOCS.map((d) => [d.id, d]));

function snippet(text, terms, width = 40) {
  const folded = fold(text);
  const at = Math.max(0, Math.min(...terms.map((t) => folded.indexOf(t)).filter((i) => i >= 0)));
  const start = Math.max(0, at - 10);
  const cut = text.slice(start, start + width);
  return (start > 0 ? '…' : '') + cut + (start + width < text.length ? '…' : '');
}

function main(params) {
  const { q = '', page = '1', size = '3', __ow_method: method = 'get' } = params;
  if (method !== 'get') return { statusCode: 405, body: { error: 'GET only' } };
  const terms = [...new Set(tokens(String(q)))].filter((t) => t.length > 1);
  if (terms.length === 0) return { statusCode: 400, body: { error: 'q needs a word of two letters or more', q } };
  const scores = new Map();
  for (const t of terms) {
    for (const [id, w] of index.get(t) ?? []) scores.set(id, (scores.get(id) ?? 0) + w);
  }
  const ranked = [...scores].sort(([a, sa], [b, sb]) => sb - sa || a - b);
  const n = Math.min(Math.max(parseInt(size, 10) || 3, 1), 5);
  const p = Math.max(parseInt(page, 10) || 1, 1);
  const hits = ranked.slice((p - 1) * n, p * n).map(([id, score]) => {
    const { title, body } = byId.get(id);
    return { id, title, score, snippet: snippet(body, terms) };
  });
  return {
    statusCode: hits.length ? 200 : 404,
    headers: { 'x-total': String(ranked.length) },
    body: { terms, total: ranked.length, page: p, pages: Math.ceil(ranked.length / n), hits },
  };
}

exports.main = main;
