// A Cloudflare Worker as people write a localized price list today: Intl.NumberFormat and
// Intl.DateTimeFormat objects made once per locale, Intl.PluralRules for the item count, and
// Accept-Language negotiation.
const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'ja-JP'];
const CURRENCY = { 'en-US': 'USD', 'de-DE': 'EUR', 'fr-FR': 'EUR', 'ja-JP': 'JPY' };
const PRODUCTS = [
  { name: 'Widget', price: 1234.5 },
  { name: 'Gadget', price: 0.99 },
  { name: 'Gizmo', price: 1e6 },
];

function negotiate(header) {
  const wanted = header.split(',').map((part) => {
    const [tag, q = 'q=1'] = part.trim().split(';');
    return { tag: tag.trim(), q: Number(q.split('=')[1]) || 0 };
  }).sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const hit = LOCALES.find((l) => l === tag || l.split('-')[0] === tag.split('-')[0]);
    if (hit) return hit;
  }
  return 'en-US';
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const locale = url.searchParams.get('locale') ?? negotiate(request.headers.get('accept-language') ?? '');
    const money = new Intl.NumberFormat(locale, { style: 'currency', currency: CURRENCY[locale] ?? 'USD' });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    const plural = new Intl.PluralRules(locale);
    const n = Math.max(0, Math.min(Number(url.searchParams.get('n') ?? PRODUCTS.length) || 0, PRODUCTS.length));
    const items = PRODUCTS.slice(0, n).map((p) => ({ name: p.name, price: money.format(p.price) }));
    return Response.json({
      locale,
      count: `${n} ${plural.select(n) === 'one' ? 'item' : 'items'}`,
      items,
      updated: day.format(new Date(Date.UTC(2024, 4, 17))),
    });
  },
};
