// Dates as people handle them: ISO parsing, differences, formatting, weekday names, JSON.
const containerless = require('containerless');

const DAY = 24 * 60 * 60 * 1000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function parseDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCMonth() === +m[2] - 1 ? d : null;
}

containerless.listen((req) => {
  const from = parseDay(req.query.from);
  const to = parseDay(req.query.to);
  if (!from || !to) return containerless.respond({ error: 'from and to must be YYYY-MM-DD dates' }, { status: 400 });
  const days = Math.round((to - from) / DAY);
  const end = new Date(from);
  end.setUTCDate(end.getUTCDate() + Number(req.query.add ?? 0));
  containerless.respond({
    days,
    weekday: WEEKDAYS[from.getUTCDay()],
    end: end.toISOString().slice(0, 10),
    parsed: Date.parse(`${req.query.from}T12:00:00Z`),
    json: JSON.stringify({ from }),
    later: from < to,
  });
});
