// Nhiệm vụ: #/tasks lists tasks (GET /tasks) in two tabs — "Nhiệm vụ của đơn vị tôi" (mine=1:
// tasks led by the signed-in person's unit or its subunits) and "Tất cả nhiệm vụ tôi được xem" —
// with filters (status, lead unit, directive, due range, words of the title typed with or
// without diacritics), paging, and the create form. The filters live in the URL (#/tasks?…)
// so that going back from a task page finds the same list. #/tasks/:id is the task page.
import { get, loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, parseDmy, debounce, nextId } from '../util.js';
import { errorBox, dataTable, notify } from '../ui.js';
import { listView, addressedPath } from '../listview.js';
import {
  STATUS, STATUS_ORDER, taskBadge, looksOverdue, dueCell, progressBar, periodLabel,
  createTaskDialog, unitSelectOptions, truncate,
} from './tasks-common.js';

const LIMIT = 50;

export default async function render(root, ctx) {
  if (ctx.parts[1]) {
    const page = await import('./task.js');
    return page.default(root, ctx);
  }
  ctx.setTitle('Nhiệm vụ');
  const p = ctx.params;
  const hasUnit = !!ctx.me.unit_id;
  let mine = p.has('mine') ? p.get('mine') === '1' : hasUnit && !['admin', 'leader', 'supervisor'].includes(ctx.me.role);
  if (!hasUnit) mine = false;

  // --- tabs ---
  const tabIds = { mine: nextId('tab'), all: nextId('tab') };
  const panelId = nextId('tabpanel');
  const tabMine = h('button', { type: 'button', role: 'tab', id: tabIds.mine, class: 'tab', 'aria-controls': panelId }, 'Nhiệm vụ của đơn vị tôi');
  const tabAll = h('button', { type: 'button', role: 'tab', id: tabIds.all, class: 'tab', 'aria-controls': panelId }, 'Tất cả nhiệm vụ tôi được xem');
  if (!hasUnit) tabMine.disabled = true;
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Phạm vi danh sách' }, tabMine, tabAll);
  function showTabs() {
    tabMine.setAttribute('aria-selected', String(mine));
    tabAll.setAttribute('aria-selected', String(!mine));
    tabMine.tabIndex = mine ? 0 : -1;
    tabAll.tabIndex = mine ? -1 : 0;
    const panel = document.getElementById(panelId);
    if (panel) panel.setAttribute('aria-labelledby', mine ? tabIds.mine : tabIds.all);
  }
  const pick = (m) => { if (m === mine) return; mine = m; showTabs(); list.reload(); };
  tabMine.addEventListener('click', () => pick(true));
  tabAll.addEventListener('click', () => pick(false));
  tabs.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight' && ev.key !== 'Home' && ev.key !== 'End') return;
    ev.preventDefault();
    const target = ev.key === 'ArrowLeft' || ev.key === 'Home' ? tabMine : tabAll;
    if (target.disabled) return;
    target.focus();
    pick(target === tabMine);
  });

  // --- filters ---
  const q = h('input', { id: 'task-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Ví dụ: ra soat thu tuc hanh chinh' });
  const statusSel = h('select', { id: 'task-status' },
    h('option', { value: '' }, 'Tất cả trạng thái'),
    STATUS_ORDER.map((s) => h('option', { value: s }, STATUS[s].label)),
    h('option', { value: 'open' }, 'Chưa hoàn thành (trong hạn và quá hạn)'),
    h('option', { value: 'due_soon' }, 'Sắp đến hạn'),
    h('option', { value: 'done' }, 'Đã hoàn thành (đúng hạn và quá hạn)'));
  const unitSel = h('select', { id: 'task-unit' }, h('option', { value: '' }, 'Tất cả đơn vị'));
  const dirSel = h('select', { id: 'task-directive' }, h('option', { value: '' }, 'Tất cả văn bản'));
  const dueFrom = h('input', { id: 'task-due-from', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', class: 'input-date', autocomplete: 'off' });
  const dueTo = h('input', { id: 'task-due-to', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', class: 'input-date', autocomplete: 'off' });
  const topOnly = h('input', { id: 'task-top', type: 'checkbox' });
  const resetBtn = h('button', { type: 'button', class: 'btn btn-small btn-link' }, 'Xóa bộ lọc');
  const canCreate = ctx.allows('POST /api/v1/tasks');
  const addBtn = canCreate ? h('button', { type: 'button', class: 'btn btn-primary' }, '+ Giao nhiệm vụ') : null;

  q.value = p.get('q') || '';
  statusSel.value = p.get('status') || '';
  dueFrom.value = fmtDate(p.get('due_from'));
  dueTo.value = fmtDate(p.get('due_to'));
  topOnly.checked = p.get('top_level') === '1';

  const filters = h('div', { class: 'toolbar task-filters' },
    h('div', { class: 'field field-inline grow' }, h('label', { for: 'task-q' }, 'Tìm theo tên nhiệm vụ'), q),
    h('div', { class: 'field field-inline' }, h('label', { for: 'task-status' }, 'Trạng thái'), statusSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'task-unit' }, 'Đơn vị chủ trì'), unitSel),
    h('div', { class: 'field field-inline' }, h('label', { for: 'task-directive' }, 'Văn bản'), dirSel),
    h('fieldset', { class: 'field field-range' }, h('legend', null, 'Hạn hoàn thành'),
      h('div', { class: 'range-row' },
        h('label', { for: 'task-due-from', class: 'sr-only' }, 'Hạn từ ngày'), h('span', { 'aria-hidden': 'true' }, 'từ'), dueFrom,
        h('label', { for: 'task-due-to', class: 'sr-only' }, 'Hạn đến ngày'), h('span', { 'aria-hidden': 'true' }, 'đến'), dueTo)),
    h('div', { class: 'field field-check task-top' }, topOnly, h('label', { for: 'task-top' }, 'Ẩn nhiệm vụ con và các kỳ định kỳ')),
    h('div', { class: 'toolbar-buttons' }, resetBtn, addBtn));

  const status = h('div', { class: 'list-status' });
  const summary = h('p', { class: 'count task-count', 'aria-live': 'polite' });
  const table = dataTable({
    caption: 'Danh sách nhiệm vụ',
    columns: [
      { label: 'Nhiệm vụ' },
      { label: 'Đơn vị chủ trì' },
      { label: 'Văn bản' },
      { label: 'Hạn hoàn thành', class: 'col-date' },
      { label: 'Tiến độ', class: 'col-progress' },
      { label: 'Trạng thái', class: 'col-status' },
    ],
    className: 'tasks-table',
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    offset: Number(p.get('offset')) || 0,
    busy: table.el,
    status,
    before: () => checkDates(),
    path: (offset, limit) => addressedPath('tasks', 'tasks', params(), offset, limit, { mine: mine ? '1' : '0' }),
    render: (items, r) => {
      const filtered = [...params().keys()].some((k) => k !== 'mine');
      table.setRows(items.map(row), filtered ? 'Không có nhiệm vụ nào phù hợp với bộ lọc.'
        : mine ? 'Đơn vị của bạn chưa được giao nhiệm vụ nào.' : 'Chưa có nhiệm vụ nào.');
      summary.textContent = r.total_count ? `${fmtNumber(r.total_count)} nhiệm vụ` : '';
    },
  });

  root.append(tabs, h('div', { id: panelId, role: 'tabpanel', 'aria-labelledby': mine ? tabIds.mine : tabIds.all, class: 'tabpanel' },
    filters, status, summary, table.el, list.pager.el));
  showTabs();

  // --- lookups for the selects and the directive column ---
  const dirNames = new Map();
  const ready = Promise.all([
    loadUnits().then((u) => {
      for (const o of unitSelectOptions(u.flat)) unitSel.appendChild(h('option', { value: String(o.value) }, o.label));
      unitSel.value = p.get('lead_unit_id') || '';
    }).catch(() => {}),
    get('/directives?limit=500', { signal: ctx.signal }).then((r) => {
      for (const d of r.items || []) {
        dirNames.set(d.id, d.number);
        dirSel.appendChild(h('option', { value: String(d.id) }, `${d.number} — ${truncate(d.title, 50)}`));
      }
      dirSel.value = p.get('directive_id') || '';
    }).catch(() => {}),
  ]);

  function params() {
    const u = new URLSearchParams();
    if (mine) u.set('mine', '1');
    const text = q.value.normalize('NFC').trim();
    if (text) u.set('q', text);
    if (statusSel.value) u.set('status', statusSel.value);
    if (unitSel.value) u.set('lead_unit_id', unitSel.value);
    if (dirSel.value) u.set('directive_id', dirSel.value);
    const f = parseDmy(dueFrom.value), t = parseDmy(dueTo.value);
    if (f) u.set('due_from', f);
    if (t) u.set('due_to', t);
    if (topOnly.checked) u.set('top_level', '1');
    return u;
  }

  function checkDates() {
    let ok = true;
    for (const el of [dueFrom, dueTo]) {
      const bad = parseDmy(el.value) === null;
      if (bad) { el.setAttribute('aria-invalid', 'true'); ok = false; } else el.removeAttribute('aria-invalid');
    }
    if (!ok) setChildren(status, errorBox('Ngày trong khoảng hạn không hợp lệ; nhập theo dạng dd/mm/yyyy.'));
    return ok;
  }

  function row(t) {
    const sub = [];
    if (t.section) sub.push(h('span', { class: 'task-section' }, `Mục ${t.section}`));
    if (t.period) sub.push(h('span', { class: 'task-period' }, `Kỳ: ${periodLabel(t.period)}`));
    if (t.is_group) sub.push(h('span', { class: 'badge badge-kind' }, 'Giao cho nhóm đơn vị'));
    if (t.recurrence && !t.due_date) sub.push(h('span', { class: 'badge badge-kind' }, 'Định kỳ'));
    if (t.parent_id && !t.period) sub.push(h('span', { class: 'task-parent' }, 'Nhiệm vụ con'));
    const cs = t.children_summary;
    let prog;
    if (t.is_group && cs) prog = progressBar(cs.total ? (100 * cs.done) / cs.total : 0, { text: `${fmtNumber(cs.done)}/${fmtNumber(cs.total)} đơn vị`, label: 'Số đơn vị đã hoàn thành' });
    else if (t.recurrence && !t.due_date && cs) prog = progressBar(cs.total ? (100 * cs.done) / cs.total : 0, { text: `${fmtNumber(cs.done)}/${fmtNumber(cs.total)} kỳ`, label: 'Số kỳ đã hoàn thành' });
    else prog = progressBar(t.progress);
    const dirNum = t.directive_id ? dirNames.get(t.directive_id) || `#${t.directive_id}` : null;
    return h('tr', { 'data-id': t.id, class: looksOverdue(t) ? 'row-overdue' : t.status === 'cancelled' ? 'row-cancelled' : null },
      h('td', { class: 'col-task' },
        h('a', { href: `#/tasks/${t.id}`, class: 'task-link' }, t.title),
        sub.length ? h('div', { class: 'task-sub' }, sub) : null),
      h('td', null, t.lead_unit_name),
      h('td', { class: 'col-dir' }, dirNum ? h('a', { href: `#/directives/${t.directive_id}` }, dirNum) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'col-date' }, dueCell(t)),
      h('td', { class: 'col-progress' }, prog),
      h('td', { class: 'col-status' }, taskBadge(t)));
  }

  const onType = debounce(() => { list.reload(); }, 250);
  q.addEventListener('input', onType);
  q.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); onType.cancel(); list.reload(); } });
  for (const el of [statusSel, unitSel, dirSel, topOnly]) el.addEventListener('change', () => { list.reload(); });
  for (const el of [dueFrom, dueTo]) {
    el.addEventListener('change', () => { list.reload(); });
    el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); list.reload(); } });
  }
  resetBtn.addEventListener('click', () => {
    q.value = ''; statusSel.value = ''; unitSel.value = ''; dirSel.value = ''; dueFrom.value = ''; dueTo.value = '';
    topOnly.checked = false; list.reload();
  });
  if (addBtn) {
    addBtn.addEventListener('click', async () => {
      try {
        const t = await createTaskDialog(ctx.me, { directive_id: dirSel.value ? Number(dirSel.value) : null });
        if (t) { notify('Đã giao nhiệm vụ.'); location.hash = `#/tasks/${t.id}`; }
      } catch (e) { notify(e.message, 'error'); }
    });
  }

  await ready;
  await list.load();
  return () => onType.cancel();
}
