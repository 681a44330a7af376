// Recursive quicksort and merge sort of numbers in the body, checked against each other.
const containerless = require('containerless');

function quicksort(xs) {
  if (xs.length <= 1) return xs;
  const [pivot, ...rest] = xs;
  const less = rest.filter((x) => x < pivot);
  const more = rest.filter((x) => x >= pivot);
  return [...quicksort(less), pivot, ...quicksort(more)];
}

function mergeSort(xs) {
  if (xs.length <= 1) return xs;
  const mid = xs.length >> 1;
  const a = mergeSort(xs.slice(0, mid));
  const b = mergeSort(xs.slice(mid));
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i] <= b[j] ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

containerless.listen(function (req) {
  const xs = Array.isArray(req.body) ? req.body.filter((x) => typeof x === 'number') : [];
  const q = quicksort(xs);
  const m = mergeSort(xs);
  containerless.respond({ sorted: q, agree: q.length === m.length && q.every((x, i) => x === m[i]), median: q.length ? q[q.length >> 1] : null });
});
