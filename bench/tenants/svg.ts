/**
 * A line chart as a standalone SVG document, written by hand (a few lines of markup do not need a
 * plotting library): one polyline per series, axes with min/max ticks, a legend. Pure.
 */

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Plot y on a log10 scale (latencies spanning ms to seconds); values <= 0 are dropped. */
  logY?: boolean;
  width?: number;
  height?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000 || a < 0.01) return v.toPrecision(3);
  return String(Math.round(v * 100) / 100);
}

export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 360;
  const m = { l: 70, r: 20, t: 36, b: 48 };
  const ty = (y: number) => (o.logY ? Math.log10(y) : y);
  const pts = series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!o.logY || y > 0)) }));
  const all = pts.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => ty(p[1]));
  const x0 = xs.length ? Math.min(...xs) : 0;
  let x1 = xs.length ? Math.max(...xs) : 1;
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (!o.logY) y0 = Math.min(0, y0);
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((ty(y) - y0) / (y1 - y0)) * (H - m.t - m.b);
  const untY = (v: number) => (o.logY ? 10 ** v : v);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(o.title)}</text>`);
  out.push(`<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`);
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`);
  for (const v of [y0, (y0 + y1) / 2, y1]) {
    const y = Math.round(H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b));
    out.push(`<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">${escapeXml(fmt(untY(v)))}</text>`);
    out.push(`<line x1="${m.l}" y1="${y}" x2="${W - m.r}" y2="${y}" stroke="#ddd"/>`);
  }
  for (const v of [x0, (x0 + x1) / 2, x1]) out.push(`<text x="${px(v)}" y="${H - m.b + 16}" text-anchor="middle">${escapeXml(fmt(v))}</text>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text x="14" y="${(m.t + H - m.b) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})">${escapeXml(o.yLabel + (o.logY ? ' (log)' : ''))}</text>`);
  pts.forEach((s, i) => {
    const c = COLOURS[i % COLOURS.length];
    if (s.points.length) out.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`);
    out.push(`<rect x="${m.l + 10 + i * 150}" y="${m.t - 4}" width="12" height="4" fill="${c}"/>`);
    out.push(`<text x="${m.l + 26 + i * 150}" y="${m.t}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
