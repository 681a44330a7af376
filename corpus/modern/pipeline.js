// Generators as a lazy pipeline: parse, filter, window and summarise numbers from the request.
const containerless = require('containerless');

function* numbers(text) {
  for (const part of text.split(/[\s,;]+/)) {
    if (part === '') continue;
    const n = Number(part);
    if (!Number.isNaN(n)) yield n;
  }
}

function* take(iterable, n) {
  if (n <= 0) return;
  for (const x of iterable) {
    yield x;
    if (--n === 0) return;
  }
}

function* windows(iterable, size) {
  const buf = [];
  for (const x of iterable) {
    buf.push(x);
    if (buf.length > size) buf.shift();
    if (buf.length === size) yield [...buf];
  }
}

const range = {
  from: 1,
  to: 5,
  *[Symbol.iterator]() {
    for (let i = this.from; i <= this.to; i++) yield i;
  },
};

containerless.listen((req) => {
  const text = typeof req.body === 'string' ? req.body : String(req.query.xs ?? '');
  const size = Math.max(1, Math.min(4, Number(req.query.w) || 2));
  const limit = Number(req.query.limit ?? 10);
  const averages = Array.from(windows(take(numbers(text), limit), size), (w) => w.reduce((a, b) => a + b, 0) / w.length);
  const [first, second, ...rest] = numbers(text);
  containerless.respond({ averages, first, second, rest: rest.length, range: [...range], max: averages.length ? Math.max(...averages) : null });
});
