// Paper benchmark "autocomplete" (CPU-bound): a trie over a few thousand words built once at top
// level; each request walks the trie for a prefix and ranks the completions.
const containerless = require('containerless');

const onsets = ['b', 'c', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v'];
const vowels = ['a', 'e', 'i', 'o', 'u'];
const codas = ['', 'n', 'r', 's'];

function syllables() {
  const out = [];
  for (const o of onsets) for (const v of vowels) out.push(o + v);
  return out;
}

const syl = syllables();
const words = [];
for (let i = 0; i < syl.length; i++) {
  for (let j = 0; j < syl.length; j += 2) {
    words.push(syl[i] + syl[j] + codas[(i + j) % codas.length]);
  }
}

function newNode() {
  return { children: {}, end: false, weight: 0 };
}

const root = newNode();
words.forEach(function (word, index) {
  let node = root;
  for (let k = 0; k < word.length; k++) {
    const ch = word[k];
    if (!(ch in node.children)) node.children[ch] = newNode();
    node = node.children[ch];
  }
  node.end = true;
  node.weight = (index * 7919) % 1000;
});

function collect(node, prefix, out) {
  if (node.end) out.push({ word: prefix, weight: node.weight });
  const keys = Object.keys(node.children);
  for (let i = 0; i < keys.length; i++) collect(node.children[keys[i]], prefix + keys[i], out);
  return out;
}

containerless.listen(function (req) {
  const prefix = String(req.query.q || '').toLowerCase();
  const limit = Math.max(1, Math.min(50, parseInt(req.query.limit, 10) || 10));
  let node = root;
  for (const ch of prefix) {
    node = node.children[ch];
    if (node === undefined) break;
  }
  if (node === undefined) {
    containerless.respond({ prefix: prefix, count: 0, completions: [] });
    return;
  }
  const found = collect(node, prefix, []);
  found.sort(function (a, b) {
    return b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
  });
  containerless.respond({
    prefix: prefix,
    count: found.length,
    completions: found.slice(0, limit).map(function (f) { return f.word; }),
  });
});
