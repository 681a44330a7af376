// A stack-based bracket matcher with early returns and an explanation of the first error.
const containerless = require('containerless');

const pairs = { ')': '(', ']': '[', '}': '{' };
const opens = '([{';

function check(text) {
  const stack = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (opens.indexOf(ch) >= 0) stack.push({ ch: ch, at: i });
    else if (ch in pairs) {
      const top = stack.pop();
      if (top === undefined) return { ok: false, error: 'unexpected ' + ch, at: i };
      if (top.ch !== pairs[ch]) return { ok: false, error: 'expected closer for ' + top.ch + ' opened at ' + top.at, at: i };
    }
  }
  if (stack.length > 0) return { ok: false, error: 'unclosed ' + stack[stack.length - 1].ch, at: text.length };
  return { ok: true, depth: maxDepth(text) };
}

function maxDepth(text) {
  let depth = 0;
  let best = 0;
  for (const ch of text) {
    if (opens.includes(ch)) best = Math.max(best, ++depth);
    else if (pairs[ch]) depth--;
  }
  return best;
}

containerless.listen(function (req) {
  const text = typeof req.body === 'string' ? req.body : String(req.query.text || '');
  containerless.respond(check(text));
});
