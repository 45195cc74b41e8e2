// Lịch làm việc: the month grid of working days and days off (GET /calendar/days) with the
// lunar date of each day, the deadline tool (GET /calendar/add, /calendar/count), and the year's
// official schedule (GET /calendar/schedule). An admin edits the schedule: POST / PATCH (with
// version) / DELETE /calendar/entries, PUT / DELETE /calendar/years/:year.
// Route: #/calendar or #/calendar/YYYY-MM.
import { api, get, post, patch, del } from '../api.js';
import { h, setChildren, fmtDate, parseDmy, nextId } from '../util.js';
import { formDialog, confirmDialog, notify, errorBox, loading, dataTable } from '../ui.js';

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const WEEKDAYS = ['', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'];
const WEEKDAYS_SHORT = ['', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'CN'];
const LUNAR_MONTHS = ['', 'Giêng', 'Hai', 'Ba', 'Tư', 'Năm', 'Sáu', 'Bảy', 'Tám', 'Chín', 'Mười', 'Mười một', 'Chạp'];
const CAN = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'];
const CHI = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'];

// ---------- dates (plain ISO strings; arithmetic in UTC so no zone can shift a day) ----------

const pad = (n) => String(n).padStart(2, '0');
const iso = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
function parts(s) {
  const [y, m, d] = s.split('-').map(Number);
  return { y, m, d };
}
function toUtc(s) {
  const { y, m, d } = parts(s);
  return Date.UTC(y, m - 1, d);
}
function fromUtc(ms) {
  const t = new Date(ms);
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
const addDays = (s, n) => fromUtc(toUtc(s) + n * 86400000);
/** 1 = Monday … 7 = Sunday, as the API counts. */
const weekdayOf = (s) => ((new Date(toUtc(s)).getUTCDay() + 6) % 7) + 1;
const daysInMonth = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** Today in Hanoi (UTC+7). */
function todayHanoi() {
  return fromUtc(Date.now() + 7 * 3600 * 1000).slice(0, 10);
}
const clampDay = (s) => (s < `${MIN_YEAR}-01-01` ? `${MIN_YEAR}-01-01` : s > `${MAX_YEAR}-12-31` ? `${MAX_YEAR}-12-31` : s);

/** "Thứ Tư, 21/02/2018". */
export function longDate(s) {
  return `${WEEKDAYS[weekdayOf(s)]}, ${fmtDate(s)}`;
}

/** The Can Chi name of a lunar year: 2018 → "Mậu Tuất". */
export function canChi(year) {
  return `${CAN[(((year + 6) % 10) + 10) % 10]} ${CHI[(((year + 8) % 12) + 12) % 12]}`;
}

/** The reason of a day in Vietnamese ('' for an ordinary working day). */
export function reasonText(reason, weekday) {
  if (!reason) return '';
  if (reason === 'weekend') return 'Nghỉ cuối tuần';
  if (reason === 'swapped-workday') return weekday === 7 ? 'Làm bù Chủ nhật' : 'Làm bù thứ Bảy';
  const i = reason.indexOf(':');
  const kind = i < 0 ? reason : reason.slice(0, i);
  const name = i < 0 ? '' : reason.slice(i + 1);
  switch (kind) {
    case 'holiday': return `Ngày lễ: ${name}`;
    case 'compensatory': return `Nghỉ bù: ${name}`;
    case 'official': return `Nghỉ theo lịch chính thức: ${name}`;
    default: return reason;
  }
}

/** The CSS kind of a day: work, weekend, holiday, comp, official, swap. */
function dayKind(day) {
  if (day.reason === 'swapped-workday') return 'swap';
  if (day.work) return 'work';
  const k = String(day.reason || '').split(':')[0];
  return { weekend: 'weekend', holiday: 'holiday', compensatory: 'comp', official: 'official' }[k] || 'official';
}

function lunarParts(day) {
  const { y, m, d } = parts(day.lunar);
  return { y, m, d, leap: !!day.lunar_leap };
}

function lunarMonthName(m, leap) {
  return `tháng ${LUNAR_MONTHS[m] || m}${leap ? ' nhuận' : ''}`;
}

function parseYm(s) {
  const m = /^(\d{4})-(\d{2})$/.exec(s || '');
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2]);
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12) return null;
  return { y, m: mo };
}

// ---------- the page ----------

export default async function render(root, ctx) {
  const isAdmin = ctx.allows('POST /api/v1/calendar/entries');
  const today = todayHanoi();
  let view = parseYm(ctx.parts[1]);
  if (ctx.parts[1] && !view) notify('Tháng trong địa chỉ không hợp lệ; đang hiển thị tháng hiện tại.', 'error');
  if (!view) view = { y: parts(today).y, m: parts(today).m };

  let days = new Map();        // ISO date → day of the grid
  let selected = null;         // ISO date picked in the grid (aria-selected)
  let focusDate = null;        // the grid cell that holds tabindex=0
  let highlight = null;        // the result of the deadline tool
  let schedule = null;         // the schedule of scheduleYear
  let scheduleYear = null;
  let seq = 0;

  // --- month header and navigation ---
  const titleId = nextId('cal-title');
  const monthTitle = h('h2', { class: 'cal-title', id: titleId, 'aria-live': 'polite' });
  const lunarLine = h('p', { class: 'cal-sub' });
  const summary = h('p', { class: 'cal-summary', 'data-testid': 'cal-summary' });
  const navBtn = (label, aria, delta) => h('button', {
    type: 'button', class: 'btn btn-small cal-nav-btn', 'aria-label': aria, title: aria,
    onclick: () => go(shift(view, delta)),
  }, label);
  const prevYear = navBtn('«', 'Năm trước', -12);
  const prevMonth = navBtn('‹', 'Tháng trước', -1);
  const nextMonth = navBtn('›', 'Tháng sau', 1);
  const nextYear = navBtn('»', 'Năm sau', 12);
  const todayBtn = h('button', { type: 'button', class: 'btn btn-small', onclick: () => { const t = parts(today); go({ y: t.y, m: t.m }, today); } }, 'Hôm nay');
  const monthSel = h('select', { id: 'cal-month', class: 'cal-month-sel' });
  for (let m = 1; m <= 12; m++) monthSel.appendChild(h('option', { value: String(m) }, `Tháng ${m}`));
  const yearInput = h('input', { id: 'cal-year', type: 'number', class: 'cal-year-input', min: String(MIN_YEAR), max: String(MAX_YEAR), inputmode: 'numeric' });
  monthSel.addEventListener('change', () => go({ y: view.y, m: Number(monthSel.value) }));
  const yearGo = () => {
    const y = Number(yearInput.value);
    if (Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR) go({ y, m: view.m });
    else { yearInput.value = String(view.y); notify(`Năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}.`, 'error'); }
  };
  yearInput.addEventListener('change', yearGo);
  yearInput.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); yearGo(); } });

  const header = h('div', { class: 'cal-head' },
    h('div', { class: 'cal-head-text' }, monthTitle, lunarLine),
    h('div', { class: 'cal-nav', role: 'group', 'aria-label': 'Chuyển tháng' },
      prevYear, prevMonth, todayBtn, nextMonth, nextYear,
      h('label', { for: 'cal-month', class: 'sr-only' }, 'Tháng'), monthSel,
      h('label', { for: 'cal-year', class: 'sr-only' }, 'Năm'), yearInput));

  // --- the grid ---
  const gridStatus = h('div', { class: 'cal-status' });
  const tbody = h('tbody');
  const grid = h('table', { class: 'cal-grid', role: 'grid', 'aria-labelledby': titleId, 'aria-describedby': 'cal-help' },
    h('thead', null, h('tr', null, [1, 2, 3, 4, 5, 6, 7].map((w) => h('th', { scope: 'col', class: w >= 6 ? 'cal-wd cal-wd-end' : 'cal-wd', abbr: WEEKDAYS[w] },
      h('span', { class: 'wd-long' }, WEEKDAYS[w]), h('span', { class: 'wd-short', 'aria-hidden': 'true' }, WEEKDAYS_SHORT[w]))))),
    tbody);
  const help = h('p', { class: 'hint cal-help', id: 'cal-help' },
    'Dùng phím mũi tên để chuyển ngày, Page Up / Page Down để chuyển tháng; Enter chọn ngày làm ngày bắt đầu tính hạn.');

  const legendItems = [
    ['work', 'Ngày làm việc'],
    ['weekend', 'Nghỉ cuối tuần'],
    ['holiday', 'Ngày lễ'],
    ['comp', 'Nghỉ bù'],
    ['official', 'Nghỉ theo lịch chính thức'],
    ['swap', 'Làm bù thứ Bảy'],
    ['today', 'Hôm nay'],
  ];
  const legend = h('section', { class: 'panel cal-legend', 'aria-labelledby': 'cal-legend-h' },
    h('h3', { id: 'cal-legend-h' }, 'Chú giải'),
    h('ul', null, legendItems.map(([k, t]) => h('li', null, h('span', { class: `cal-swatch sw-${k}`, 'aria-hidden': 'true' }), t))),
    h('p', { class: 'hint' }, 'Số nhỏ ở góc mỗi ô là ngày âm lịch (ngày/tháng); ngày mùng 1 ghi tên tháng âm lịch.'));

  // --- the deadline tool ---
  const tool = deadlineTool();

  // --- the schedule ---
  const schedHeading = h('h2', { class: 'section-title', id: 'cal-sched-h' });
  const schedState = h('div', { class: 'cal-sched-state' });
  const schedActions = h('div', { class: 'toolbar-buttons' });
  const schedTable = dataTable({
    caption: 'Lịch nghỉ chính thức',
    columns: [
      { label: 'Ngày', class: 'col-date' },
      { label: 'Loại' },
      { label: 'Tên' },
      { label: 'Nguồn' },
      isAdmin ? { label: 'Thao tác', class: 'col-actions' } : null,
    ].filter(Boolean),
    className: 'cal-sched-table',
  });
  const sourcesBox = h('div', { class: 'cal-sources' });
  const schedBox = h('section', { class: 'cal-sched', 'aria-labelledby': 'cal-sched-h' },
    h('div', { class: 'cal-sched-head' }, schedHeading, schedActions),
    schedState, schedTable.el, sourcesBox);

  root.append(
    h('div', { class: 'cal-layout' },
      h('section', { class: 'panel cal-month', 'aria-labelledby': titleId },
        header, summary, gridStatus, h('div', { class: 'cal-grid-wrap' }, grid), help),
      h('aside', { class: 'cal-side', 'aria-label': 'Công cụ và chú giải' }, tool.el, legend)),
    schedBox);

  // ---------- grid ----------

  function shift(v, months) {
    let idx = v.y * 12 + (v.m - 1) + months;
    idx = Math.max(MIN_YEAR * 12, Math.min(MAX_YEAR * 12 + 11, idx));
    return { y: Math.floor(idx / 12), m: (idx % 12) + 1 };
  }

  /** Shows another month (and its year's schedule); focusOn: a date to focus in the grid. */
  async function go(v, focusOn = null, { keepFocus = false } = {}) {
    view = v;
    history.replaceState(null, '', `#/calendar/${v.y}-${pad(v.m)}`);
    await loadMonth(focusOn, keepFocus);
    if (scheduleYear !== v.y) loadSchedule();
  }

  async function loadMonth(focusOn = null, keepFocus = false) {
    const my = ++seq;
    const { y, m } = view;
    monthSel.value = String(m);
    yearInput.value = String(y);
    prevYear.disabled = y <= MIN_YEAR;
    prevMonth.disabled = y <= MIN_YEAR && m <= 1;
    nextMonth.disabled = y >= MAX_YEAR && m >= 12;
    nextYear.disabled = y >= MAX_YEAR;
    monthTitle.textContent = `Tháng ${m}/${y}`;
    const first = iso(y, m, 1);
    const last = iso(y, m, daysInMonth(y, m));
    const from = clampDay(addDays(first, 1 - weekdayOf(first)));
    const to = clampDay(addDays(last, 7 - weekdayOf(last)));
    grid.setAttribute('aria-busy', 'true');
    try {
      const r = await get(`/calendar/days?from=${from}&to=${to}`, { signal: ctx.signal });
      if (my !== seq) return;
      days = new Map((r.items || []).map((d) => [d.date, d]));
      setChildren(gridStatus);
      if (!focusOn || !focusOn.startsWith(`${y}-${pad(m)}`)) {
        focusOn = (focusDate && focusDate.startsWith(`${y}-${pad(m)}`)) ? focusDate
          : (today.startsWith(`${y}-${pad(m)}`) ? today : first);
      }
      focusDate = focusOn;
      drawGrid(from, to, first, last);
      drawHeader(first, last);
      if (keepFocus) focusCell(focusDate);
    } catch (e) {
      if (e.name === 'AbortError' || my !== seq) return;
      setChildren(gridStatus, errorBox(e.message));
    } finally {
      if (my === seq) grid.removeAttribute('aria-busy');
    }
  }

  function drawHeader(first, last) {
    const a = days.get(first), b = days.get(last);
    if (a && b) {
      const la = lunarParts(a), lb = lunarParts(b);
      const yrs = la.y === lb.y ? `năm ${canChi(la.y)}` : `năm ${canChi(la.y)} – ${canChi(lb.y)}`;
      lunarLine.textContent = `Âm lịch: từ ${la.d}/${la.m}${la.leap ? ' nhuận' : ''} đến ${lb.d}/${lb.m}${lb.leap ? ' nhuận' : ''}, ${yrs}`;
    } else lunarLine.textContent = '';
    let work = 0, off = 0;
    for (const d of days.values()) {
      if (d.date < first || d.date > last) continue;
      if (d.work) work += 1; else off += 1;
    }
    summary.replaceChildren(
      h('span', { class: 'cal-count cal-count-work' }, h('strong', null, String(work)), ' ngày làm việc'),
      h('span', { class: 'cal-count cal-count-off' }, h('strong', null, String(off)), ' ngày nghỉ'));
  }

  function cellLabel(d) {
    const l = lunarParts(d);
    const r = reasonText(d.reason, d.weekday);
    const bits = [`${WEEKDAYS[d.weekday]}, ${fmtDate(d.date)}`,
      `âm lịch ngày ${l.d} ${lunarMonthName(l.m, l.leap)} năm ${canChi(l.y)}`,
      d.work ? (r ? `ngày làm việc, ${r.toLowerCase()}` : 'ngày làm việc') : `ngày nghỉ, ${r}`];
    if (d.date === today) bits.push('hôm nay');
    if (d.date === highlight) bits.push('hạn vừa tính');
    return bits.join('; ');
  }

  function drawGrid(from, to, first, last) {
    const rows = [];
    let tr = null;
    for (let s = from; s <= to; s = addDays(s, 1)) {
      if (weekdayOf(s) === 1 || !tr) { tr = h('tr'); rows.push(tr); }
      const d = days.get(s);
      if (!d) { tr.appendChild(h('td', { class: 'cal-day cal-empty' })); continue; }
      const kind = dayKind(d);
      const l = lunarParts(d);
      const outside = s < first || s > last;
      const reason = reasonText(d.reason, d.weekday);
      const cls = ['cal-day', `k-${kind}`, d.work ? 'is-work' : 'is-off'];
      if (outside) cls.push('is-outside');
      if (s === today) cls.push('is-today');
      if (s === highlight) cls.push('is-due');
      if (l.d === 1) cls.push('is-lunar-first');
      const showNote = kind !== 'work' && kind !== 'weekend';
      const noteText = kind === 'swap' ? reason : reason.replace(/^[^:]*:\s*/, '');
      const td = h('td', {
        class: cls.join(' '),
        role: 'gridcell',
        tabindex: s === focusDate ? '0' : '-1',
        'data-date': s,
        'data-kind': kind,
        'aria-selected': s === selected ? 'true' : 'false',
        'aria-current': s === today ? 'date' : null,
        'aria-label': cellLabel(d),
        title: reason || null,
      },
      h('div', { class: 'cal-cell-top' },
        h('span', { class: 'cal-solar', 'aria-hidden': 'true' }, String(parts(s).d)),
        h('span', { class: 'cal-lunar', 'aria-hidden': 'true' },
          h('span', { class: 'cal-lunar-dm' }, `${l.d}/${l.m}`),
          l.leap ? h('span', { class: 'cal-leap' }, ' nhuận') : null)),
      l.d === 1 ? h('div', { class: 'cal-lunar-month', 'aria-hidden': 'true' }, l.m === 1 && !l.leap ? 'Tết · tháng Giêng' : lunarMonthName(l.m, l.leap).replace(/^t/, 'T')) : null,
      showNote ? h('div', { class: 'cal-note', 'aria-hidden': 'true' }, noteText) : null);
      tr.appendChild(td);
    }
    setChildren(tbody, rows);
  }

  function cellOf(s) {
    return tbody.querySelector(`td[data-date="${s}"]`);
  }

  function focusCell(s) {
    const old = tbody.querySelector('td[tabindex="0"]');
    const td = cellOf(s);
    if (!td) return;
    if (old && old !== td) old.setAttribute('tabindex', '-1');
    td.setAttribute('tabindex', '0');
    focusDate = s;
    td.focus();
  }

  function moveFocus(s) {
    const { y, m } = parts(s);
    if (s < `${MIN_YEAR}-01-01` || s > `${MAX_YEAR}-12-31`) return;
    if (y !== view.y || m !== view.m) go({ y, m }, s, { keepFocus: true });
    else focusCell(s);
  }

  function pick(s) {
    selected = s;
    for (const td of tbody.querySelectorAll('td[aria-selected="true"]')) td.setAttribute('aria-selected', 'false');
    const td = cellOf(s);
    if (td) td.setAttribute('aria-selected', 'true');
    tool.fillDate(s);
  }

  tbody.addEventListener('click', (ev) => {
    const td = ev.target.closest('td[data-date]');
    if (!td) return;
    focusCell(td.dataset.date);
    pick(td.dataset.date);
  });
  tbody.addEventListener('keydown', (ev) => {
    const td = ev.target.closest('td[data-date]');
    if (!td) return;
    const s = td.dataset.date;
    const wd = weekdayOf(s);
    let target = null;
    switch (ev.key) {
      case 'ArrowLeft': target = addDays(s, -1); break;
      case 'ArrowRight': target = addDays(s, 1); break;
      case 'ArrowUp': target = addDays(s, -7); break;
      case 'ArrowDown': target = addDays(s, 7); break;
      case 'Home': target = addDays(s, 1 - wd); break;
      case 'End': target = addDays(s, 7 - wd); break;
      case 'PageUp':
      case 'PageDown': {
        const { y, m, d } = parts(s);
        const v = shift({ y, m }, (ev.key === 'PageUp' ? -1 : 1) * (ev.shiftKey ? 12 : 1));
        target = iso(v.y, v.m, Math.min(d, daysInMonth(v.y, v.m)));
        break;
      }
      case 'Enter':
      case ' ':
        ev.preventDefault();
        pick(s);
        return;
      default: return;
    }
    ev.preventDefault();
    moveFocus(target);
  });

  // ---------- the deadline tool ----------

  function deadlineTool() {
    const mk = (id, label, attrs = {}) => {
      const input = h('input', { id, type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', placeholder: 'dd/mm/yyyy', ...attrs });
      const err = h('p', { class: 'field-error', id: `${id}-err`, hidden: true });
      input.setAttribute('aria-describedby', `${id}-err`);
      return { input, err, row: h('div', { class: 'field' }, h('label', { for: id }, label), input, err) };
    };
    const start = mk('cal-add-date', 'Ngày bắt đầu');
    const n = mk('cal-add-n', 'Số ngày làm việc', { type: 'number', min: '-100000', max: '100000', placeholder: 'Ví dụ: 15', inputmode: 'numeric' });
    const addOut = h('div', { class: 'cal-result', 'aria-live': 'polite', 'data-testid': 'cal-add-result' });
    const addForm = h('form', { class: 'cal-tool-form', novalidate: true },
      h('div', { class: 'cal-tool-fields' }, start.row, n.row),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Tính hạn'),
      addOut);

    const from = mk('cal-count-from', 'Từ ngày');
    const to = mk('cal-count-to', 'Đến ngày');
    const countOut = h('div', { class: 'cal-result', 'aria-live': 'polite', 'data-testid': 'cal-count-result' });
    const countForm = h('form', { class: 'cal-tool-form', novalidate: true },
      h('div', { class: 'cal-tool-fields' }, from.row, to.row),
      h('button', { type: 'submit', class: 'btn' }, 'Đếm ngày làm việc'),
      countOut);

    let lastDateField = start.input;
    for (const f of [start, from, to]) f.input.addEventListener('focus', () => { lastDateField = f.input; });

    const fieldsByName = { date: start, n, from, to };
    const clear = (list, out) => {
      for (const f of list) { f.err.hidden = true; f.err.textContent = ''; f.input.removeAttribute('aria-invalid'); }
      out.replaceChildren();
    };
    const fail = (f, msg) => {
      f.err.textContent = msg;
      f.err.hidden = false;
      f.input.setAttribute('aria-invalid', 'true');
      f.input.focus();
    };
    const readDate = (f, what) => {
      const v = parseDmy(f.input.value);
      if (v === '') { fail(f, `Vui lòng nhập ${what}.`); return null; }
      if (v === null) { fail(f, 'Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 13/02/2018.'); return null; }
      return v;
    };
    const apiFail = (e, out) => {
      const f = e && e.field && fieldsByName[e.field];
      if (f) fail(f, e.message);
      else out.replaceChildren(errorBox(e && e.message ? e.message : String(e)));
    };

    addForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear([start, n], addOut);
      const date = readDate(start, 'ngày bắt đầu');
      if (!date) return;
      const raw = n.input.value.trim();
      if (!/^-?\d+$/.test(raw)) { fail(n, 'Nhập số ngày làm việc là số nguyên, ví dụ 15.'); return; }
      const count = Number(raw);
      try {
        const r = await get(`/calendar/add?date=${date}&n=${count}`, { signal: ctx.signal });
        highlight = r.result;
        const rel = count > 0 ? `Ngày làm việc thứ ${count} kể từ sau ${longDate(date)}`
          : count < 0 ? `Ngày làm việc thứ ${-count} trước ${longDate(date)}`
            : `Ngày làm việc gần nhất tính từ ${longDate(date)} (kể cả ngày này)`;
        addOut.replaceChildren(
          h('p', { class: 'cal-result-label' }, 'Hạn xử lý'),
          h('p', { class: 'cal-result-value', 'data-date': r.result }, longDate(r.result)),
          h('p', { class: 'hint' }, `${rel}.`),
          h('button', { type: 'button', class: 'btn btn-small btn-link', onclick: () => { const p = parts(r.result); go({ y: p.y, m: p.m }, r.result, { keepFocus: true }); } }, 'Xem trên lịch'));
        const p = parts(r.result);
        if (p.y === view.y && p.m === view.m) loadMonth();
      } catch (e) {
        if (e.name !== 'AbortError') apiFail(e, addOut);
      }
    });

    countForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear([from, to], countOut);
      const a = readDate(from, 'ngày bắt đầu');
      if (!a) return;
      const b = readDate(to, 'ngày kết thúc');
      if (!b) return;
      try {
        const r = await get(`/calendar/count?from=${a}&to=${b}`, { signal: ctx.signal });
        countOut.replaceChildren(
          h('p', { class: 'cal-result-label' }, 'Số ngày làm việc'),
          h('p', { class: 'cal-result-value' }, `${r.count} ngày`),
          h('p', { class: 'hint' }, a <= b
            ? `Tính từ sau ${longDate(a)} đến hết ${longDate(b)}.`
            : `Ngày kết thúc trước ngày bắt đầu nên kết quả là số âm (từ sau ${longDate(b)} đến hết ${longDate(a)}).`));
      } catch (e) {
        if (e.name !== 'AbortError') apiFail(e, countOut);
      }
    });

    const el = h('section', { class: 'panel cal-tool', 'aria-labelledby': 'cal-tool-h' },
      h('h3', { id: 'cal-tool-h' }, 'Tính hạn'),
      h('p', { class: 'hint' }, 'Không tính ngày bắt đầu; bỏ qua ngày nghỉ cuối tuần, lễ, Tết và nghỉ bù. Bấm một ngày trên lịch để điền vào ô ngày đang chọn.'),
      addForm,
      h('hr', { class: 'cal-sep' }),
      countForm);

    return {
      el,
      fillDate(s) {
        lastDateField.value = fmtDate(s);
        lastDateField.dispatchEvent(new Event('input'));
      },
    };
  }

  // ---------- schedule ----------

  async function loadSchedule() {
    const year = view.y;
    scheduleYear = year;
    schedHeading.textContent = `Lịch nghỉ chính thức năm ${year}`;
    setChildren(schedState, loading());
    try {
      const r = await get(`/calendar/schedule?year=${year}`, { signal: ctx.signal });
      if (scheduleYear !== year) return;
      schedule = r;
      drawSchedule();
    } catch (e) {
      if (e.name === 'AbortError' || scheduleYear !== year) return;
      setChildren(schedState, errorBox(e.message));
    }
  }

  function sourceText(code) {
    const s = (schedule.sources || []).find((x) => x.code === code);
    return s ? s.text : '';
  }

  function drawSchedule() {
    const s = schedule;
    setChildren(schedState,
      s.declared
        ? h('p', { class: 'alert alert-info cal-declared' },
          h('strong', null, `Năm ${s.year} đã có lịch nghỉ chính thức`),
          ` (nguồn: ${s.source}${sourceText(s.source) ? ` — ${sourceText(s.source)}` : ''}). Các ngày nghỉ Tết và ngày nghỉ do Thủ tướng quyết định lấy theo bảng dưới đây.`)
        : h('p', { class: 'alert alert-warn cal-declared' },
          h('strong', null, `Năm ${s.year} chưa có lịch nghỉ chính thức`),
          '. Ngày nghỉ được tính theo Bộ luật Lao động (ngày lễ và nghỉ bù); các ngày nghỉ Tết do Thủ tướng quyết định có thể chưa chính xác.'));
    const items = (s.entries || []).slice().sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    schedTable.setRows(items.map((e) => h('tr', { 'data-id': e.id, 'data-day': e.day },
      h('td', { class: 'col-date' }, fmtDate(e.day), h('span', { class: 'muted cal-wd-small' }, ` ${WEEKDAYS[weekdayOf(e.day)]}`)),
      h('td', null, e.kind === 'workday'
        ? h('span', { class: 'badge badge-swap' }, 'Làm bù')
        : h('span', { class: 'badge badge-dayoff' }, 'Nghỉ')),
      h('td', { class: 'col-name' }, e.name),
      h('td', { class: 'col-source' }, e.source ? h('span', { title: sourceText(e.source) || null }, e.source) : '—'),
      isAdmin ? h('td', { class: 'col-actions' },
        h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `Sửa ngày ${fmtDate(e.day)} (${e.name})`, onclick: () => editEntry(e) }, 'Sửa'),
        h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Xóa ngày ${fmtDate(e.day)} (${e.name})`, onclick: () => deleteEntry(e) }, 'Xóa')) : null)),
    `Năm ${s.year} chưa có ngày nào trong lịch nghỉ chính thức.`);
    const srcs = s.sources || [];
    setChildren(sourcesBox, srcs.length
      ? [h('h3', null, 'Văn bản nguồn'),
        h('dl', { class: 'cal-source-list' }, srcs.map((x) => [h('dt', null, x.code), h('dd', null, x.text)]))]
      : null);
    if (isAdmin) {
      setChildren(schedActions,
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => editEntry(null) }, '+ Thêm ngày'),
        h('button', { type: 'button', class: 'btn', onclick: declareYear }, s.declared ? 'Đổi văn bản công bố' : `Công bố lịch năm ${s.year}`),
        s.declared
          ? h('button', { type: 'button', class: 'btn btn-danger-outline', onclick: undeclareYear }, `Hủy công bố lịch năm ${s.year}`)
          : null);
    }
  }

  async function refreshAll() {
    await Promise.all([loadMonth(), loadSchedule()]);
  }

  function sourceHint() {
    const codes = (schedule?.sources || []).map((x) => x.code);
    return codes.length ? `Mã văn bản, ví dụ: ${codes.join(', ')}.` : 'Mã văn bản nguồn (không bắt buộc).';
  }

  function entryFields(e, defDay) {
    return [
      { name: 'day', label: 'Ngày', type: 'date', required: true, value: e ? e.day : defDay, hint: 'Dạng dd/mm/yyyy. Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.' },
      { name: 'kind', label: 'Loại', type: 'select', required: true, value: e ? e.kind : 'off', options: [{ value: 'off', label: 'Nghỉ' }, { value: 'workday', label: 'Làm bù' }] },
      { name: 'name', label: 'Tên', required: true, maxlength: 200, value: e ? e.name : '', hint: 'Ví dụ: Tết Nguyên đán; Làm bù cho thứ Hai 31/12/2018.' },
      { name: 'source', label: 'Nguồn', maxlength: 64, value: e ? (e.source || '') : (schedule?.source || ''), hint: sourceHint() },
    ];
  }

  function editEntry(e) {
    let current = e;
    const reload = e ? h('button', { type: 'button', class: 'btn', hidden: true }, 'Tải lại bản mới nhất') : null;
    const defDay = selected && parts(selected).y === scheduleYear ? selected : '';
    const d = formDialog({
      title: e ? `Sửa ngày ${fmtDate(e.day)} trong lịch nghỉ` : `Thêm ngày vào lịch nghỉ năm ${scheduleYear}`,
      submitLabel: e ? 'Lưu' : 'Thêm ngày',
      extraButtons: reload ? [reload] : [],
      fields: entryFields(e, defDay),
      onSubmit: async (v) => {
        if (!current) {
          const body = { day: v.day, kind: v.kind, name: v.name };
          if (v.source) body.source = v.source;
          const r = await post('/calendar/entries', body);
          notify(`Đã thêm ngày ${fmtDate(r?.day || v.day)} vào lịch nghỉ.`);
          await afterChange(r?.day || v.day);
          return true;
        }
        const body = { version: current.version };
        for (const k of ['day', 'kind', 'name', 'source']) if (v[k] !== (current[k] ?? '')) body[k] = v[k];
        if (Object.keys(body).length === 1) return true;
        try {
          const r = await patch(`/calendar/entries/${current.id}`, body);
          notify(`Đã lưu ngày ${fmtDate(r?.day || v.day)}.`);
          await afterChange(r?.day || v.day);
        } catch (err) {
          if (err.status === 409 && err.field === 'version') reload.hidden = false;
          throw err;
        }
        return true;
      },
    });
    if (reload) {
      reload.addEventListener('click', async () => {
        try {
          const r = await get(`/calendar/schedule?year=${parts(current.day).y}`);
          const fresh = (r.entries || []).find((x) => x.id === current.id);
          d.clearErrors();
          if (!fresh) {
            d.setFormError('Ngày này đã bị xóa khỏi lịch nghỉ. Đóng hộp thoại để xem danh sách mới.');
            reload.hidden = true;
            refreshAll();
            return;
          }
          current = fresh;
          const c = d.controls;
          c.get('day').input.value = fmtDate(fresh.day);
          c.get('kind').input.value = fresh.kind;
          c.get('name').input.value = fresh.name;
          c.get('source').input.value = fresh.source || '';
          d.setFormError(`Đã tải lại bản mới nhất (phiên bản ${fresh.version}). Kiểm tra rồi sửa lại và bấm Lưu.`);
          reload.hidden = true;
          refreshAll();
        } catch (err) {
          d.setFormError(err.message);
        }
      });
    }
  }

  async function afterChange(day) {
    await refreshAll();
    const td = day && cellOf(day);
    if (td) {
      td.classList.add('is-changed');
      setTimeout(() => td.classList.remove('is-changed'), 2500);
    }
  }

  async function deleteEntry(e) {
    const ok = await confirmDialog({
      title: 'Xóa ngày khỏi lịch nghỉ',
      message: `Xóa ngày ${longDate(e.day)} (${e.kind === 'workday' ? 'làm bù' : 'nghỉ'}: ${e.name}) khỏi lịch nghỉ chính thức? Hạn xử lý tính sau thời điểm này sẽ thay đổi theo.`,
      confirmLabel: 'Xóa', danger: true,
    });
    if (!ok) return;
    try {
      await del(`/calendar/entries/${e.id}?version=${e.version}`);
      notify(`Đã xóa ngày ${fmtDate(e.day)} khỏi lịch nghỉ.`);
    } catch (err) {
      notify(err.status === 409 ? `${err.message} Danh sách đã được tải lại.` : err.message, 'error');
    }
    await refreshAll();
  }

  function declareYear() {
    const year = scheduleYear;
    formDialog({
      title: `Công bố lịch nghỉ chính thức năm ${year}`,
      intro: 'Khi năm đã công bố, các ngày nghỉ Tết và ngày nghỉ do Thủ tướng quyết định chỉ lấy theo các ngày trong bảng lịch nghỉ của năm đó.',
      submitLabel: 'Công bố',
      fields: [
        { name: 'source', label: 'Mã văn bản', required: true, maxlength: 64, value: schedule?.source || '', hint: 'Ví dụ: vpcp-tet-2018.' },
        { name: 'source_text', label: 'Nội dung văn bản', maxlength: 1000, value: '', hint: 'Số, ngày, cơ quan ban hành. Chỉ dùng khi mã văn bản là mã mới; nội dung của mã đã có không thay đổi.' },
      ],
      onSubmit: async (v) => {
        const body = { source: v.source };
        if (v.source_text) body.source_text = v.source_text;
        await api('PUT', `/calendar/years/${year}`, body);
        notify(`Đã công bố lịch nghỉ chính thức năm ${year}.`);
        await refreshAll();
        return true;
      },
    });
  }

  async function undeclareYear() {
    const year = scheduleYear;
    const ok = await confirmDialog({
      title: `Hủy công bố lịch năm ${year}`,
      message: `Hủy công bố lịch nghỉ chính thức năm ${year}? Các ngày nghỉ Tết sẽ được tính lại theo quy định mặc định; các ngày trong bảng vẫn được giữ.`,
      confirmLabel: 'Hủy công bố', danger: true,
    });
    if (!ok) return;
    try {
      await del(`/calendar/years/${year}`);
      notify(`Đã hủy công bố lịch nghỉ chính thức năm ${year}.`);
    } catch (err) {
      notify(err.message, 'error');
    }
    await refreshAll();
  }

  // ---------- start ----------
  ctx.setTitle('Lịch làm việc');
  await Promise.all([loadMonth(), loadSchedule()]);
  return () => { seq += 1; };
}

