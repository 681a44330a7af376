// An Apache OpenWhisk action as people write a domain model today: a class with private fields and
// private methods, a static private registry, getters, Symbol.iterator over entries, toString used by
// template literals, and errors with `cause`.
class LedgerError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'LedgerError';
  }
}

class Ledger {
  static #kinds = new Map([['credit', 1], ['debit', -1]]);
  #entries = [];
  #balance = 0;
  constructor(owner) {
    this.owner = owner;
  }
  static isKind(k) {
    return Ledger.#kinds.has(k);
  }
  #apply(kind, amount) {
    const sign = Ledger.#kinds.get(kind);
    const next = this.#balance + sign * amount;
    if (next < 0) throw new LedgerError(`overdraft by ${(-next).toFixed(2)}`, { cause: { kind, amount } });
    this.#balance = next;
  }
  post(kind, amount, memo = '') {
    if (!Ledger.isKind(kind)) throw new LedgerError(`unknown kind ${kind}`);
    if (!(amount > 0)) throw new LedgerError(`amount must be positive, got ${amount}`);
    this.#apply(kind, amount);
    this.#entries.push({ n: this.#entries.length + 1, kind, amount, memo });
    return this;
  }
  get balance() {
    return Math.round(this.#balance * 100) / 100;
  }
  get size() {
    return this.#entries.length;
  }
  *[Symbol.iterator]() {
    let running = 0;
    for (const e of this.#entries) {
      running += Ledger.#kinds.get(e.kind) * e.amount;
      yield { ...e, running: Math.round(running * 100) / 100 };
    }
  }
  toString() {
    return `Ledger(${this.owner}: ${this.size} entries, balance ${this.balance.toFixed(2)})`;
  }
}

async function main({ owner = 'anon', ops = [] }) {
  const ledger = new Ledger(owner);
  const rejected = [];
  for (const [i, op] of (Array.isArray(ops) ? ops : []).entries()) {
    try {
      ledger.post(op?.kind, Number(op?.amount), op?.memo);
    } catch (e) {
      if (!(e instanceof LedgerError)) throw e;
      rejected.push({ at: i, error: e.message, cause: e.cause ?? null });
    }
  }
  const rows = [...ledger];
  return {
    statusCode: rejected.length ? 207 : 200,
    body: { summary: `${ledger}`, balance: ledger.balance, rows, rejected, last: rows.at(-1)?.running ?? 0 },
  };
}

exports.main = main;
