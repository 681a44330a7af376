// A lazy text pipeline built from generator functions, as iterator-style code is written today:
// tokenize, filter, map and take stages composed with for…of and spread, a generator method on an
// object, and a generator driven by hand with next().
const containerless = require('containerless');

function* tokens(text) {
  let word = '';
  for (const ch of text) {
    if (ch === ' ' || ch === ',' || ch === '.') {
      if (word !== '') yield word;
      word = '';
    } else word += ch;
  }
  if (word !== '') yield word;
}

function* filter(pred, it) {
  for (const v of it) if (pred(v)) yield v;
}

function* map(f, it) {
  for (const v of it) yield f(v);
}

function* take(n, it) {
  if (n <= 0) return;
  for (const v of it) {
    yield v;
    if (--n === 0) return;
  }
}

function* naturals() {
  let i = 1;
  for (;;) yield i++;
}

const stats = {
  *pairs(words) {
    const seen = {};
    for (const w of words) {
      seen[w] = (seen[w] || 0) + 1;
      yield [w, seen[w]];
    }
  },
};

containerless.listen(function (req) {
  const text = String(req.query.text || '');
  const min = parseInt(req.query.min, 10) || 0;
  const limit = parseInt(req.query.limit, 10) || 5;
  const words = [...take(limit, filter((w) => w.length >= min, map((w) => w.toLowerCase(), tokens(text))))];
  const counts = [];
  for (const [w, n] of stats.pairs(words)) counts.push(w + '#' + n);
  const it = naturals();
  const firsts = [it.next().value, it.next().value, it.next().value];
  const squares = [...take(limit, map((n) => n * n, naturals()))];
  containerless.respond({ words, counts, firsts, squares, longest: words.reduce((a, w) => (w.length > a.length ? w : a), '') });
});
