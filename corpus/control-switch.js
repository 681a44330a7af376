// switch with fall-through, default in the middle, blocks in cases and strict matching.
const containerless = require('containerless');

function classify(v) {
  const out = [];
  switch (v) {
    case 0:
      out.push('zero');
    case 1:
      out.push('small');
      break;
    case '1':
      out.push('string one');
      break;
    default:
      out.push('other');
    case 10: {
      const note = 'ten-ish';
      out.push(note);
      break;
    }
    case 20:
      return ['twenty'];
  }
  return out;
}

function weekday(n) {
  switch (n % 7) {
    case 0: return 'sun';
    case 6: return 'sat';
    default: return 'weekday';
  }
}

containerless.listen(function (req) {
  const raw = req.query.v;
  const n = Number(raw);
  containerless.respond({ asNumber: classify(n), asString: classify(raw), day: weekday(Math.abs(n) || 0), method: classify(req.method === 'GET' ? 1 : 20) });
});
