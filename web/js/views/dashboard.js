// Bảng điều khiển: timeliness of the tasks due in a period (GET /stats/tasks?from=&to=, optionally
// of one directive): totals as cards, a stacked bar per lead unit (done on time, done late, open
// in time, open overdue) and the ranking of the units by on-time rate. The period is a month, a
// quarter or a year (default: the current year); the choice lives in the URL
// (#/dashboard?ky=year&nam=2017…).
import { get } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber } from '../util.js';
import { errorBox, dataTable } from '../ui.js';
import { stackedBars } from '../chart.js';
import { fmtRate, todayIso, truncate } from './tasks-common.js';

const SERIES = [
  { key: 'done_on_time', label: 'Hoàn thành đúng hạn' },
  { key: 'done_late', label: 'Hoàn thành quá hạn' },
  { key: 'open_in_time', label: 'Đang thực hiện trong hạn' },
  { key: 'open_overdue', label: 'Quá hạn chưa hoàn thành' },
];
const ROMAN = ['', 'I', 'II', 'III', 'IV'];
const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** {from, to, label} of a period. */
export function periodRange(kind, year, quarter, month) {
  if (kind === 'month') {
    return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDay(year, month))}`, label: `tháng ${month}/${year}` };
  }
  if (kind === 'quarter') {
    const m0 = (quarter - 1) * 3 + 1, m1 = m0 + 2;
    return { from: `${year}-${pad(m0)}-01`, to: `${year}-${pad(m1)}-${pad(lastDay(year, m1))}`, label: `quý ${ROMAN[quarter]}/${year}` };
  }
  return { from: `${year}-01-01`, to: `${year}-12-31`, label: `năm ${year}` };
}

export default async function render(root, ctx) {
  const today = todayIso();
  const [ty, tm] = today.split('-').map(Number);
  const p = ctx.params;
  const int = (v, lo, hi, d) => { const n = Number(v); return Number.isInteger(n) && n >= lo && n <= hi ? n : d; };
  let kind = ['year', 'quarter', 'month'].includes(p.get('ky')) ? p.get('ky') : 'year';
  let year = int(p.get('nam'), 1900, 2199, ty);
  let quarter = int(p.get('quy'), 1, 4, Math.floor((tm - 1) / 3) + 1);
  let month = int(p.get('thang'), 1, 12, tm);

  // --- the period picker ---
  const kindSel = h('select', { id: 'dash-kind' },
    h('option', { value: 'year' }, 'Năm'), h('option', { value: 'quarter' }, 'Quý'), h('option', { value: 'month' }, 'Tháng'));
  const yearSel = h('select', { id: 'dash-year' });
  const years = new Set();
  for (let y = Math.min(2017, year); y <= Math.max(ty + 1, year); y++) years.add(y);
  for (const y of [...years].sort((a, b) => b - a)) yearSel.appendChild(h('option', { value: String(y) }, String(y)));
  const quarterSel = h('select', { id: 'dash-quarter' }, [1, 2, 3, 4].map((q) => h('option', { value: String(q) }, `Quý ${ROMAN[q]}`)));
  const monthSel = h('select', { id: 'dash-month' }, Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1) }, `Tháng ${i + 1}`)));
  const dirSel = h('select', { id: 'dash-directive' }, h('option', { value: '' }, 'Tất cả văn bản'));
  const quarterField = h('div', { class: 'field field-inline' }, h('label', { for: 'dash-quarter' }, 'Quý'), quarterSel);
  const monthField = h('div', { class: 'field field-inline' }, h('label', { for: 'dash-month' }, 'Tháng'), monthSel);
  kindSel.value = kind;
  yearSel.value = String(year);
  quarterSel.value = String(quarter);
  monthSel.value = String(month);

  const picker = h('div', { class: 'toolbar dash-picker', role: 'group', 'aria-label': 'Kỳ thống kê' },
    h('div', { class: 'field field-inline' }, h('label', { for: 'dash-kind' }, 'Thống kê theo'), kindSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'dash-year' }, 'Năm'), yearSel),
    quarterField, monthField,
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'dash-directive' }, 'Văn bản chỉ đạo'), dirSel));

  const periodLine = h('p', { class: 'dash-period', 'aria-live': 'polite' });
  const status = h('div', { class: 'list-status' });
  const cards = h('ul', { class: 'stat-cards', 'aria-label': 'Tổng hợp' });
  const chartBox = h('div', { class: 'chart-box' });
  const legend = h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
    SERIES.map((s) => h('li', null, h('span', { class: `swatch seg-${s.key}` }), s.label)));
  const table = dataTable({
    caption: 'Xếp hạng đơn vị theo tỷ lệ hoàn thành đúng hạn',
    columns: [
      { label: 'Hạng', class: 'col-num col-rank' },
      { label: 'Đơn vị' },
      { label: 'Giao', class: 'col-num' },
      { label: 'Đúng hạn', class: 'col-num' },
      { label: 'Hoàn thành quá hạn', class: 'col-num' },
      { label: 'Trong hạn', class: 'col-num' },
      { label: 'Quá hạn chưa HT', class: 'col-num' },
      { label: 'Tỷ lệ đúng hạn', class: 'col-num col-rate' },
    ],
    className: 'rank-table',
  });

  root.append(picker, periodLine, status, cards,
    h('section', { class: 'panel dash-chart', 'aria-labelledby': 'dash-chart-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'dash-chart-h', class: 'panel-title' }, 'Kết quả thực hiện theo đơn vị chủ trì'), legend),
      chartBox),
    h('section', { 'aria-labelledby': 'dash-rank-h' },
      h('h2', { id: 'dash-rank-h', class: 'section-title' }, 'Xếp hạng đơn vị'),
      table.el,
      h('p', { class: 'hint dash-note' },
        'Tỷ lệ đúng hạn = số nhiệm vụ hoàn thành đúng hạn / (hoàn thành đúng hạn + hoàn thành quá hạn + quá hạn chưa hoàn thành). ',
        'Tính các nhiệm vụ có hạn trong kỳ; không tính nhiệm vụ đã hủy, nhiệm vụ giao cho nhóm (tính theo từng đơn vị) và mẫu định kỳ (tính theo từng kỳ).')));

  get('/directives?limit=500', { signal: ctx.signal }).then((r) => {
    for (const o of [...dirSel.options]) if (o.dataset.placeholder) o.remove();
    for (const d of r.items || []) dirSel.appendChild(h('option', { value: String(d.id) }, `${d.number} — ${truncate(d.title, 50)}`));
    dirSel.value = p.get('van_ban') || '';
  }).catch(() => {});
  if (p.get('van_ban')) {
    dirSel.appendChild(h('option', { value: p.get('van_ban'), 'data-placeholder': '1' }, `Văn bản #${p.get('van_ban')}`));
    dirSel.value = p.get('van_ban');
  }

  let seq = 0;

  function showFields() {
    quarterField.hidden = kind !== 'quarter';
    monthField.hidden = kind !== 'month';
  }

  async function load() {
    const my = ++seq;
    showFields();
    const range = periodRange(kind, year, quarter, month);
    const u = new URLSearchParams({ ky: kind, nam: String(year) });
    if (kind === 'quarter') u.set('quy', String(quarter));
    if (kind === 'month') u.set('thang', String(month));
    if (dirSel.value) u.set('van_ban', dirSel.value);
    history.replaceState(null, '', `#/dashboard?${u}`);
    periodLine.textContent = `Nhiệm vụ có hạn hoàn thành trong ${range.label} (từ ${fmtDate(range.from)} đến ${fmtDate(range.to)}), số liệu đến ngày ${fmtDate(today)}.`;
    root.setAttribute('aria-busy', 'true');
    try {
      const q = new URLSearchParams({ from: range.from, to: range.to });
      if (dirSel.value) q.set('directive_id', dirSel.value);
      const s = await get(`/stats/tasks?${q}`, { signal: ctx.signal });
      if (my !== seq) return;
      setChildren(status);
      draw(s, range);
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      setChildren(status, errorBox(e.message));
    } finally {
      if (my === seq) root.removeAttribute('aria-busy');
    }
  }

  function tasksLink(range, extra = {}) {
    const u = new URLSearchParams({ mine: '0', due_from: range.from, due_to: range.to, ...extra });
    if (dirSel.value) u.set('directive_id', dirSel.value);
    return `#/tasks?${u}`;
  }

  function draw(s, range) {
    const t = s.total;
    const card = (key, label, value, cls, href) => h('li', { class: `stat-card ${cls}`, 'data-stat': key },
      h('span', { class: 'stat-label' }, label),
      href ? h('a', { class: 'stat-value', href }, value) : h('span', { class: 'stat-value' }, value));
    setChildren(cards,
      card('assigned', 'Giao', fmtNumber(t.assigned), 'sc-total', tasksLink(range)),
      card('done_on_time', 'Hoàn thành đúng hạn', fmtNumber(t.done_on_time), 'sc-done', tasksLink(range, { status: 'done_on_time' })),
      card('done_late', 'Hoàn thành quá hạn', fmtNumber(t.done_late), 'sc-late', tasksLink(range, { status: 'done_late' })),
      card('open_in_time', 'Đang thực hiện trong hạn', fmtNumber(t.open_in_time), 'sc-progress', tasksLink(range, { status: 'in_progress' })),
      card('open_overdue', 'Quá hạn chưa hoàn thành', fmtNumber(t.open_overdue), 'sc-overdue', tasksLink(range, { status: 'in_progress_overdue' })),
      card('on_time_rate', 'Tỷ lệ đúng hạn', fmtRate(t.on_time_rate), 'sc-rate', null));

    const units = s.units || [];
    if (!units.length) {
      setChildren(chartBox, h('p', { class: 'empty-note' }, `Không có nhiệm vụ nào có hạn trong ${range.label}.`));
    } else {
      setChildren(chartBox, stackedBars({
        title: `Kết quả thực hiện nhiệm vụ theo đơn vị, ${range.label}`,
        desc: units.map((x) => `${x.unit_name}: giao ${x.assigned}, đúng hạn ${x.done_on_time}, hoàn thành quá hạn ${x.done_late}, trong hạn ${x.open_in_time}, quá hạn chưa hoàn thành ${x.open_overdue}`).join('; '),
        rows: units.map((x) => ({ label: x.unit_name, values: SERIES.map((se) => x[se.key]) })),
        series: SERIES,
        width: Math.max(640, Math.min(1200, Math.round(chartBox.clientWidth || 880))),
        labelWidth: 250,
      }));
    }
    table.setRows(units.map((x) => h('tr', { 'data-unit': x.unit_id },
      h('td', { class: 'col-num col-rank' }, h('span', { class: `rank rank-${Math.min(x.rank, 4)}` }, fmtNumber(x.rank))),
      h('td', { class: 'col-name' }, h('a', { href: tasksLink(range, { lead_unit_id: String(x.unit_id) }) }, x.unit_name)),
      h('td', { class: 'col-num' }, fmtNumber(x.assigned)),
      h('td', { class: 'col-num' }, fmtNumber(x.done_on_time)),
      h('td', { class: 'col-num' }, fmtNumber(x.done_late)),
      h('td', { class: 'col-num' }, fmtNumber(x.open_in_time)),
      h('td', { class: `col-num${x.open_overdue ? ' num-overdue' : ''}` }, fmtNumber(x.open_overdue)),
      h('td', { class: 'col-num col-rate' }, fmtRate(x.on_time_rate)))), `Không có nhiệm vụ nào có hạn trong ${range.label}.`);
  }

  kindSel.addEventListener('change', () => { kind = kindSel.value; load(); });
  yearSel.addEventListener('change', () => { year = Number(yearSel.value); load(); });
  quarterSel.addEventListener('change', () => { quarter = Number(quarterSel.value); load(); });
  monthSel.addEventListener('change', () => { month = Number(monthSel.value); load(); });
  dirSel.addEventListener('change', () => load());
  await load();
  return undefined;
}
