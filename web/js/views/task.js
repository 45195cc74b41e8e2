// The task page (#/tasks/:id): every field of GET /tasks/:id; the per-unit tasks of a group
// parent ("n/m đơn vị đã hoàn thành") or the dated instances of a recurring template; the
// timeline of progress reports (GET /tasks/:id/progress), the deadline history
// (GET /tasks/:id/due-history) and the extension requests (GET /tasks/:id/extensions, Duyệt /
// Từ chối for the assigner). The actions shown depend on the role and the state, as the server
// checks them (task_flow.c): progress, completion, extension request (lead unit); reopening,
// cancellation, editing, decisions (assigning unit). A 409 shows its message and reloads.
import { get, post, patch, upload, loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtInstant, fmtNumber } from '../util.js';
import { errorBox, loading, notify, dataTable } from '../ui.js';
import {
  statusBadge, taskBadge, looksOverdue, dueCell, progressBar, recurrenceLabel, periodLabel, kindLabel, isLead, isAssigner,
  openForm, createTaskDialog, facts, emptyNote, todayIso, STATUS,
} from './tasks-common.js';

const EXT_STATUS = {
  pending: ['Chờ quyết định', 'st-pending'],
  approved: ['Đã chấp thuận', 'st-done'],
  refused: ['Không chấp thuận', 'st-overdue'],
};

export default async function render(root, ctx) {
  const id = Number(ctx.parts[1]);
  if (!Number.isInteger(id) || id <= 0) {
    setChildren(root, errorBox('Mã nhiệm vụ trong địa chỉ không hợp lệ.'), h('p', null, h('a', { href: '#/tasks' }, '‹ Về danh sách nhiệm vụ')));
    return undefined;
  }
  const units = await loadUnits().catch(() => ({ byId: new Map(), flat: [] }));
  let task = null;
  let loadSeq = 0;

  async function load({ focus = null } = {}) {
    const my = ++loadSeq;
    root.setAttribute('aria-busy', 'true');
    try {
      const t = await get(`/tasks/${id}`, { signal: ctx.signal });
      const hasKids = !!t.children_summary;
      const [prog, dues, exts, kids, dir, parent, files] = await Promise.all([
        get(`/tasks/${id}/progress`, { signal: ctx.signal }),
        get(`/tasks/${id}/due-history`, { signal: ctx.signal }),
        get(`/tasks/${id}/extensions`, { signal: ctx.signal }),
        hasKids ? get(`/tasks?parent_id=${id}&limit=500`, { signal: ctx.signal }) : Promise.resolve({ items: [] }),
        t.directive_id ? get(`/directives/${t.directive_id}`, { signal: ctx.signal }).catch(() => null) : Promise.resolve(null),
        t.parent_id ? get(`/tasks/${t.parent_id}`, { signal: ctx.signal }).catch(() => null) : Promise.resolve(null),
        get(`/tasks/${id}/attachments`, { signal: ctx.signal }).catch(() => ({ items: [] })),
      ]);
      if (my !== loadSeq) return;
      task = t;
      draw(t, prog.items || [], dues.items || [], exts.items || [], kids.items || [], dir, parent, files.items || []);
      if (focus) {
        const el = root.querySelector(focus);
        if (el) el.focus();
      }
    } catch (e) {
      if (e.name === 'AbortError' || my !== loadSeq) return;
      ctx.setTitle('Nhiệm vụ');
      setChildren(root, errorBox(e.message), h('p', null, h('a', { href: '#/tasks' }, '‹ Về danh sách nhiệm vụ')));
    } finally {
      if (my === loadSeq) root.removeAttribute('aria-busy');
    }
  }

  /** Runs an action; a 409 (someone changed the task meanwhile) closes the form and reloads. */
  async function act(fn, okText) {
    try {
      await fn();
    } catch (e) {
      if (e && e.status === 409) {
        notify(`${e.message} Trang đã được tải lại.`, 'error');
        load();
        return true; // close the dialog: its data is stale
      }
      throw e;
    }
    notify(okText);
    await load({ focus: '.task-actions .btn' });
    return true;
  }

  function draw(t, progress, dues, exts, kids, dir, parent, files = []) {
    ctx.setTitle(t.title);
    const lead = isLead(ctx.me, units, t);
    const assigner = isAssigner(ctx.me, units, t);
    const template = !!t.recurrence && !t.due_date;
    const container = t.is_group || template;
    const open = t.status === 'in_progress' || t.status === 'in_progress_overdue';
    const done = t.status === 'done_on_time' || t.status === 'done_late';
    const pending = exts.find((x) => x.status === 'pending');

    // --- breadcrumb ---
    const crumbs = h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' }, h('ol', null,
      h('li', null, h('a', { href: '#/tasks' }, 'Nhiệm vụ')),
      dir ? h('li', null, h('a', { href: `#/directives/${dir.id}` }, `${kindLabel(dir.kind)} ${dir.number}`)) : null,
      parent ? h('li', null, h('a', { href: `#/tasks/${parent.id}` }, parent.title)) : null,
      h('li', { 'aria-current': 'page' }, `Nhiệm vụ số ${t.id}`)));

    // --- actions ---
    const actions = [];
    const btn = (label, onClick, cls = 'btn') => h('button', { type: 'button', class: cls, onclick: onClick }, label);
    if (!container && open && lead) actions.push(btn('Báo cáo tiến độ', reportProgress, 'btn btn-primary'));
    if (!container && open && (lead || assigner)) actions.push(btn('Báo cáo hoàn thành', complete, 'btn btn-primary'));
    if (!container && open && lead && !pending && t.due_date) actions.push(btn('Xin gia hạn', requestExtension));
    if (!container && done && assigner) actions.push(btn('Mở lại', reopen));
    if (assigner && t.status !== 'cancelled' && !t.is_group) actions.push(btn('Sửa', edit));
    if (ctx.allows('POST /api/v1/tasks') && !template && t.status !== 'cancelled' && !t.is_group) actions.push(btn('Giao nhiệm vụ con', addChild));
    if (!container && assigner && t.status !== 'cancelled') actions.push(btn('Hủy nhiệm vụ', cancel, 'btn btn-danger-outline'));
    let actionNote = null;
    if (container) {
      actionNote = h('p', { class: 'hint' }, t.is_group
        ? 'Nhiệm vụ giao cho nhóm đơn vị: mỗi đơn vị báo cáo tiến độ, hoàn thành trên nhiệm vụ của mình (danh sách bên dưới).'
        : 'Nhiệm vụ định kỳ: báo cáo tiến độ, hoàn thành theo từng kỳ (danh sách bên dưới).');
    } else if (pending) {
      actionNote = h('p', { class: 'hint' }, `Đang có đề nghị gia hạn đến ${fmtDate(pending.new_due_date)} chờ quyết định.`);
    }

    // --- summary ---
    const cs = t.children_summary;
    let bar;
    if (t.is_group && cs) bar = progressBar(cs.total ? (100 * cs.done) / cs.total : 0, { text: `${fmtNumber(cs.done)}/${fmtNumber(cs.total)} đơn vị đã hoàn thành`, label: 'Số đơn vị đã hoàn thành', cls: 'progress-lg' });
    else if (template && cs) bar = progressBar(cs.total ? (100 * cs.done) / cs.total : 0, { text: `${fmtNumber(cs.done)}/${fmtNumber(cs.total)} kỳ đã hoàn thành`, label: 'Số kỳ đã hoàn thành', cls: 'progress-lg' });
    else bar = progressBar(t.progress, { cls: 'progress-lg', text: `${t.progress}%` });
    const edge = taskBadge(t).dataset.status === 'children_done' ? 'done_on_time' : t.status;
    const head = h('section', { class: `panel task-head status-edge-${edge}`, 'aria-label': 'Tình trạng nhiệm vụ' },
      h('div', { class: 'task-head-row' },
        h('div', { class: 'task-head-state' },
          h('span', { class: 'task-head-label' }, 'Trạng thái'), taskBadge(t)),
        h('div', { class: 'task-head-due' },
          h('span', { class: 'task-head-label' }, template ? 'Định kỳ' : 'Hạn hoàn thành'), h('span', { class: 'task-head-value' }, dueCell(t))),
        h('div', { class: 'task-head-progress' },
          h('span', { class: 'task-head-label' }, container ? 'Tiến độ chung' : 'Tiến độ'), bar)),
      actions.length ? h('div', { class: 'task-actions', role: 'group', 'aria-label': 'Thao tác' }, actions) : null,
      actionNote);

    // --- facts ---
    const supports = (t.support_units || []).map((u) => u.name).join('; ');
    const info = h('section', { class: 'panel', 'aria-labelledby': 'task-info-h' },
      h('h2', { id: 'task-info-h', class: 'panel-title' }, 'Thông tin nhiệm vụ'),
      facts([
        ['Văn bản chỉ đạo', dir ? h('a', { href: `#/directives/${dir.id}` }, `${kindLabel(dir.kind)} số ${dir.number} ngày ${fmtDate(dir.issued_on)}`) : (t.directive_id ? `#${t.directive_id}` : 'Không thuộc văn bản nào')],
        ['Mục trong văn bản', t.section],
        ['Nhiệm vụ cha', parent ? h('a', { href: `#/tasks/${parent.id}` }, parent.title) : null],
        ['Kỳ', t.period ? periodLabel(t.period) : null],
        ['Đơn vị giao', t.owner_unit_name],
        [t.is_group ? 'Đơn vị theo dõi chung' : 'Đơn vị chủ trì', t.lead_unit_name],
        ['Đơn vị phối hợp', supports || 'Không có'],
        ['Định kỳ', t.recurrence ? recurrenceLabel(t.recurrence) : null],
        ['Hạn hoàn thành', t.due_date ? fmtDate(t.due_date) : null],
        ['Hạn ban đầu', t.original_due_date && t.original_due_date !== t.due_date ? fmtDate(t.original_due_date) : null],
        ['Ngày hoàn thành', t.completed_on ? fmtDate(t.completed_on) : null],
        ['Văn bản báo cáo kết quả', t.completion_evidence],
        ['Ngày hủy', t.cancelled_at ? fmtInstant(t.cancelled_at) : null],
        ['Lý do hủy', t.cancel_reason],
        ['Ngày giao', fmtInstant(t.created_at)],
        ['Cập nhật lần cuối', fmtInstant(t.updated_at)],
      ]),
      t.content ? h('div', { class: 'task-content' }, h('h3', null, 'Nội dung'), h('p', { class: 'pre' }, t.content)) : null);

    // --- children / instances ---
    let kidsBox = null;
    if (kids.length || cs) {
      const isGroup = t.is_group;
      const title = isGroup ? 'Nhiệm vụ của từng đơn vị' : template ? 'Các kỳ của nhiệm vụ định kỳ' : 'Nhiệm vụ con';
      const table = dataTable({
        caption: title,
        columns: [
          { label: template ? 'Kỳ' : isGroup ? 'Đơn vị chủ trì' : 'Nhiệm vụ' },
          { label: template ? 'Đơn vị chủ trì' : isGroup ? 'Ngày hoàn thành' : 'Đơn vị chủ trì' },
          { label: 'Hạn hoàn thành', class: 'col-date' },
          { label: 'Tiến độ', class: 'col-progress' },
          { label: 'Trạng thái', class: 'col-status' },
        ],
        className: 'children-table',
      });
      table.setRows(kids.map((k) => {
        const link = h('a', { href: `#/tasks/${k.id}` }, template ? periodLabel(k.period) : isGroup ? k.lead_unit_name : k.title);
        return h('tr', { 'data-id': k.id, class: looksOverdue(k) ? 'row-overdue' : null },
          h('td', { class: 'col-name' }, link),
          h('td', null, isGroup ? (k.completed_on ? fmtDate(k.completed_on) : h('span', { class: 'muted' }, '—')) : k.lead_unit_name),
          h('td', { class: 'col-date' }, dueCell(k)),
          h('td', { class: 'col-progress' }, progressBar(k.progress)),
          h('td', { class: 'col-status' }, statusBadge(k.status)));
      }), 'Chưa có nhiệm vụ nào.');
      const doneCount = cs ? cs.done : kids.filter((k) => k.completed_on).length;
      const total = cs ? cs.total : kids.length;
      const sumText = isGroup ? `${fmtNumber(doneCount)}/${fmtNumber(total)} đơn vị đã hoàn thành`
        : template ? `${fmtNumber(doneCount)}/${fmtNumber(total)} kỳ đã hoàn thành`
          : `${fmtNumber(doneCount)}/${fmtNumber(total)} nhiệm vụ con đã hoàn thành`;
      const overdue = kids.filter((k) => k.status === 'in_progress_overdue').length;
      kidsBox = h('section', { class: 'task-children', 'aria-labelledby': 'task-kids-h' },
        h('div', { class: 'section-head' },
          h('h2', { id: 'task-kids-h', class: 'section-title' }, title),
          h('p', { class: 'kids-summary', 'data-testid': 'children-summary' }, sumText,
            overdue ? h('span', { class: 'due-over' }, ` · ${fmtNumber(overdue)} quá hạn`) : null)),
        table.el);
    }

    // --- timeline ---
    const events = [{ at: t.created_at, kind: 'create', title: `Giao nhiệm vụ cho ${t.lead_unit_name}`, body: t.due_date ? `Hạn hoàn thành ${fmtDate(t.original_due_date || t.due_date)}.` : t.recurrence ? recurrenceLabel(t.recurrence) : '' }];
    for (const p of progress) events.push({ at: p.at, kind: 'progress', title: `Báo cáo tiến độ: ${p.percent}%`, body: p.note, by: p.by, percent: p.percent });
    for (const x of exts) {
      events.push({ at: x.requested_at, kind: 'ext', title: `Xin gia hạn đến ${fmtDate(x.new_due_date)}`, body: x.reason, by: x.requested_by });
      if (x.decided_at) events.push({ at: x.decided_at, kind: x.status === 'approved' ? 'ext-ok' : 'ext-no', title: x.status === 'approved' ? `Chấp thuận gia hạn đến ${fmtDate(x.new_due_date)}` : 'Không chấp thuận gia hạn', body: x.decision_note, by: x.decided_by });
    }
    if (t.completed_on) events.push({ at: `${t.completed_on}T23:59:59+07:00`, day: t.completed_on, kind: 'done', title: `Hoàn thành ngày ${fmtDate(t.completed_on)} — ${STATUS[t.status] ? STATUS[t.status].label.toLowerCase() : ''}`, body: t.completion_evidence ? `Văn bản báo cáo: ${t.completion_evidence}` : '' });
    if (t.cancelled_at) events.push({ at: t.cancelled_at, kind: 'cancel', title: 'Hủy nhiệm vụ', body: t.cancel_reason });
    events.sort((a, b) => String(a.at).localeCompare(String(b.at)));
    const timeline = h('section', { class: 'panel', 'aria-labelledby': 'task-tl-h' },
      h('h2', { id: 'task-tl-h', class: 'panel-title' }, 'Quá trình thực hiện'),
      h('ol', { class: 'timeline' }, events.map((ev) => h('li', { class: `tl-item tl-${ev.kind}` },
        h('span', { class: 'tl-dot', 'aria-hidden': 'true' }),
        h('div', { class: 'tl-body' },
          h('p', { class: 'tl-title' }, ev.title),
          h('p', { class: 'tl-meta' }, ev.day ? fmtDate(ev.day) : fmtInstant(ev.at), ev.by ? ` · ${ev.by}` : ''),
          ev.body ? h('p', { class: 'tl-text pre' }, ev.body) : null)))));

    // --- extensions ---
    const extTable = dataTable({
      caption: 'Đề nghị gia hạn',
      columns: [
        { label: 'Ngày đề nghị', class: 'col-when' },
        { label: 'Hạn đề nghị' },
        { label: 'Lý do' },
        { label: 'Quyết định' },
        assigner ? { label: 'Thao tác', class: 'col-actions' } : null,
      ].filter(Boolean),
      className: 'ext-table',
    });
    extTable.setRows(exts.slice().reverse().map((x) => {
      const [label, cls] = EXT_STATUS[x.status] || [x.status, ''];
      return h('tr', { 'data-id': x.id },
        h('td', { class: 'col-when' }, fmtInstant(x.requested_at), h('br'), h('span', { class: 'muted' }, x.requested_by)),
        h('td', { class: 'col-date' }, `${fmtDate(x.old_due_date)} → `, h('strong', null, fmtDate(x.new_due_date))),
        h('td', { class: 'pre' }, x.reason),
        h('td', null, h('span', { class: `badge status ${cls}` }, label),
          x.decided_at ? h('div', { class: 'muted small' }, `${fmtInstant(x.decided_at)} · ${x.decided_by}`) : null,
          x.decision_note ? h('div', { class: 'small pre' }, x.decision_note) : null),
        assigner ? h('td', { class: 'col-actions' }, x.status === 'pending' ? [
          h('button', { type: 'button', class: 'btn btn-small btn-primary', 'aria-label': `Duyệt đề nghị gia hạn đến ${fmtDate(x.new_due_date)}`, onclick: () => decide(x, true) }, 'Duyệt'),
          h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Từ chối đề nghị gia hạn đến ${fmtDate(x.new_due_date)}`, onclick: () => decide(x, false) }, 'Từ chối'),
        ] : null) : null);
    }), 'Chưa có đề nghị gia hạn nào.');
    const extBox = h('section', { class: 'panel', 'aria-labelledby': 'task-ext-h' },
      h('h2', { id: 'task-ext-h', class: 'panel-title' }, 'Đề nghị gia hạn'), extTable.el);

    // --- deadline history ---
    const dueTable = dataTable({
      caption: 'Lịch sử thời hạn',
      columns: [{ label: 'Thời điểm', class: 'col-when' }, { label: 'Hạn cũ', class: 'col-date' }, { label: 'Hạn mới', class: 'col-date' }, { label: 'Lý do' }, { label: 'Người thực hiện' }],
      className: 'due-table',
    });
    dueTable.setRows(dues.map((d) => h('tr', null,
      h('td', { class: 'col-when' }, fmtInstant(d.at)),
      h('td', { class: 'col-date' }, d.old_due_date ? fmtDate(d.old_due_date) : '—'),
      h('td', { class: 'col-date' }, d.new_due_date ? fmtDate(d.new_due_date) : '—'),
      h('td', null, d.reason),
      h('td', null, d.by || 'Hệ thống'))), 'Chưa có thay đổi thời hạn nào.');
    const dueBox = h('section', { class: 'panel', 'aria-labelledby': 'task-due-h' },
      h('h2', { id: 'task-due-h', class: 'panel-title' }, 'Lịch sử thời hạn'), dueTable.el);

    // --- attached files (reports, evidence): anyone who sees the task downloads them; the
    // lead side and the assigner attach (the server decides and says why if not) ---
    const fileInput = h('input', { type: 'file', id: 'task-file', 'aria-label': 'Chọn tệp đính kèm' });
    const fileErr = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const showFileErr = (text) => { fileErr.textContent = text; fileErr.hidden = !text; };
    const filesBox = h('section', { class: 'panel', 'aria-labelledby': 'task-files-h' },
      h('h2', { id: 'task-files-h', class: 'panel-title' }, 'Tệp đính kèm'),
      files.length
        ? h('ul', { class: 'file-list' }, files.map((f) => h('li', null,
          h('a', { href: `/api/v1/attachments/${f.id}`, download: f.filename }, f.filename),
          ` — ${fmtNumber(Math.max(1, Math.round(f.size / 1024)))} KB, ${f.by || 'Hệ thống'}, ${fmtInstant(f.created_at)}`)))
        : h('p', { class: 'muted' }, 'Chưa có tệp nào.'),
      h('div', { class: 'file-upload' }, fileInput,
        h('button', {
          type: 'button', class: 'btn btn-small',
          onclick: async () => {
            const file = fileInput.files && fileInput.files[0];
            showFileErr('');
            if (!file) { showFileErr('Hãy chọn một tệp.'); return; }
            try {
              await upload(`/tasks/${t.id}/attachments?filename=${encodeURIComponent(file.name)}`, file);
              notify('Đã đính kèm tệp.');
              load();
            } catch (e) { showFileErr(e.message); }
          },
        }, 'Đính kèm')), fileErr);

    setChildren(root, crumbs, head,
      container ? kidsBox : null,
      h('div', { class: 'task-layout' },
        h('div', { class: 'task-main' }, info, container ? null : kidsBox, timeline),
        h('div', { class: 'task-side' }, filesBox, extBox, dueBox)));
  }

  // ---------- actions ----------

  function reportProgress() {
    const t = task;
    openForm({
      title: 'Báo cáo tiến độ',
      intro: t.title,
      submitLabel: 'Gửi báo cáo',
      fields: [
        { name: 'percent', label: 'Tiến độ (%)', type: 'number', min: 0, max: 100, required: true, value: t.progress, hint: 'Phần trăm khối lượng đã thực hiện, từ 0 đến 100.', cls: 'input-narrow' },
        { name: 'note', label: 'Nội dung báo cáo', type: 'textarea', rows: 4, required: true, maxlength: 5000 },
      ],
      onSubmit: (v) => act(() => post(`/tasks/${t.id}/progress`, { percent: v.percent, note: v.note }), `Đã báo cáo tiến độ ${v.percent}%.`),
    });
  }

  function complete() {
    const t = task;
    openForm({
      title: 'Báo cáo hoàn thành',
      intro: t.title,
      submitLabel: 'Báo cáo hoàn thành',
      fields: [
        { name: 'completed_on', label: 'Ngày hoàn thành', type: 'date', required: true, value: todayIso(), hint: t.due_date ? `Hạn hoàn thành: ${fmtDate(t.due_date)}. Không được sau hôm nay.` : null },
        { name: 'evidence', label: 'Văn bản báo cáo kết quả', type: 'textarea', rows: 2, required: true, maxlength: 2000, errorFor: ['evidence'], hint: 'Số, ngày văn bản báo cáo; ví dụ: Báo cáo số 125/BC-SNV ngày 28/4/2017.' },
      ],
      onSubmit: (v) => act(() => post(`/tasks/${t.id}/complete`, { completed_on: v.completed_on, evidence: v.evidence, version: t.version }), 'Đã báo cáo hoàn thành nhiệm vụ.'),
    });
  }

  function requestExtension() {
    const t = task;
    openForm({
      title: 'Xin gia hạn',
      intro: `${t.title} — hạn hiện tại ${fmtDate(t.due_date)}.`,
      submitLabel: 'Gửi đề nghị',
      fields: [
        { name: 'new_due_date', label: 'Hạn mới đề nghị', type: 'date', required: true },
        { name: 'reason', label: 'Lý do', type: 'textarea', rows: 3, required: true, maxlength: 2000 },
      ],
      onSubmit: (v, c) => {
        if (v.new_due_date <= t.due_date) { c.setFieldError('new_due_date', `Hạn mới phải sau hạn hiện tại (${fmtDate(t.due_date)}).`); return false; }
        return act(() => post(`/tasks/${t.id}/extensions`, { new_due_date: v.new_due_date, reason: v.reason }), 'Đã gửi đề nghị gia hạn.');
      },
    });
  }

  function decide(x, approve) {
    openForm({
      title: approve ? 'Duyệt đề nghị gia hạn' : 'Từ chối đề nghị gia hạn',
      intro: `Gia hạn từ ${fmtDate(x.old_due_date)} đến ${fmtDate(x.new_due_date)}. Lý do: ${x.reason}`,
      submitLabel: approve ? 'Duyệt' : 'Từ chối',
      danger: !approve,
      fields: [{ name: 'note', label: approve ? 'Ý kiến (không bắt buộc)' : 'Lý do từ chối', type: 'textarea', rows: 3, required: !approve, maxlength: 2000 }],
      onSubmit: (v) => act(() => post(`/extensions/${x.id}/${approve ? 'approve' : 'refuse'}`, v.note ? { note: v.note } : {}),
        approve ? `Đã duyệt gia hạn đến ${fmtDate(x.new_due_date)}.` : 'Đã từ chối đề nghị gia hạn.'),
    });
  }

  function reasonAction(title, path, label, okText, danger = false) {
    const t = task;
    openForm({
      title,
      intro: t.title,
      submitLabel: label,
      danger,
      fields: [{ name: 'reason', label: 'Lý do', type: 'textarea', rows: 3, required: true, maxlength: 2000 }],
      onSubmit: (v) => act(() => post(`/tasks/${t.id}/${path}`, { reason: v.reason, version: t.version }), okText),
    });
  }
  const reopen = () => reasonAction('Mở lại nhiệm vụ', 'reopen', 'Mở lại', 'Đã mở lại nhiệm vụ.');
  const cancel = () => reasonAction('Hủy nhiệm vụ', 'cancel', 'Hủy nhiệm vụ', 'Đã hủy nhiệm vụ.', true);

  function edit() {
    const t = task;
    const fields = [
      { name: 'title', label: 'Tên nhiệm vụ', type: 'textarea', rows: 2, required: true, maxlength: 1000, value: t.title },
      { name: 'content', label: 'Nội dung', type: 'textarea', rows: 4, maxlength: 20000, value: t.content || '' },
    ];
    if (t.due_date) fields.push({ name: 'due_date', label: 'Hạn hoàn thành', type: 'date', required: true, value: t.due_date, hint: 'Thay đổi hạn được ghi vào lịch sử thời hạn.' });
    fields.push({ name: 'support_unit_ids', label: 'Đơn vị phối hợp', type: 'units', units: units.flat, value: t.support_unit_ids || [] });
    openForm({
      title: 'Sửa nhiệm vụ',
      submitLabel: 'Lưu',
      wide: true,
      fields,
      onSubmit: (v) => {
        const body = { version: t.version };
        if (v.title !== t.title) body.title = v.title;
        if (v.content !== (t.content || '')) body.content = v.content;
        if (v.due_date && v.due_date !== t.due_date) body.due_date = v.due_date;
        const before = [...(t.support_unit_ids || [])].sort().join(',');
        if ([...v.support_unit_ids].sort().join(',') !== before) body.support_unit_ids = v.support_unit_ids;
        if (Object.keys(body).length === 1) return true;
        return act(() => patch(`/tasks/${t.id}`, body), 'Đã lưu nhiệm vụ.');
      },
    });
  }

  async function addChild() {
    try {
      const c = await createTaskDialog(ctx.me, { directive_id: task.directive_id, parent_id: task.id });
      if (c) { notify('Đã giao nhiệm vụ con.'); await load(); }
    } catch (e) { notify(e.message, 'error'); }
  }

  setChildren(root, loading());
  await load();
  return undefined;
}
