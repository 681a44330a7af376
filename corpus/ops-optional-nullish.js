// Optional chaining (?.), nullish coalescing (??) and the logical assignment operators.
const containerless = require('containerless');

containerless.listen(function (req) {
  const body = req.body;
  const profile = typeof body === 'object' && body !== null ? body.profile : undefined;
  const name = profile?.name ?? 'anonymous';
  const city = profile?.address?.city ?? null;
  const firstTag = profile?.tags?.[0] ?? 'untagged';
  const zero = profile?.count ?? 42;
  const orZero = profile?.count || 42;
  const settings = { theme: profile?.theme, size: 0, label: '' };
  settings.theme ??= 'light';
  settings.size ||= 12;
  settings.label &&= 'never';
  let hits = 0;
  const bump = function () { hits++; return 'x'; };
  const skipped = null ?? bump();
  const notSkipped = 'set' ?? bump();
  containerless.respond({ name: name, city: city, firstTag: firstTag, zero: zero, orZero: orZero, settings: settings, skipped: skipped, notSkipped: notSkipped, hits: hits, missing: profile?.missing?.deep });
});
