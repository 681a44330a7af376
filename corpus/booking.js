// Hotel bookings as people write them today: Date arithmetic and formatting, validation errors as
// classes that extend Error, per-object metadata in a WeakMap.
const containerless = require('containerless');

const DAY = 24 * 60 * 60 * 1000;

class ValidationError extends Error {
  constructor(field, message) {
    super(message);
    this.name = 'ValidationError';
    this.field = field;
  }
  get status() {
    return 400;
  }
}

class TooLong extends ValidationError {
  constructor(nights) {
    super('nights', `stays are at most 14 nights, not ${nights}`);
  }
}

const audit = new WeakMap();

function parseStart(text) {
  const d = new Date(`${text ?? ''}T14:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new ValidationError('start', `not a date: ${text}`);
  return d;
}

function book(query) {
  const start = parseStart(query.start);
  const nights = Number(query.nights ?? 1);
  if (!Number.isInteger(nights) || nights < 1) throw new ValidationError('nights', 'nights must be a positive integer');
  if (nights > 14) throw new TooLong(nights);
  const end = new Date(start);
  end.setUTCDate(end.getUTCDate() + nights);
  end.setUTCHours(11);
  const booking = { start, end, nights };
  audit.set(booking, { checkedAt: new Date(Date.UTC(2026, 0, 1)) });
  return booking;
}

containerless.listen((req) => {
  try {
    const b = book(req.query);
    const weekend = [];
    for (let t = b.start.getTime(); t < b.end.getTime(); t += DAY) {
      const day = new Date(t).getDay();
      if (day === 0 || day === 6) weekend.push(new Date(t).toDateString());
    }
    containerless.respond({
      from: b.start.toISOString(),
      until: String(b.end),
      hours: (b.end - b.start) / 3600000,
      weekend,
      utc: b.end.toUTCString(),
      month: b.start.getMonth() + 1,
      json: JSON.parse(JSON.stringify(b)),
      audited: audit.has(b) && audit.get(b).checkedAt < b.start,
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    containerless.respond({ error: String(err), field: err.field, tooLong: err instanceof TooLong }, { status: err.status });
  }
});
