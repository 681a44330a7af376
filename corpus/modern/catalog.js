// A category tree browsed with generators: a recursive walker delegating with yield*, a filter whose
// yield* hands back the inner count, a pager that is an iterator of its own (not a generator), and
// destructuring that takes the first few results and closes the rest.
const containerless = require('containerless');

const CATALOG = {
  name: 'root', items: [], kids: [
    { name: 'books', items: [{ sku: 'b1', price: 12 }, { sku: 'b2', price: 7 }], kids: [
      { name: 'comics', items: [{ sku: 'c1', price: 3 }, { sku: 'c2', price: 15 }], kids: [] },
    ] },
    { name: 'games', items: [{ sku: 'g1', price: 40 }], kids: [
      { name: 'board', items: [], kids: [{ name: 'dice', items: [{ sku: 'd1', price: 2 }, { sku: 'd2', price: 9 }], kids: [] }] },
    ] },
  ],
};

function* walk(node, path) {
  const here = path === '' ? node.name : `${path}/${node.name}`;
  yield { path: here, node };
  for (const kid of node.kids) yield* walk(kid, here);
}

function* items(node) {
  let count = 0;
  for (const { path, node: n } of walk(node, '')) {
    for (const item of n.items) {
      count++;
      yield { ...item, path };
    }
  }
  return count;
}

function* cheaperThan(source, max) {
  let skipped = 0;
  const seen = yield* (function* () {
    let n = 0;
    for (const item of source) {
      n++;
      if (item.price <= max) yield item;
      else skipped++;
    }
    return n;
  })();
  return { seen, skipped };
}

class Pager {
  constructor(list, size) {
    this.list = list;
    this.size = size;
    this.at = 0;
  }
  [Symbol.iterator]() {
    return this;
  }
  next() {
    if (this.at >= this.list.length) return { done: true, value: undefined };
    const page = this.list.slice(this.at, this.at + this.size);
    this.at += this.size;
    return { done: false, value: page };
  }
}

function find(path) {
  for (const entry of walk(CATALOG, '')) if (entry.path === path) return entry.node;
  return undefined;
}

containerless.listen((req) => {
  const under = String(req.query.under ?? '');
  const start = under === '' ? CATALOG : find(`root/${under}`);
  if (start === undefined) {
    containerless.respond({ error: `no category ${under}` });
    return;
  }
  const max = Number(req.query.max ?? 100);
  const size = Math.max(1, Math.min(3, Number(req.query.size) || 2));
  const picked = cheaperThan(items(start), max);
  const skus = [];
  let step;
  while (!(step = picked.next()).done) skus.push(`${step.value.sku}@${step.value.path}`);
  const [top, next] = walk(start, '');
  const pages = Array.from(new Pager(skus, size), (page) => page.join(' '));
  containerless.respond({ ...step.value, skus, pages, top: top.path, next: next ? next.path : null, categories: [...walk(start, '')].length });
});
