// Thống kê một cửa (#/onestop-stats): GET /stats/dossiers over a period (month, quarter
// "Quý II/2017", year or custom dates) grouped by receiving unit or by procedure — received,
// resolved early / on time / late, in process on time / overdue, returned, apologies, overdue
// without apology, average working days, on-time rate ("93,5%") — as cards, a stacked bar chart
// (chart.js) and a table, with the CSV / XLSX exports. The choice lives in the URL.
import { get } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, parseDmy } from '../util.js';
import { errorBox, dataTable } from '../ui.js';
import { stackedBars } from '../chart.js';
import { fmtRate, todayIso } from './tasks-common.js';

const SERIES = [
  { key: 'early', label: 'Giải quyết trước hạn' },
  { key: 'on_time', label: 'Giải quyết đúng hạn' },
  { key: 'late', label: 'Giải quyết quá hạn' },
  { key: 'in_process_on_time', label: 'Đang giải quyết trong hạn' },
  { key: 'in_process_overdue', label: 'Đang giải quyết quá hạn' },
];
const ROMAN = ['', 'I', 'II', 'III', 'IV'];
const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function periodOf(kind, year, quarter, month, from, to) {
  if (kind === 'month') return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDay(year, month))}`, label: `Tháng ${month}/${year}` };
  if (kind === 'quarter') {
    const m0 = (quarter - 1) * 3 + 1, m1 = m0 + 2;
    return { from: `${year}-${pad(m0)}-01`, to: `${year}-${pad(m1)}-${pad(lastDay(year, m1))}`, label: `Quý ${ROMAN[quarter]}/${year}` };
  }
  if (kind === 'custom') return { from, to, label: `Từ ${fmtDate(from)} đến ${fmtDate(to)}` };
  return { from: `${year}-01-01`, to: `${year}-12-31`, label: `Năm ${year}` };
}

export default async function render(root, ctx) {
  ctx.setTitle('Thống kê một cửa');
  const today = todayIso();
  const [ty, tm] = today.split('-').map(Number);
  const p = ctx.params;
  const int = (v, lo, hi, d) => { const n = Number(v); return v !== null && Number.isInteger(n) && n >= lo && n <= hi ? n : d; };
  let kind = ['year', 'quarter', 'month', 'custom'].includes(p.get('ky')) ? p.get('ky') : 'month';
  let year = int(p.get('nam'), 1900, 2199, ty);
  let quarter = int(p.get('quy'), 1, 4, Math.floor((tm - 1) / 3) + 1);
  let month = int(p.get('thang'), 1, 12, tm);
  let groupBy = p.get('theo') === 'procedure' ? 'procedure' : 'unit';

  const kindSel = h('select', { id: 'os-kind' }, h('option', { value: 'month' }, 'Tháng'), h('option', { value: 'quarter' }, 'Quý'),
    h('option', { value: 'year' }, 'Năm'), h('option', { value: 'custom' }, 'Khoảng ngày tùy chọn'));
  const yearSel = h('select', { id: 'os-year' });
  for (let y = Math.min(2017, year); y <= Math.max(ty + 1, year); y++) yearSel.appendChild(h('option', { value: String(y) }, String(y)));
  const quarterSel = h('select', { id: 'os-quarter' }, [1, 2, 3, 4].map((q) => h('option', { value: String(q) }, `Quý ${ROMAN[q]}`)));
  const monthSel = h('select', { id: 'os-month' }, Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1) }, `Tháng ${i + 1}`)));
  const fromIn = h('input', { id: 'os-from', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', class: 'input-date', autocomplete: 'off' });
  const toIn = h('input', { id: 'os-to', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', class: 'input-date', autocomplete: 'off' });
  const groupSel = h('select', { id: 'os-group' }, h('option', { value: 'unit' }, 'Đơn vị tiếp nhận'), h('option', { value: 'procedure' }, 'Thủ tục hành chính'));
  kindSel.value = kind;
  yearSel.value = String(year);
  quarterSel.value = String(quarter);
  monthSel.value = String(month);
  groupSel.value = groupBy;
  fromIn.value = fmtDate(p.get('tu') || `${ty}-${pad(tm)}-01`);
  toIn.value = fmtDate(p.get('den') || today);

  const fYear = h('div', { class: 'field field-inline' }, h('label', { for: 'os-year' }, 'Năm'), yearSel);
  const fQuarter = h('div', { class: 'field field-inline' }, h('label', { for: 'os-quarter' }, 'Quý'), quarterSel);
  const fMonth = h('div', { class: 'field field-inline' }, h('label', { for: 'os-month' }, 'Tháng'), monthSel);
  const fRange = h('fieldset', { class: 'field field-range' }, h('legend', null, 'Khoảng ngày tiếp nhận'),
    h('div', { class: 'range-row' },
      h('label', { for: 'os-from', class: 'sr-only' }, 'Từ ngày'), h('span', { 'aria-hidden': 'true' }, 'từ'), fromIn,
      h('label', { for: 'os-to', class: 'sr-only' }, 'Đến ngày'), h('span', { 'aria-hidden': 'true' }, 'đến'), toIn));
  const csv = h('a', { class: 'btn btn-small', href: '#', download: '' }, 'Xuất CSV');
  const xlsx = h('a', { class: 'btn btn-small', href: '#', download: '' }, 'Xuất Excel (XLSX)');
  const picker = h('div', { class: 'toolbar dash-picker' },
    h('div', { class: 'field field-inline' }, h('label', { for: 'os-kind' }, 'Kỳ thống kê'), kindSel),
    fYear, fQuarter, fMonth, fRange,
    h('div', { class: 'field field-inline' }, h('label', { for: 'os-group' }, 'Tổng hợp theo'), groupSel),
    h('div', { class: 'toolbar-buttons' }, csv, xlsx));
  const periodLine = h('p', { class: 'dash-period os-period', 'aria-live': 'polite' });
  const status = h('div', { class: 'list-status' });
  const cards = h('ul', { class: 'stat-cards', 'aria-label': 'Tổng hợp' });
  const chartBox = h('div', { class: 'chart-box' });
  const legend = h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
    SERIES.map((s) => h('li', null, h('span', { class: `swatch seg-${s.key}` }), s.label)));
  const tableHolder = h('div');
  root.append(picker, periodLine, status, cards,
    h('section', { class: 'panel dash-chart', 'aria-labelledby': 'os-chart-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'os-chart-h', class: 'panel-title' }, 'Tình hình giải quyết hồ sơ'), legend), chartBox),
    h('section', { 'aria-labelledby': 'os-table-h' },
      h('h2', { id: 'os-table-h', class: 'section-title' }, 'Bảng tổng hợp'), tableHolder,
      h('p', { class: 'hint dash-note' },
        'Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / số hồ sơ đã giải quyết. Hồ sơ tiếp nhận trong kỳ; số đang giải quyết tính đến cuối kỳ hoặc đến hôm nay.')));

  function showFields() {
    fYear.hidden = kind === 'custom';
    fQuarter.hidden = kind !== 'quarter';
    fMonth.hidden = kind !== 'month';
    fRange.hidden = kind !== 'custom';
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    showFields();
    let from = null, to = null;
    if (kind === 'custom') {
      from = parseDmy(fromIn.value);
      to = parseDmy(toIn.value);
      for (const [el, v] of [[fromIn, from], [toIn, to]]) { if (!v) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid'); }
      if (!from || !to) { setChildren(status, errorBox('Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.')); return; }
      if (from > to) { setChildren(status, errorBox('Ngày bắt đầu phải trước ngày kết thúc.')); return; }
    }
    const range = periodOf(kind, year, quarter, month, from, to);
    const u = new URLSearchParams({ ky: kind, theo: groupBy });
    if (kind !== 'custom') u.set('nam', String(year));
    if (kind === 'quarter') u.set('quy', String(quarter));
    if (kind === 'month') u.set('thang', String(month));
    if (kind === 'custom') { u.set('tu', from); u.set('den', to); }
    history.replaceState(null, '', `#/onestop-stats?${u}`);
    const q = new URLSearchParams({ from: range.from, to: range.to, group_by: groupBy });
    for (const [a, f] of [[csv, 'csv'], [xlsx, 'xlsx']]) { const e = new URLSearchParams(q); e.set('format', f); a.href = `/api/v1/stats/dossiers/export?${e}`; }
    periodLine.textContent = `${range.label} (từ ${fmtDate(range.from)} đến ${fmtDate(range.to)}), số liệu đến ngày ${fmtDate(today)}.`;
    root.setAttribute('aria-busy', 'true');
    try {
      const s = await get(`/stats/dossiers?${q}`, { signal: ctx.signal });
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

  const nameOf = (x) => (groupBy === 'procedure' ? x.procedure_name || x.procedure_code || '' : x.unit_name || '');
  const avg = (v) => (v === null || v === undefined ? '—' : fmtNumber(Math.round(Number(v) * 10) / 10));

  function draw(s, range) {
    const t = s.total || {};
    const card = (key, label, value, cls) => h('li', { class: `stat-card ${cls}`, 'data-stat': key },
      h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value));
    setChildren(cards,
      card('received', 'Tiếp nhận', fmtNumber(t.received || 0), 'sc-total'),
      card('resolved', 'Đã giải quyết', fmtNumber(t.resolved || 0), 'sc-done'),
      card('late', 'Giải quyết quá hạn', fmtNumber(t.late || 0), 'sc-late'),
      card('in_process', 'Đang giải quyết', fmtNumber(t.in_process ?? ((t.in_process_on_time || 0) + (t.in_process_overdue || 0))), 'sc-progress'),
      card('in_process_overdue', 'Đang quá hạn', fmtNumber(t.in_process_overdue || 0), 'sc-overdue'),
      card('on_time_rate', 'Tỷ lệ đúng hạn', fmtRate(t.on_time_rate), 'sc-rate'));

    const items = s.items || [];
    if (!items.length) setChildren(chartBox, h('p', { class: 'empty-note' }, `Không có hồ sơ nào trong ${range.label.toLowerCase()}.`));
    else {
      setChildren(chartBox, stackedBars({
        title: `Tình hình giải quyết hồ sơ theo ${groupBy === 'procedure' ? 'thủ tục' : 'đơn vị'}, ${range.label}`,
        desc: items.map((x) => `${nameOf(x)}: tiếp nhận ${x.received}, trước hạn ${x.early}, đúng hạn ${x.on_time}, quá hạn ${x.late}, đang giải quyết trong hạn ${x.in_process_on_time}, đang quá hạn ${x.in_process_overdue}`).join('; '),
        rows: items.map((x) => ({ label: nameOf(x), values: SERIES.map((se) => x[se.key] || 0) })),
        series: SERIES,
        width: Math.max(640, Math.min(1200, Math.round(chartBox.clientWidth || 880))),
        labelWidth: 260,
      }));
    }

    const cols = [
      { label: groupBy === 'procedure' ? 'Thủ tục' : 'Đơn vị' },
      { label: 'Tiếp nhận', class: 'col-num', key: 'received' },
      { label: 'Trước hạn', class: 'col-num', key: 'early' },
      { label: 'Đúng hạn', class: 'col-num', key: 'on_time' },
      { label: 'Quá hạn', class: 'col-num', key: 'late' },
      { label: 'Đang GQ trong hạn', class: 'col-num', key: 'in_process_on_time' },
      { label: 'Đang GQ quá hạn', class: 'col-num', key: 'in_process_overdue' },
      { label: 'Đã trả', class: 'col-num', key: 'returned' },
      { label: 'Xin lỗi', class: 'col-num', key: 'apologies' },
      { label: 'Quá hạn chưa xin lỗi', class: 'col-num', key: 'unapologised' },
      { label: 'Số ngày GQ bình quân', class: 'col-num', key: 'avg_work_days' },
      { label: 'Tỷ lệ đúng hạn', class: 'col-num col-rate', key: 'on_time_rate' },
    ];
    const table = dataTable({ caption: `Thống kê hồ sơ một cửa, ${range.label}`, columns: cols, className: 'os-stats-table' });
    const cell = (x, c) => {
      if (c.key === 'on_time_rate') return fmtRate(x.on_time_rate);
      if (c.key === 'avg_work_days') return avg(x.avg_work_days);
      if (c.key === 'unapologised') return fmtNumber((x.overdue_unapologised || 0) + (x.late_unapologised || 0));
      return fmtNumber(x[c.key] || 0);
    };
    const warn = (x, c) => (c.key === 'in_process_overdue' || c.key === 'unapologised' || c.key === 'late') && Number(cell(x, c).replace(/\./g, '')) > 0;
    const rows = items.map((x) => h('tr', { 'data-unit': x.unit_id ?? null, 'data-procedure': x.procedure_id ?? null },
      cols.map((c, i) => (i === 0 ? h('td', { class: 'col-name' }, nameOf(x))
        : h('td', { class: `${c.class}${warn(x, c) ? ' num-overdue' : ''}`, 'data-key': c.key }, cell(x, c))))));
    if (items.length) {
      rows.push(h('tr', { class: 'row-total', 'data-total': '1' }, cols.map((c, i) => (i === 0 ? h('td', { class: 'col-name' }, 'Tổng cộng')
        : h('td', { class: c.class, 'data-key': c.key }, cell(t, c))))));
    }
    table.setRows(rows, `Không có hồ sơ nào trong ${range.label.toLowerCase()}.`);
    setChildren(tableHolder, table.el);
  }

  kindSel.addEventListener('change', () => { kind = kindSel.value; load(); });
  yearSel.addEventListener('change', () => { year = Number(yearSel.value); load(); });
  quarterSel.addEventListener('change', () => { quarter = Number(quarterSel.value); load(); });
  monthSel.addEventListener('change', () => { month = Number(monthSel.value); load(); });
  groupSel.addEventListener('change', () => { groupBy = groupSel.value; load(); });
  for (const el of [fromIn, toIn]) {
    el.addEventListener('change', load);
    el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); load(); } });
  }
  await load();
  return undefined;
}
