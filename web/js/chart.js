// A tiny SVG chart helper (no library): horizontal stacked bars, one row per category.
// Colours come from CSS classes (.seg-<key>), so the page's stylesheet decides them and the
// Content-Security-Policy (no inline styles) is respected. The chart is an image for assistive
// technology (role=img with a title and a description); pages show the same numbers in a table.
import { fmtNumber, nextId } from './util.js';

const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, ...kids) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

/** A "nice" step for about `count` ticks up to max: 1, 2, 5 × 10^n. */
function niceStep(max, count = 5) {
  if (max <= count) return 1;
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * rows: [{label, values: [n per series], href?}]; series: [{key, label}].
 * Returns an <svg> whose width follows its container (viewBox, width 100%).
 */
export function stackedBars({ rows, series, title, desc, width = 880, labelWidth = 230, rowHeight = 30, barHeight = 18 }) {
  const titleId = nextId('chart-t');
  const descId = nextId('chart-d');
  const top = 28;
  const bottom = 8;
  const right = 48;
  const plotW = width - labelWidth - right;
  const height = top + rows.length * rowHeight + bottom;
  const totals = rows.map((r) => r.values.reduce((a, b) => a + (Number(b) || 0), 0));
  const max = Math.max(1, ...totals);
  const step = niceStep(max);
  const axisMax = Math.ceil(max / step) * step;
  const x = (v) => labelWidth + (plotW * v) / axisMax;

  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`, width: '100%', class: 'chart chart-stacked', role: 'img',
    'aria-labelledby': titleId, 'aria-describedby': descId, preserveAspectRatio: 'xMinYMin meet',
  }, el('title', { id: titleId }, title || 'Biểu đồ'), el('desc', { id: descId }, desc || ''));

  // grid and axis labels
  const grid = el('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  for (let v = 0; v <= axisMax + 1e-9; v += step) {
    const gx = x(v);
    grid.append(el('line', { x1: gx, x2: gx, y1: top - 6, y2: height - bottom, class: v === 0 ? 'chart-axis' : 'chart-gridline' }));
    grid.append(el('text', { x: gx, y: top - 11, 'text-anchor': 'middle', class: 'chart-tick' }, fmtNumber(v)));
  }
  svg.append(grid);

  rows.forEach((r, i) => {
    const y = top + i * rowHeight;
    const g = el('g', { class: 'chart-row' });
    const label = el('text', { x: labelWidth - 10, y: y + rowHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'chart-label' },
      clip(r.label, 34));
    if (r.label.length > 34) label.append(el('title', {}, r.label));
    g.append(label);
    let acc = 0;
    r.values.forEach((v, k) => {
      const n = Number(v) || 0;
      if (!n) return;
      const x0 = x(acc);
      const x1 = x(acc + n);
      acc += n;
      g.append(el('rect', {
        x: x0, y: y + (rowHeight - barHeight) / 2, width: Math.max(0.5, x1 - x0), height: barHeight,
        class: `seg seg-${series[k].key}`,
      }, el('title', {}, `${r.label} — ${series[k].label}: ${fmtNumber(n)}`)));
    });
    g.append(el('text', { x: x(acc) + 6, y: y + rowHeight / 2, 'dominant-baseline': 'middle', class: 'chart-total' }, fmtNumber(totals[i])));
    svg.append(g);
  });
  return svg;
}
