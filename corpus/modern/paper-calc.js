// A calculator endpoint as people write one (paper style, `listen`): a tokenizer with a sticky regular
// expression and lastIndex, a recursive-descent parser with precedence and right-associative `**`,
// errors that carry their column, switch with fallthrough, labelled loops, and number formatting.
const c = require('containerless');

class CalcError extends SyntaxError {
  constructor(message, column) {
    super(`${message} at column ${column}`);
    this.name = 'CalcError';
    this.column = column;
  }
}

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*/%^(),]))/y;

function tokenize(src) {
  const out = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (!m) {
      if (/^\s*$/.test(src.slice(at))) break;
      throw new CalcError(`unexpected ${JSON.stringify(src.slice(at).trim()[0])}`, at + 1);
    }
    const [, num, name, op] = m;
    out.push(num !== undefined ? { t: 'num', v: parseFloat(num), at } : name !== undefined ? { t: 'name', v: name, at } : { t: 'op', v: op === '^' ? '**' : op, at });
  }
  return out;
}

const FUNCS = { sqrt: Math.sqrt, abs: Math.abs, min: Math.min, max: Math.max, round: (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d };
const CONSTS = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };

function parse(tokens) {
  let i = 0;
  const peek = () => tokens[i];
  const take = (v) => {
    const tok = tokens[i];
    if (!tok || tok.v !== v) throw new CalcError(`expected ${v}`, tok ? tok.at + 1 : -1);
    i++;
  };
  function primary() {
    const tok = tokens[i++];
    if (!tok) throw new CalcError('unexpected end', -1);
    switch (tok.t) {
      case 'num':
        return tok.v;
      case 'name': {
        if (peek()?.v === '(') {
          const f = FUNCS[tok.v];
          if (!f) throw new CalcError(`unknown function ${tok.v}`, tok.at + 1);
          take('(');
          const args = [];
          if (peek()?.v !== ')') {
            do args.push(expr()); while (peek()?.v === ',' && ++i);
          }
          take(')');
          return f(...args);
        }
        if (!(tok.v in CONSTS)) throw new CalcError(`unknown name ${tok.v}`, tok.at + 1);
        return CONSTS[tok.v];
      }
      case 'op':
        switch (tok.v) {
          case '-':
            return -unary();
          case '+':
            return +unary();
          case '(': {
            const v = expr();
            take(')');
            return v;
          }
          default:
        }
      // falls through
      default:
        throw new CalcError(`unexpected ${tok.v}`, tok.at + 1);
    }
  }
  function unary() {
    return power();
  }
  function power() {
    const base = primary();
    if (peek()?.v === '**') {
      i++;
      return base ** unary();
    }
    return base;
  }
  function term() {
    let v = power();
    for (let tok = peek(); tok && ['*', '/', '%'].includes(tok.v); tok = peek()) {
      i++;
      const r = power();
      v = tok.v === '*' ? v * r : tok.v === '/' ? v / r : v % r;
    }
    return v;
  }
  function expr() {
    let v = term();
    while (peek()?.v === '+' || peek()?.v === '-') v = tokens[i++].v === '+' ? v + term() : v - term();
    return v;
  }
  const v = expr();
  if (i < tokens.length) throw new CalcError(`unexpected ${tokens[i].v}`, tokens[i].at + 1);
  return v;
}

function describe(v) {
  const out = { value: v, fixed: null, precision: null, kind: 'number' };
  outer: for (const digits of [2, 4, 8]) {
    for (const f of ['toFixed', 'toPrecision']) {
      if (!Number.isFinite(v)) {
        out.kind = Number.isNaN(v) ? 'nan' : 'infinite';
        break outer;
      }
      if (f === 'toFixed' && out.fixed === null) out.fixed = v.toFixed(digits);
      else if (f === 'toPrecision' && digits === 4) out.precision = v.toPrecision(digits);
      else continue outer;
    }
  }
  return out;
}

c.listen(function (req) {
  const src = String(req.query.q ?? (typeof req.body === 'string' ? req.body : ''));
  try {
    const tokens = tokenize(src);
    if (!tokens.length) return c.respond({ error: 'empty expression' }, { status: 400 });
    c.respond({ src, tokens: tokens.length, ...describe(parse(tokens)) });
  } catch (e) {
    if (!(e instanceof CalcError)) throw e;
    c.respond({ error: e.message, column: e.column, name: e.name, isSyntax: e instanceof SyntaxError }, { status: 422 });
  }
});
