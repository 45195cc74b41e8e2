// Văn bản chỉ đạo: #/directives lists the directives (GET /directives?q=: words of the
// trích yếu with or without diacritics, or the exact số hiệu) with paging and the form to record
// one (leaders, supervisors, admins, unit heads). #/directives/:id is the directive's page:
// its fields, the progress of its tasks (done / total, from GET /stats/tasks?directive_id=),
// every task it assigns with its state, and "Giao nhiệm vụ". #/directives/review is the
// directive reader (views/directive-review.js), opened by "Nhập từ văn bản".
import { get } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, debounce } from '../util.js';
import { errorBox, loading, dataTable, notify } from '../ui.js';
import { listView } from '../listview.js';
import {
  STATUS, kindLabel, statusBadge, dueCell, progressBar,
  periodLabel, recurrenceLabel, createDirectiveDialog, looksOverdue, taskBadge, createTaskDialog, facts, fmtRate,
} from './tasks-common.js';

const LIMIT = 50;
const TASK_LIMIT = 500; // a directive's tasks on one page, in the order of its sections

export default async function render(root, ctx) {
  if (ctx.parts[1] === 'review') return (await import('./directive-review.js')).default(root, ctx);
  if (ctx.parts[1]) return directivePage(root, ctx, Number(ctx.parts[1]));
  return directiveList(root, ctx);
}

// ---------- the list ----------

async function directiveList(root, ctx) {
  const canCreate = ctx.allows('POST /api/v1/directives');
  const search = h('input', { id: 'dir-q', type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Ví dụ: ky cuong hanh chinh, hoặc 69/KH-UBND', 'aria-describedby': 'dir-q-hint' });
  const addBtn = canCreate ? h('button', { type: 'button', class: 'btn btn-primary' }, '+ Ghi nhận văn bản') : null;
  // the directive reader: paste the text, review the proposed tasks, create all at once
  const readLink = canCreate ? h('a', { href: '#/directives/review', class: 'btn' }, 'Nhập từ văn bản') : null;
  const status = h('div', { class: 'list-status' });
  const table = dataTable({
    caption: 'Danh sách văn bản chỉ đạo',
    columns: [
      { label: 'Số hiệu', class: 'col-number' },
      { label: 'Loại' },
      { label: 'Ngày ban hành', class: 'col-date' },
      { label: 'Trích yếu' },
      { label: 'Cơ quan ban hành' },
      { label: 'Số nhiệm vụ', class: 'col-num' },
    ],
    className: 'directives-table',
  });
  const list = listView({
    signal: ctx.signal,
    limit: LIMIT,
    busy: table.el,
    status,
    path: (offset, limit) => {
      const params = new URLSearchParams();
      const q = search.value.normalize('NFC').trim();
      if (q) params.set('q', q);
      params.set('limit', String(limit));
      params.set('offset', String(offset));
      return `/directives?${params}`;
    },
    render: (items) => table.setRows(items.map(row),
      search.value.trim() ? 'Không tìm thấy văn bản nào phù hợp.' : 'Chưa có văn bản chỉ đạo nào.'),
  });
  root.append(
    h('div', { class: 'toolbar' },
      h('div', { class: 'field field-inline grow' },
        h('label', { for: 'dir-q' }, 'Tìm kiếm'), search,
        h('span', { class: 'hint', id: 'dir-q-hint' }, 'Theo trích yếu (gõ có dấu hay không dấu đều được) hoặc đúng số hiệu văn bản.')),
      addBtn ? h('div', { class: 'toolbar-buttons' }, readLink, addBtn) : null),
    status, table.el, list.pager.el);

  function row(d) {
    return h('tr', { 'data-id': d.id },
      h('td', { class: 'col-number' }, h('a', { href: `#/directives/${d.id}`, class: 'dir-number' }, d.number)),
      h('td', null, h('span', { class: `badge dir-kind dir-${d.kind}` }, kindLabel(d.kind))),
      h('td', { class: 'col-date' }, fmtDate(d.issued_on)),
      h('td', { class: 'col-title' }, h('a', { href: `#/directives/${d.id}`, class: 'dir-title-link' }, d.title)),
      h('td', null, d.issuer_unit_name),
      h('td', { class: 'col-num' }, fmtNumber(d.task_count)));
  }

  const onType = debounce(() => list.reload(), 250);
  search.addEventListener('input', onType);
  search.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); onType.cancel(); list.reload(); } });
  if (addBtn) {
    addBtn.addEventListener('click', async () => {
      try {
        const d = await createDirectiveDialog(ctx.me);
        if (d) { notify(`Đã ghi nhận văn bản ${d.number}.`); location.hash = `#/directives/${d.id}`; }
      } catch (e) { notify(e.message, 'error'); }
    });
  }
  if (ctx.params.get('q')) search.value = ctx.params.get('q');
  await list.load();
  return () => onType.cancel();
}

// ---------- one directive ----------

async function directivePage(root, ctx, id) {
  const back = h('p', null, h('a', { href: '#/directives' }, '‹ Về danh sách văn bản'));
  if (!Number.isInteger(id) || id <= 0) {
    setChildren(root, errorBox('Mã văn bản trong địa chỉ không hợp lệ.'), back);
    return undefined;
  }
  setChildren(root, loading());
  let d;
  try {
    d = await get(`/directives/${id}`, { signal: ctx.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    setChildren(root, errorBox(e.message), back);
    return undefined;
  }
  ctx.setTitle(`${kindLabel(d.kind)} số ${d.number}`);
  const canAssign = ctx.allows('POST /api/v1/tasks');

  const assignBtn = canAssign ? h('button', { type: 'button', class: 'btn btn-primary' }, '+ Giao nhiệm vụ') : null;
  const progressBox = h('div', { class: 'dir-progress', 'aria-live': 'polite' }, loading('Đang tính tiến độ…'));
  const head = h('section', { class: 'panel dir-head', 'aria-labelledby': 'dir-title-h' },
    h('div', { class: 'dir-head-top' },
      h('div', null,
        h('p', { class: 'dir-kicker' }, `${kindLabel(d.kind)} · ${d.issuer_unit_name}`),
        h('h2', { id: 'dir-title-h', class: 'dir-title' }, d.title)),
      assignBtn ? h('div', { class: 'toolbar-buttons' }, assignBtn) : null),
    facts([
      ['Số hiệu', d.number],
      ['Loại văn bản', kindLabel(d.kind)],
      ['Ngày ban hành', fmtDate(d.issued_on)],
      ['Cơ quan ban hành', d.issuer_unit_name],
      ['Người ký', d.signer],
    ], 'facts-inline'),
    progressBox,
    d.text ? h('details', { class: 'dir-text' }, h('summary', null, 'Nội dung văn bản'), h('p', { class: 'pre' }, d.text)) : null);

  const status = h('div', { class: 'list-status' });
  const table = dataTable({
    caption: 'Nhiệm vụ theo văn bản',
    columns: [
      { label: 'Mục', class: 'col-section' },
      { label: 'Nhiệm vụ' },
      { label: 'Đơn vị chủ trì' },
      { label: 'Hạn hoàn thành', class: 'col-date' },
      { label: 'Tiến độ', class: 'col-progress' },
      { label: 'Trạng thái', class: 'col-status' },
    ],
    className: 'tasks-table dir-tasks',
  });
  const count = h('p', { class: 'kids-summary' });
  const tasks = listView({
    signal: ctx.signal,
    limit: TASK_LIMIT,
    busy: table.el,
    status,
    path: (offset, limit) => `/tasks?directive_id=${id}&top_level=1&limit=${limit}&offset=${offset}`,
    render: (items, r) => {
      items.sort((a, b) => sectionKey(a.section).localeCompare(sectionKey(b.section)) || 0);
      table.setRows(items.map(row), 'Văn bản này chưa giao nhiệm vụ nào.');
      count.textContent = r.total_count ? `${fmtNumber(r.total_count)} nhiệm vụ` : '';
      tasks.pager.el.hidden = (r.total_count || 0) <= TASK_LIMIT;
    },
  });
  const pg = tasks.pager;
  pg.el.hidden = true;
  setChildren(root,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' }, h('ol', null,
      h('li', null, h('a', { href: '#/directives' }, 'Văn bản chỉ đạo')),
      h('li', { 'aria-current': 'page' }, d.number))),
    head,
    h('section', { 'aria-labelledby': 'dir-tasks-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'dir-tasks-h', class: 'section-title' }, 'Nhiệm vụ được giao'), count),
      status, table.el, pg.el));

  async function fetchProgress() {
    try {
      const s = await get(`/stats/tasks?from=1900-01-01&to=2199-12-31&directive_id=${id}`, { signal: ctx.signal });
      const t = s.total;
      const done = t.done_on_time + t.done_late;
      const pct = t.assigned ? (100 * done) / t.assigned : 0;
      const chips = [
        ['done_on_time', t.done_on_time], ['done_late', t.done_late], ['in_progress', t.open_in_time], ['in_progress_overdue', t.open_overdue],
      ].map(([k, n]) => h('li', { class: `chip ${STATUS[k].cls}` }, h('strong', null, fmtNumber(n)), ' ', STATUS[k].label.toLowerCase()));
      setChildren(progressBox,
        h('div', { class: 'dir-progress-head' },
          h('span', { class: 'task-head-label' }, 'Tiến độ thực hiện văn bản'),
          h('span', { class: 'dir-progress-rate' }, 'Tỷ lệ đúng hạn: ', h('strong', null, fmtRate(t.on_time_rate)))),
        progressBar(pct, { cls: 'progress-lg', label: 'Số nhiệm vụ đã hoàn thành', text: `${fmtNumber(done)}/${fmtNumber(t.assigned)} nhiệm vụ đã hoàn thành` }),
        h('ul', { class: 'chips' }, chips),
        h('p', { class: 'hint' }, 'Tính trên các nhiệm vụ có hạn (mỗi đơn vị của nhiệm vụ giao cho nhóm, mỗi kỳ của nhiệm vụ định kỳ là một nhiệm vụ); không tính nhiệm vụ đã hủy.'));
    } catch (e) {
      if (e.name === 'AbortError') return;
      setChildren(progressBox, errorBox(e.message));
    }
  }

  function row(t) {
    const cs = t.children_summary;
    const template = t.recurrence && !t.due_date;
    let prog;
    if (t.is_group && cs) prog = progressBar(cs.total ? (100 * cs.done) / cs.total : 0, { text: `${fmtNumber(cs.done)}/${fmtNumber(cs.total)} đơn vị`, label: 'Số đơn vị đã hoàn thành' });
    else if (template && cs) prog = progressBar(cs.total ? (100 * cs.done) / cs.total : 0, { text: `${fmtNumber(cs.done)}/${fmtNumber(cs.total)} kỳ`, label: 'Số kỳ đã hoàn thành' });
    else prog = progressBar(t.progress);
    const sub = [];
    if (t.is_group) sub.push(h('span', { class: 'badge badge-kind' }, 'Giao cho nhóm đơn vị'));
    if (template) sub.push(h('span', { class: 'badge badge-kind' }, recurrenceLabel(t.recurrence)));
    if (t.period) sub.push(h('span', { class: 'task-period' }, periodLabel(t.period)));
    return h('tr', { 'data-id': t.id, class: looksOverdue(t) ? 'row-overdue' : t.status === 'cancelled' ? 'row-cancelled' : null },
      h('td', { class: 'col-section' }, t.section || ''),
      h('td', { class: 'col-task' }, h('a', { href: `#/tasks/${t.id}`, class: 'task-link' }, t.title), sub.length ? h('div', { class: 'task-sub' }, sub) : null),
      h('td', null, t.is_group ? h('span', { class: 'muted' }, cs ? `${fmtNumber(cs.total)} đơn vị` : 'Nhóm đơn vị') : t.lead_unit_name),
      h('td', { class: 'col-date' }, dueCell(t)),
      h('td', { class: 'col-progress' }, prog),
      h('td', { class: 'col-status' }, taskBadge(t)));
  }

  if (assignBtn) {
    assignBtn.addEventListener('click', async () => {
      try {
        const t = await createTaskDialog(ctx.me, { directive_id: id });
        if (t) {
          notify('Đã giao nhiệm vụ.');
          await Promise.all([tasks.load(), fetchProgress()]);
          const link = table.el.querySelector(`tr[data-id="${t.id}"] a`);
          if (link) link.focus();
        }
      } catch (e) { notify(e.message, 'error'); }
    });
  }
  await Promise.all([tasks.load(), fetchProgress()]);
  return undefined;
}

/** Sort key of a section like "II.2.b": roman and arabic numbers padded, letters kept. */
function sectionKey(s) {
  if (!s) return '~';
  const roman = { I: 1, II: 2, III: 3, IV: 4, V: 5, VI: 6, VII: 7, VIII: 8, IX: 9, X: 10 };
  return String(s).split(/[.\s]+/).map((p) => {
    if (roman[p]) return String(roman[p]).padStart(3, '0');
    if (/^\d+$/.test(p)) return p.padStart(3, '0');
    return p;
  }).join('.');
}
