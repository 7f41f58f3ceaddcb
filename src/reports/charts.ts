/*
 * The dashboard's charts, drawn on the server as SVG: no client-side JavaScript, they print, and each
 * carries a <title> and <desc> and writes its values as text beside the marks, so they read without
 * colour and to a screen reader. Text from the clinic (doctors' names) is escaped here. The words
 * (titles, descriptions) are in the request's language.
 */

import { currentLanguage, direction, t } from '../i18n/i18n';

/**
 * On a right-to-left page the charts keep their own left-to-right geometry (labels drawn from x = 0,
 * `text-anchor` start/end), so their text is not anchored on the wrong side and cut off.
 */
const svgDirection = (): string => (direction(currentLanguage()) === 'rtl' ? ' direction="ltr"' : '');

const esc = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Made once: `toLocaleString` builds a new formatter on every call, which made it the dashboard's costliest line. */
const MONEY_FORMAT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A money amount with thousands separators, as the cards show it. */
export const formatMoney = (amount: string | number): string => MONEY_FORMAT.format(Number(amount));

export interface ChartPoint {
  readonly label: string;
  readonly value: number;
}

/** Revenue per day as an area: one point a day, the top value and the first and last days labelled. */
export function areaChart(id: string, title: string, points: readonly ChartPoint[], unit: string): string {
  const width = 420;
  const height = 200;
  const pad = { top: 26, right: 8, bottom: 30, left: 8 };
  const max = Math.max(...points.map((p) => p.value), 0);
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => pad.top + innerH - (max === 0 ? 0 : (v / max) * innerH);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const area = `M${x(0).toFixed(1)},${y(0).toFixed(1)} L${line.replace(/ /g, ' L')} L${x(points.length - 1).toFixed(1)},${y(0).toFixed(1)} Z`;
  const top = points.reduce((best, p) => (p.value > best.value ? p : best), points[0]);
  const topIndex = points.indexOf(top);
  const desc = t('reports:charts.area', {
    total: formatMoney(total),
    unit,
    count: points.length,
    first: points[0].label,
    last: points.at(-1)!.label,
    top: top.label,
    topAmount: formatMoney(top.value),
  });
  return `<svg class="chart chart-area" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc"${svgDirection()}>
<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>
<line class="chart-axis" x1="${pad.left}" y1="${y(0)}" x2="${width - pad.right}" y2="${y(0)}"/>
<path class="chart-fill" d="${area}"/><polyline class="chart-line" points="${line}"/>
${max > 0 ? `<circle class="chart-dot" cx="${x(topIndex).toFixed(1)}" cy="${y(top.value).toFixed(1)}" r="4"/><text class="chart-value" x="${x(topIndex).toFixed(1)}" y="${(y(top.value) - 8).toFixed(1)}" text-anchor="${anchorAt(x(topIndex), width)}">${formatMoney(top.value)}</text>` : ''}
<text class="chart-label" x="${pad.left}" y="${height - 8}">${esc(points[0].label)}</text>
<text class="chart-label" x="${width - pad.right}" y="${height - 8}" text-anchor="end">${esc(points.at(-1)!.label)}</text>
</svg>`;
}

export interface DonutSegment {
  readonly key: string;
  readonly label: string;
  readonly value: number;
}

/** Appointments by status as a donut; the legend beside it gives each status's count and share in words. */
export function donutChart(id: string, title: string, segments: readonly DonutSegment[]): string {
  const total = segments.reduce((sum, s) => sum + s.value, 0);
  const r = 60;
  const circumference = 2 * Math.PI * r;
  let offset = 0;
  const arcs = segments
    .filter((s) => s.value > 0)
    .map((s) => {
      const length = (s.value / total) * circumference;
      const arc = `<circle class="donut-${s.key}" cx="80" cy="80" r="${r}" fill="none" stroke-width="28" stroke-dasharray="${length.toFixed(2)} ${(circumference - length).toFixed(2)}" stroke-dashoffset="${(-offset).toFixed(2)}" transform="rotate(-90 80 80)"/>`;
      offset += length;
      return arc;
    })
    .join('');
  const desc = segments.map((s) => t('reports:charts.donutItem', { label: s.label, value: s.value, share: share(s.value, total) })).join(t('reports:charts.separator'));
  return `<svg class="chart chart-donut" viewBox="0 0 160 160" role="img" aria-labelledby="${id}-title ${id}-desc"${svgDirection()}>
<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(t('reports:charts.donut', { count: total, items: desc }))}</desc>
${arcs}<text class="chart-total" x="80" y="86" text-anchor="middle">${total}</text>
</svg>`;
}

/** Revenue per doctor as horizontal bars, each with its name and amount written out. */
export function barChart(id: string, title: string, items: readonly ChartPoint[], unit: string): string {
  const rowH = 30;
  const width = 420;
  const labelW = 140;
  const valueW = 90;
  const max = Math.max(...items.map((i) => i.value), 0);
  const bars = items
    .map((item, i) => {
      const w = max === 0 ? 0 : ((width - labelW - valueW) * item.value) / max;
      const yTop = i * rowH;
      return `<text class="chart-label" x="0" y="${yTop + 22}">${esc(truncate(item.label, 18))}</text>
<rect class="chart-bar" x="${labelW}" y="${yTop + 6}" width="${w.toFixed(1)}" height="${rowH - 12}" rx="3"/>
<text class="chart-value" x="${(labelW + w + 8).toFixed(1)}" y="${yTop + 22}">${formatMoney(item.value)}</text>`;
    })
    .join('\n');
  const desc = items.map((i) => t('reports:charts.barItem', { label: i.label, amount: formatMoney(i.value), unit })).join(t('reports:charts.separator'));
  return `<svg class="chart chart-bars" viewBox="0 0 ${width} ${Math.max(items.length, 1) * rowH}" role="img" aria-labelledby="${id}-title ${id}-desc"${svgDirection()}>
<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>
${bars}
</svg>`;
}

/** A count's share of a total, in percent with one decimal ("—" of nothing). */
export function share(value: number, total: number): string {
  return total === 0 ? '—' : `${((100 * value) / total).toFixed(1)} %`;
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A label near an edge grows inwards, so it is never cut off. */
const anchorAt = (x: number, width: number) => (x < width * 0.15 ? 'start' : x > width * 0.85 ? 'end' : 'middle');
