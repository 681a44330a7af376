// Date.now used the way functions do (timing, timestamps), guarded so the answer is deterministic.
const containerless = require('containerless');

const started = Date.now();

containerless.listen(function (req) {
  const t0 = Date.now();
  let work = 0;
  const n = Math.min(10000, Math.max(0, parseInt(req.query.n, 10) || 0));
  for (let i = 0; i < n; i++) work += i % 3;
  const elapsed = Date.now() - t0;
  containerless.respond({
    work: work,
    clockSane: typeof t0 === 'number' && t0 >= started && elapsed >= 0,
    after2020: t0 > 1577836800000,
    integral: Number.isInteger(t0),
  });
});
