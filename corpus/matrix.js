// Nested arrays: matrix multiplication, transpose and determinant (recursive, by minors).
const containerless = require('containerless');

function make(n, seed) {
  const m = [];
  for (let i = 0; i < n; i++) {
    const row = [];
    for (let j = 0; j < n; j++) row.push(((i + 1) * (j + 2) * seed) % 7 - 3);
    m.push(row);
  }
  return m;
}

const transpose = (m) => m[0].map((_, j) => m.map((row) => row[j]));

function multiply(a, b) {
  const bt = transpose(b);
  return a.map((row) => bt.map((col) => row.reduce((s, x, k) => s + x * col[k], 0)));
}

function det(m) {
  if (m.length === 1) return m[0][0];
  if (m.length === 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
  let d = 0;
  for (let j = 0; j < m.length; j++) {
    const minor = m.slice(1).map((row) => row.filter((_, k) => k !== j));
    d += (j % 2 === 0 ? 1 : -1) * m[0][j] * det(minor);
  }
  return d;
}

containerless.listen(function (req) {
  const n = Math.max(1, Math.min(6, parseInt(req.query.n, 10) || 3));
  const seed = parseInt(req.query.seed, 10) || 1;
  const a = make(n, seed);
  const b = make(n, seed + 1);
  const p = multiply(a, b);
  containerless.respond({ n: n, product: p, trace: p.reduce((s, row, i) => s + row[i], 0), det: det(a) });
});
