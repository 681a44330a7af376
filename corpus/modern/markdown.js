// A small Markdown renderer as people write one today (paper style, `listen`): blocks produced by a
// generator, inline rules as regular expressions replaced with functions (named groups, lookbehind),
// a tagged template that escapes HTML, and a class with static members.
const containerless = require('containerless');

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s) => String(s).replace(/[&<>"']/g, (ch) => ESC[ch]);
const html = (strings, ...values) => strings.reduce((out, s, i) => out + s + (i < values.length ? escape(values[i]) : ''), '');

class Inline {
  static RULES = [
    [/`(?<code>[^`]+)`/g, (...a) => `<code>${a.at(-1).code}</code>`],
    [/\*\*(?<b>[^*]+)\*\*/g, (_m, b) => `<strong>${b}</strong>`],
    [/(?<![*\w])\*(?<i>[^*]+)\*(?!\w)/g, (_m, i) => `<em>${i}</em>`],
    [/\[(?<text>[^\]]+)\]\((?<href>https?:\/\/[^)\s]+)\)/g, (_m, text, href) => `<a href="${href}">${text}</a>`],
  ];
  static render(text) {
    return Inline.RULES.reduce((s, [re, fn]) => s.replace(re, fn), escape(text));
  }
}

function* blocks(lines) {
  let para = [];
  let list = null;
  const flush = function* () {
    if (para.length) yield { kind: 'p', text: para.join(' ') };
    if (list) yield { kind: list.ordered ? 'ol' : 'ul', items: list.items };
    para = [];
    list = null;
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    let m;
    if ((m = /^(?<hashes>#{1,6})\s+(?<title>.+)$/.exec(line))) {
      yield* flush();
      yield { kind: 'h', level: m.groups.hashes.length, text: m.groups.title };
    } else if ((m = line.match(/^\s*(?:(?<num>\d+)\.|[-*+])\s+(?<item>.*)$/))) {
      const ordered = m.groups.num !== undefined;
      if (para.length || (list && list.ordered !== ordered)) yield* flush();
      list ??= { ordered, items: [] };
      list.items.push(m.groups.item);
    } else if (line === '') {
      yield* flush();
    } else {
      if (list) yield* flush();
      para.push(line.trim());
    }
  }
  yield* flush();
}

function render(source) {
  const out = [];
  const counts = new Map();
  for (const b of blocks(source.split(/\r?\n/))) {
    counts.set(b.kind, (counts.get(b.kind) ?? 0) + 1);
    if (b.kind === 'h') {
      const id = b.text.toLowerCase().replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-');
      out.push(`<h${b.level} id="${id}">${Inline.render(b.text)}</h${b.level}>`);
    } else if (b.kind === 'p') out.push(`<p>${Inline.render(b.text)}</p>`);
    else out.push(`<${b.kind}>${b.items.map((i) => `<li>${Inline.render(i)}</li>`).join('')}</${b.kind}>`);
  }
  return { html: out.join('\n'), blocks: Object.fromEntries(counts) };
}

containerless.listen(function (req) {
  const text = typeof req.body === 'string' ? req.body : req.query.md;
  if (text === undefined) return containerless.respond({ error: 'send markdown as the body or ?md=' });
  if (text.length > 4000) return containerless.respond({ error: html`too long: ${text.length} > ${4000}` });
  const { html: body, blocks: counts } = render(text);
  containerless.respond(req.query.format === 'json' ? { body, counts } : body);
});
