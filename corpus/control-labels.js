// Labelled break and continue out of nested loops (search in a matrix, skip rows).
const containerless = require('containerless');

containerless.listen(function (req) {
  const size = Math.max(1, Math.min(60, parseInt(req.query.size, 10) || 5));
  const target = parseInt(req.query.target, 10) || 0;
  let found = null;
  let visited = 0;
  outer: for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      visited++;
      if ((r * size + c) % 7 === 3 && c > r) continue outer;
      if (r * c === target) {
        found = [r, c];
        break outer;
      }
    }
  }
  let skipped = 0;
  rows: for (let r = 0; r < size; r++) {
    let c = 0;
    while (true) {
      if (c >= size) break;
      if (c === r) {
        skipped++;
        continue rows;
      }
      c++;
    }
  }
  block: {
    if (target > 100) break block;
    visited += 1000;
  }
  containerless.respond({ found: found, visited: visited, skipped: skipped });
});
