// Request validation as people write it today (paper style, `listen`): a tiny JSON-schema-like
// validator written with classes and recursion, errors collected with their JSON paths, defaults
// applied to a structuredClone of the input, and pretty-printed JSON in the answer.
const c = require('containerless');

class Issue {
  constructor(path, message) {
    this.path = path.length ? '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') : '$';
    this.message = message;
  }
  toString() {
    return `${this.path}: ${this.message}`;
  }
}

class Schema {
  static object(props, required = []) { return new Schema('object', { props, required }); }
  static array(items, { min = 0, max = Infinity } = {}) { return new Schema('array', { items, min, max }); }
  static string({ pattern, enum: choices, default: dflt } = {}) { return new Schema('string', { pattern, choices, dflt }); }
  static number({ min = -Infinity, max = Infinity, integer = false, default: dflt } = {}) { return new Schema('number', { min, max, integer, dflt }); }
  constructor(type, rules) {
    this.type = type;
    this.rules = rules;
  }
  check(value, path = [], issues = []) {
    const { type, rules } = this;
    const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (kind !== type) {
      issues.push(new Issue(path, `expected ${type}, got ${kind}`));
      return issues;
    }
    switch (type) {
      case 'object':
        for (const key of rules.required) if (!(key in value)) issues.push(new Issue([...path, key], 'is required'));
        for (const [key, v] of Object.entries(value)) {
          const s = rules.props[key];
          if (!s) issues.push(new Issue([...path, key], 'is not allowed'));
          else if (v !== undefined) s.check(v, [...path, key], issues);
        }
        break;
      case 'array':
        if (value.length < rules.min || value.length > rules.max) issues.push(new Issue(path, `needs ${rules.min}..${rules.max} items, has ${value.length}`));
        value.forEach((item, i) => rules.items.check(item, [...path, i], issues));
        break;
      case 'string':
        if (rules.pattern && !rules.pattern.test(value)) issues.push(new Issue(path, `does not match ${rules.pattern}`));
        if (rules.choices && !rules.choices.includes(value)) issues.push(new Issue(path, `must be one of ${rules.choices.join('|')}`));
        break;
      case 'number':
        if (!Number.isFinite(value)) issues.push(new Issue(path, 'must be finite'));
        else if (rules.integer && !Number.isInteger(value)) issues.push(new Issue(path, 'must be an integer'));
        else if (value < rules.min || value > rules.max) issues.push(new Issue(path, `must be within [${rules.min}, ${rules.max}]`));
        break;
    }
    return issues;
  }
  withDefaults(value) {
    if (this.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, s] of Object.entries(this.rules.props)) {
        if (value[key] === undefined && s.rules.dflt !== undefined) value[key] = s.rules.dflt;
        else if (value[key] !== undefined) s.withDefaults(value[key]);
      }
    } else if (this.type === 'array' && Array.isArray(value)) value.forEach((v) => this.rules.items.withDefaults(v));
    return value;
  }
}

const ORDER = Schema.object({
  customer: Schema.string({ pattern: /^[a-z][a-z0-9_]{2,15}$/ }),
  priority: Schema.string({ enum: ['low', 'normal', 'high'], default: 'normal' }),
  lines: Schema.array(Schema.object({ sku: Schema.string({ pattern: /^[A-Z]{3}-\d{3}$/ }), qty: Schema.number({ min: 1, max: 99, integer: true, default: 1 }) }, ['sku']), { min: 1, max: 5 }),
  note: Schema.string(),
}, ['customer', 'lines']);

c.listen(function (req) {
  if (req.method !== 'POST') return c.respond({ error: 'POST an order' }, { status: 405 });
  const input = req.body;
  const issues = ORDER.check(input);
  if (issues.length) return c.respond({ valid: false, count: issues.length, issues: issues.map(String), first: `${issues[0]}` }, { status: 422 });
  const order = ORDER.withDefaults(structuredClone(input));
  const units = order.lines.reduce((n, l) => n + l.qty, 0);
  c.respond(JSON.stringify({ valid: true, order, units, changed: JSON.stringify(order) !== JSON.stringify(input) }, null, 2));
});
