// Shared pieces of the task screens (Văn bản chỉ đạo, Nhiệm vụ, Bảng điều khiển): labels of
// statuses, directive kinds and recurrences; Vietnamese percentages; a richer form dialog than
// ui.js's (text areas, radio groups, a filterable multi-select of units, fields shown only
// when others have some value); the create forms of directives and tasks; the role checks the
// server makes (task.c: kc_task__is_lead / kc_task__is_assigner), so only allowed actions show.
import { get, post, loadUnits } from '../api.js';
import { h, setChildren, fmtDate, fmtNumber, parseDmy, clean, nextId, fold } from '../util.js';

// ---------- labels ----------

export const STATUS = {
  in_progress: { label: 'Đang thực hiện – trong hạn', short: 'Trong hạn', cls: 'st-progress' },
  in_progress_overdue: { label: 'Quá hạn chưa hoàn thành', short: 'Quá hạn', cls: 'st-overdue' },
  done_on_time: { label: 'Hoàn thành đúng hạn', short: 'Đúng hạn', cls: 'st-done' },
  done_late: { label: 'Hoàn thành quá hạn', short: 'Hoàn thành muộn', cls: 'st-late' },
  cancelled: { label: 'Đã hủy', short: 'Đã hủy', cls: 'st-cancelled' },
};
export const STATUS_ORDER = ['in_progress', 'in_progress_overdue', 'done_on_time', 'done_late', 'cancelled'];

export const DIRECTIVE_KINDS = {
  directive: 'Chỉ thị',
  plan: 'Kế hoạch',
  decision: 'Quyết định',
  official_letter: 'Công văn',
  conclusion_notice: 'Thông báo kết luận',
};

export const WEEKDAYS = { MON: 'thứ Hai', TUE: 'thứ Ba', WED: 'thứ Tư', THU: 'thứ Năm', FRI: 'thứ Sáu', SAT: 'thứ Bảy', SUN: 'Chủ nhật' };
const ROMAN = ['', 'I', 'II', 'III', 'IV'];

const CITYWIDE = ['supervisor', 'leader', 'admin'];

export function kindLabel(kind) {
  return DIRECTIVE_KINDS[kind] || kind || '';
}

/** A coloured status badge; the text carries the meaning, the colour only repeats it. */
export function statusBadge(status, { short = false } = {}) {
  const s = STATUS[status] || { label: status || '', short: status || '', cls: '' };
  return h('span', { class: `badge status ${s.cls}`, 'data-status': status, title: s.label }, short ? s.short : s.label);
}

/** A group parent or a recurring template: its state is that of its per-unit tasks / instances. */
export function isContainer(t) {
  return !!t.is_group || (!!t.recurrence && !t.due_date);
}

/**
 * The badge of any task. A container is never completed itself (the server keeps its derived
 * status open, even overdue, when every child is done): when all its children are done it
 * shows "Các đơn vị đã hoàn thành" / "Các kỳ đã hoàn thành" instead.
 */
export function taskBadge(t, opts) {
  const cs = t.children_summary;
  if (isContainer(t) && t.status !== 'cancelled' && cs && cs.total > 0 && cs.done === cs.total) {
    return h('span', { class: 'badge status st-done', 'data-status': 'children_done' }, t.is_group ? 'Các đơn vị đã hoàn thành' : 'Các kỳ đã hoàn thành');
  }
  return statusBadge(t.status, opts);
}

/** Whether the row should be marked overdue (red edge). */
export function looksOverdue(t) {
  if (t.status !== 'in_progress_overdue') return false;
  const cs = t.children_summary;
  return !(isContainer(t) && cs && cs.total > 0 && cs.done === cs.total);
}

/** "monthly:20" → "Hằng tháng, ngày 20" … */
export function recurrenceLabel(r) {
  if (!r) return '';
  const [kind, arg = ''] = String(r).split(':');
  switch (kind) {
    case 'monthly': return `Hằng tháng, ngày ${Number(arg)}`;
    case 'quarterly': return `Hằng quý, ngày ${Number(arg)} của tháng cuối quý`;
    case 'yearly': {
      const [m, d] = arg.split('-');
      return `Hằng năm, ngày ${d}/${m}`;
    }
    case 'weekly': return `Hằng tuần, vào ${WEEKDAYS[arg] || arg}`;
    default: return r;
  }
}

/** The period of an instance: "2017-04" → "Tháng 04/2017", "2017-Q2" → "Quý II/2017" … */
export function periodLabel(p) {
  if (!p) return '';
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return `Tháng ${m[2]}/${m[1]}`;
  if ((m = /^(\d{4})-Q(\d)$/.exec(p))) return `Quý ${ROMAN[Number(m[2])] || m[2]}/${m[1]}`;
  if ((m = /^(\d{4})$/.exec(p))) return `Năm ${m[1]}`;
  if ((m = /^W(\d{4}-\d{2}-\d{2})$/.exec(p))) return `Tuần từ ${fmtDate(m[1])}`;
  return p;
}

/** A rate 0..1 → "95,2%" ("—" when null). */
export function fmtRate(rate) {
  if (rate === null || rate === undefined || Number.isNaN(Number(rate))) return '—';
  return fmtPercent(Number(rate) * 100);
}

/** 95.23 → "95,2%"; 100 → "100%". */
export function fmtPercent(p) {
  const r = Math.round(Number(p) * 10) / 10;
  return `${fmtNumber(r)}%`;
}

// ---------- dates ----------

const pad = (n) => String(n).padStart(2, '0');

/** Today in Hanoi (UTC+7) as YYYY-MM-DD. */
export function todayIso() {
  const d = new Date(Date.now() + 7 * 3600 * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function isoDaysFrom(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d) + n * 86400000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function daysBetween(a, b) {
  const u = (s) => { const [y, m, d] = s.split('-').map(Number); return Date.UTC(y, m - 1, d); };
  return Math.round((u(b) - u(a)) / 86400000);
}

/** The due date with a hint: "còn 5 ngày", "quá hạn 3 ngày", for open tasks. */
export function dueCell(t) {
  if (!t.due_date) {
    return t.recurrence ? h('span', { class: 'muted' }, recurrenceLabel(t.recurrence)) : h('span', { class: 'muted' }, '—');
  }
  const parts = [h('span', { class: 'due-date' }, fmtDate(t.due_date))];
  if (t.status === 'in_progress' || t.status === 'in_progress_overdue') {
    const n = daysBetween(todayIso(), t.due_date);
    if (n < 0) parts.push(h('span', { class: 'due-hint due-over' }, `quá hạn ${fmtNumber(-n)} ngày`));
    else if (n === 0) parts.push(h('span', { class: 'due-hint due-soon' }, 'hạn hôm nay'));
    else if (n <= 7) parts.push(h('span', { class: 'due-hint due-soon' }, `còn ${fmtNumber(n)} ngày`));
  }
  if (t.original_due_date && t.original_due_date !== t.due_date) {
    parts.push(h('span', { class: 'due-hint' }, `(hạn đầu: ${fmtDate(t.original_due_date)})`));
  }
  return h('span', { class: 'due' }, ...parts);
}

/** A progress bar with its text (role=progressbar). */
export function progressBar(value, { label = 'Tiến độ', text = null, cls = '' } = {}) {
  const v = Math.max(0, Math.min(100, Math.round(Number(value) || 0)));
  const fill = h('div', { class: 'progress-fill' });
  fill.style.width = `${v}%`; // CSSOM, not a style attribute: the CSP has no 'unsafe-inline'
  return h('div', { class: `progress ${cls}` },
    h('div', { class: 'progress-track', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(v), 'aria-valuetext': text || `${v}%` },
      fill),
    h('span', { class: 'progress-text' }, text || `${v}%`));
}

// ---------- roles (mirrors task.c) ----------

/** Whether unit `id` lies in the subtree of unit `rootId` (walking parents in the unit tree). */
export function inSubtree(units, id, rootId) {
  let u = units.byId.get(Number(id));
  for (let guard = 0; u && guard < 64; guard++) {
    if (u.id === Number(rootId)) return true;
    u = u.parent_id ? units.byId.get(u.parent_id) : null;
  }
  return false;
}

export function isCitywide(me) {
  return CITYWIDE.includes(me.role);
}

/** The actor may report progress / ask an extension (kc_task__is_lead). */
export function isLead(me, units, t) {
  if (me.role === 'admin') return true;
  return (me.role === 'unit_head' || me.role === 'officer') && !!me.unit_id && inSubtree(units, t.lead_unit_id, me.unit_id);
}

/** The actor assigned the task (kc_task__is_assigner): reopen, cancel, decide extensions. */
export function isAssigner(me, units, t) {
  if (isCitywide(me)) return true;
  return me.role === 'unit_head' && !!me.unit_id && inSubtree(units, t.owner_unit_id, me.unit_id);
}

/** Unit options a person may assign to: everything for city-wide roles, else their subtree. */
export function assignableUnits(me, units) {
  if (isCitywide(me)) return units.flat;
  return units.flat.filter(({ unit }) => inSubtree(units, unit.id, me.unit_id));
}

// ---------- the form dialog ----------

/**
 * A modal form. fields: [{name, label, type: text|textarea|date|number|select|radio|units,
 * required, options: [{value, label, disabled}], hint, value, maxlength, rows, min, max,
 * showIf(values) → bool, errorFor: [api field names shown at this field], units (for 'units'),
 * cls}]. Hidden fields are left out of the values. onSubmit(values) may throw an ApiError: its
 * message goes next to the field it names (error.field), else above the buttons; it returns
 * false to keep the dialog open. Returns {dialog, close, setFieldError, setFormError, input(name)}.
 */
export function openForm({ title, intro, fields, submitLabel = 'Lưu', danger = false, wide = false, onSubmit }) {
  const titleId = nextId('tf-title');
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const ctls = new Map();

  for (const f of fields) {
    const id = nextId(`tf-${f.name}`);
    const errId = `${id}-err`;
    const hintId = f.hint ? `${id}-hint` : null;
    const describedBy = [hintId, errId].filter(Boolean).join(' ');
    const err = h('p', { class: 'field-error', id: errId, hidden: true });
    const hint = f.hint ? h('p', { class: 'hint', id: hintId }, f.hint) : null;
    const req = f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null;
    let row, focusEl, read;
    if (f.type === 'radio') {
      const inputs = (f.options || []).map((o) => {
        const rid = nextId(`${id}-o`);
        const input = h('input', { type: 'radio', id: rid, name: id, value: String(o.value) });
        if (String(f.value ?? '') === String(o.value)) input.checked = true;
        return h('label', { class: 'radio', for: rid }, input, ' ', o.label);
      });
      row = h('fieldset', { class: 'field field-radio', 'aria-describedby': describedBy },
        h('legend', null, f.label, req), h('div', { class: 'radio-row' }, inputs), hint, err);
      focusEl = () => row.querySelector('input:checked') || row.querySelector('input');
      read = () => { const c = row.querySelector('input:checked'); return c ? c.value : ''; };
    } else if (f.type === 'units') {
      const picker = unitPicker({ id, units: f.units, value: f.value || [], label: f.label, describedBy });
      row = h('fieldset', { class: 'field field-units' }, h('legend', null, f.label, req), picker.el, hint, err);
      focusEl = () => picker.focusEl;
      read = () => picker.value();
    } else {
      let input;
      if (f.type === 'select') {
        input = h('select', { id, name: f.name });
        for (const o of f.options || []) {
          input.appendChild(h('option', { value: String(o.value ?? ''), disabled: o.disabled || null }, o.label));
        }
        input.value = f.value === null || f.value === undefined ? '' : String(f.value);
      } else if (f.type === 'textarea') {
        input = h('textarea', { id, name: f.name, rows: String(f.rows || 3), maxlength: f.maxlength });
        input.value = f.value ?? '';
      } else {
        const isDate = f.type === 'date';
        input = h('input', {
          id, name: f.name, type: isDate ? 'text' : (f.type || 'text'), maxlength: f.maxlength,
          min: f.min, max: f.max, step: f.step, autocomplete: 'off',
          inputmode: isDate || f.type === 'number' ? 'numeric' : null,
          placeholder: isDate ? 'dd/mm/yyyy' : f.placeholder,
        });
        input.value = isDate ? fmtDate(f.value) : (f.value ?? '');
        if (isDate) input.classList.add('input-date');
      }
      if (f.required) input.setAttribute('aria-required', 'true');
      input.setAttribute('aria-describedby', describedBy);
      row = h('div', { class: `field ${f.cls || ''}` }, h('label', { for: id }, f.label, req), input, hint, err);
      focusEl = () => input;
      read = () => {
        if (f.type === 'date') return parseDmy(input.value);
        if (f.type === 'number') return input.value.trim() === '' ? '' : Number(input.value);
        return clean(input.value);
      };
    }
    ctls.set(f.name, { f, row, err, focusEl, read });
  }

  const submit = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary' }, submitLabel);
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Đóng');
  const form = h('form', { class: 'form', novalidate: true },
    intro ? h('p', { class: 'intro' }, intro) : null,
    [...ctls.values()].map((c) => c.row), formError,
    h('div', { class: 'form-actions' }, cancel, submit));
  const dialog = h('dialog', { class: `dialog${wide ? ' dialog-wide' : ''}`, 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title)), form);

  function raw() {
    const v = {};
    for (const [name, c] of ctls) v[name] = c.read();
    return v;
  }
  function refresh() {
    const v = raw();
    for (const c of ctls.values()) c.row.hidden = c.f.showIf ? !c.f.showIf(v) : false;
  }
  function values() {
    const v = raw();
    const out = {};
    for (const [name, c] of ctls) if (!c.row.hidden) out[name] = v[name];
    return out;
  }
  function clearErrors() {
    formError.hidden = true;
    formError.textContent = '';
    for (const c of ctls.values()) {
      c.err.hidden = true;
      c.err.textContent = '';
      const el = c.focusEl();
      if (el) el.removeAttribute('aria-invalid');
    }
  }
  function ctlFor(apiField) {
    if (!apiField) return null;
    for (const c of ctls.values()) {
      if (c.row.hidden) continue;
      if (c.f.name === apiField || (c.f.errorFor || []).includes(apiField)) return c;
    }
    return null;
  }
  function setFieldError(name, message) {
    const c = ctlFor(name);
    if (!c) { setFormError(message); return; }
    c.err.textContent = message;
    c.err.hidden = false;
    const el = c.focusEl();
    if (el) { el.setAttribute('aria-invalid', 'true'); el.focus(); }
  }
  function setFormError(message) {
    formError.textContent = message;
    formError.hidden = false;
  }
  function validate(v) {
    for (const [name, c] of ctls) {
      if (c.row.hidden) continue;
      if (c.f.type === 'date' && v[name] === null) {
        setFieldError(name, 'Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 20/03/2017.');
        return false;
      }
      const empty = v[name] === '' || v[name] === null || (Array.isArray(v[name]) && !v[name].length);
      if (c.f.required && empty) {
        setFieldError(name, `Vui lòng ${c.f.type === 'select' || c.f.type === 'radio' || c.f.type === 'units' ? 'chọn' : 'nhập'} ${c.f.label.toLowerCase()}.`);
        return false;
      }
      if (c.f.type === 'number' && v[name] !== '' && (!Number.isInteger(v[name]) ||
          (c.f.min !== undefined && v[name] < Number(c.f.min)) || (c.f.max !== undefined && v[name] > Number(c.f.max)))) {
        setFieldError(name, `${c.f.label} phải là số nguyên từ ${c.f.min} đến ${c.f.max}.`);
        return false;
      }
    }
    return true;
  }

  let busy = false;
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    clearErrors();
    const v = values();
    if (!validate(v)) return;
    busy = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const done = await onSubmit(v, ctl);
      if (done !== false) close();
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      if (e && e.field && ctlFor(e.field)) setFieldError(e.field, e.message);
      else setFormError(e && e.message ? e.message : String(e));
    } finally {
      busy = false;
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
  cancel.addEventListener('click', () => close());
  dialog.addEventListener('close', () => dialog.remove());
  function close() {
    if (dialog.open) dialog.close();
    dialog.remove();
  }
  const ctl = { dialog, form, close, setFieldError, setFormError, refresh };
  document.body.appendChild(dialog);
  refresh();
  dialog.showModal();
  const first = [...ctls.values()].find((c) => !c.row.hidden);
  if (first && first.focusEl()) first.focusEl().focus();
  return ctl;
}

/** A filterable list of unit checkboxes (the support units of a task). */
function unitPicker({ id, units, value, label, describedBy }) {
  const chosen = new Set((value || []).map(Number));
  const filter = h('input', { type: 'search', id: `${id}-filter`, autocomplete: 'off', spellcheck: 'false', placeholder: 'Lọc theo tên đơn vị…', 'aria-label': `Lọc danh sách ${label.toLowerCase()}`, 'aria-describedby': describedBy });
  const count = h('span', { class: 'picker-count', 'aria-live': 'polite' });
  const list = h('ul', { class: 'picker-list', role: 'list' });
  const items = (units || []).map(({ unit, depth }) => {
    const cid = nextId(`${id}-u`);
    const box = h('input', { type: 'checkbox', id: cid, value: String(unit.id) });
    box.checked = chosen.has(unit.id);
    box.addEventListener('change', () => { if (box.checked) chosen.add(unit.id); else chosen.delete(unit.id); showCount(); });
    const li = h('li', null, box, h('label', { for: cid }, unit.name));
    li.style.paddingLeft = `${depth * 14}px`;
    li.dataset.fold = fold(unit.name);
    list.appendChild(li);
    return li;
  });
  function showCount() {
    count.textContent = chosen.size ? `Đã chọn ${fmtNumber(chosen.size)} đơn vị` : 'Chưa chọn đơn vị nào';
  }
  filter.addEventListener('input', () => {
    const q = fold(filter.value);
    for (const li of items) li.hidden = !!q && !li.dataset.fold.includes(q);
  });
  filter.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') ev.preventDefault(); });
  showCount();
  return {
    el: h('div', { class: 'picker' }, h('div', { class: 'picker-head' }, filter, count), list),
    focusEl: filter,
    value: () => [...chosen],
  };
}

// ---------- create forms ----------

/** Options of units for selects, indented by depth. */
export function unitSelectOptions(flat, emptyLabel) {
  const out = emptyLabel !== undefined ? [{ value: '', label: emptyLabel }] : [];
  for (const { unit, depth } of flat) out.push({ value: unit.id, label: `${'\u2003'.repeat(depth)}${unit.name}` });
  return out;
}

/** "Ghi nhận văn bản chỉ đạo": POST /directives. Resolves the created directive (or null). */
export async function createDirectiveDialog(me) {
  const units = await loadUnits();
  const allowed = assignableUnits(me, units);
  return new Promise((resolve) => {
    let created = null;
    const d = openForm({
      title: 'Ghi nhận văn bản chỉ đạo',
      submitLabel: 'Lưu văn bản',
      wide: true,
      fields: [
        { name: 'number', label: 'Số hiệu', required: true, maxlength: 64, hint: 'Ví dụ: 69/KH-UBND.', cls: 'half' },
        { name: 'kind', label: 'Loại văn bản', type: 'select', required: true, value: 'plan', cls: 'half',
          options: Object.entries(DIRECTIVE_KINDS).map(([value, label]) => ({ value, label })) },
        { name: 'issued_on', label: 'Ngày ban hành', type: 'date', required: true, cls: 'half' },
        { name: 'signer', label: 'Người ký', maxlength: 200, cls: 'half' },
        { name: 'issuer_unit_id', label: 'Cơ quan ban hành', type: 'select', required: true,
          value: allowed.some((x) => x.unit.id === me.unit_id) ? me.unit_id : '',
          options: unitSelectOptions(allowed, '— Chọn cơ quan —') },
        { name: 'title', label: 'Trích yếu', type: 'textarea', rows: 2, required: true, maxlength: 1000 },
        { name: 'text', label: 'Nội dung văn bản', type: 'textarea', rows: 5, hint: 'Không bắt buộc: toàn văn hoặc phần nội dung giao nhiệm vụ.' },
      ],
      onSubmit: async (v) => {
        const body = { number: v.number, kind: v.kind, issued_on: v.issued_on, issuer_unit_id: Number(v.issuer_unit_id), title: v.title };
        if (v.signer) body.signer = v.signer;
        if (v.text) body.text = v.text;
        created = await post('/directives', body);
        return true;
      },
    });
    d.dialog.addEventListener('close', () => resolve(created));
  });
}

const REC_KINDS = [
  { value: 'monthly', label: 'Hằng tháng, vào ngày…' },
  { value: 'quarterly', label: 'Hằng quý, vào ngày … của tháng cuối quý' },
  { value: 'yearly', label: 'Hằng năm, vào ngày/tháng…' },
  { value: 'weekly', label: 'Hằng tuần, vào thứ…' },
];

/**
 * "Giao nhiệm vụ": POST /tasks, for one lead unit or a unit group, with a due date or a
 * recurrence. preset: {directive_id, parent_id}. Resolves the created task (or null).
 */
export async function createTaskDialog(me, preset = {}) {
  const [units, dirs, groups] = await Promise.all([
    loadUnits(),
    get('/directives?limit=500').catch(() => ({ items: [] })),
    isCitywide(me) ? get('/unit-groups').catch(() => ({ items: [] })) : Promise.resolve({ items: [] }),
  ]);
  const allowed = assignableUnits(me, units);
  const groupItems = groups.items || [];
  const dirOptions = [{ value: '', label: '— Không thuộc văn bản nào —' }].concat(
    (dirs.items || []).map((d) => ({ value: d.id, label: `${d.number} (${fmtDate(d.issued_on)}) — ${truncate(d.title, 70)}` })));
  const assignOptions = [{ value: 'unit', label: 'Một đơn vị chủ trì' }];
  if (groupItems.length) assignOptions.push({ value: 'group', label: 'Nhóm đơn vị (mỗi đơn vị một nhiệm vụ)' });
  const months = Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: `Tháng ${i + 1}` }));
  return new Promise((resolve) => {
    let created = null;
    const d = openForm({
      title: preset.parent_id ? 'Giao nhiệm vụ con' : 'Giao nhiệm vụ',
      submitLabel: 'Giao nhiệm vụ',
      wide: true,
      fields: [
        { name: 'directive_id', label: 'Văn bản chỉ đạo', type: 'select', options: dirOptions, value: preset.directive_id || '', cls: 'wide-2' },
        { name: 'section', label: 'Mục trong văn bản', maxlength: 32, hint: 'Ví dụ: II.2.b', cls: 'wide-1' },
        { name: 'title', label: 'Tên nhiệm vụ', type: 'textarea', rows: 2, required: true, maxlength: 1000 },
        { name: 'content', label: 'Nội dung', type: 'textarea', rows: 3, maxlength: 20000 },
        { name: 'assign', label: 'Giao cho', type: 'radio', options: assignOptions, value: 'unit' },
        { name: 'lead_unit_id', label: 'Đơn vị chủ trì', type: 'select', required: true,
          options: unitSelectOptions(allowed, '— Chọn đơn vị chủ trì —'), showIf: (v) => v.assign !== 'group' },
        { name: 'group_id', label: 'Nhóm đơn vị', type: 'select', required: true,
          options: [{ value: '', label: '— Chọn nhóm —' }].concat(groupItems.map((g) => ({ value: g.id, label: `${g.name} (${fmtNumber((g.unit_ids || []).length)} đơn vị)` }))),
          showIf: (v) => v.assign === 'group' },
        { name: 'support_unit_ids', label: 'Đơn vị phối hợp', type: 'units', units: units.flat, value: [] },
        { name: 'timing', label: 'Thời hạn', type: 'radio', value: 'due',
          options: [{ value: 'due', label: 'Có hạn hoàn thành' }, { value: 'recurring', label: 'Định kỳ' }] },
        { name: 'due_date', label: 'Hạn hoàn thành', type: 'date', required: true, showIf: (v) => v.timing !== 'recurring', cls: 'half' },
        { name: 'rec_kind', label: 'Định kỳ', type: 'select', required: true, value: 'monthly', options: REC_KINDS,
          showIf: (v) => v.timing === 'recurring', errorFor: ['recurrence'], cls: 'half' },
        { name: 'rec_day', label: 'Ngày', type: 'number', min: 1, max: 31, required: true, value: 20, cls: 'quarter',
          showIf: (v) => v.timing === 'recurring' && v.rec_kind !== 'weekly' },
        { name: 'rec_month', label: 'Tháng', type: 'select', options: months, value: 12, required: true, cls: 'quarter',
          showIf: (v) => v.timing === 'recurring' && v.rec_kind === 'yearly' },
        { name: 'rec_weekday', label: 'Thứ', type: 'select', value: 'FRI', required: true, cls: 'quarter',
          options: Object.entries(WEEKDAYS).map(([value, label]) => ({ value, label: label[0].toUpperCase() + label.slice(1) })),
          showIf: (v) => v.timing === 'recurring' && v.rec_kind === 'weekly' },
      ],
      onSubmit: async (v, ctl) => {
        const body = { title: v.title };
        if (v.directive_id) body.directive_id = Number(v.directive_id);
        if (preset.parent_id) body.parent_id = preset.parent_id;
        if (v.section) body.section = v.section;
        if (v.content) body.content = v.content;
        if (v.assign === 'group') body.group_id = Number(v.group_id);
        else body.lead_unit_id = Number(v.lead_unit_id);
        if (v.support_unit_ids.length) body.support_unit_ids = v.support_unit_ids;
        if (v.timing === 'recurring') {
          if (v.rec_kind === 'weekly') body.recurrence = `weekly:${v.rec_weekday}`;
          else if (v.rec_kind === 'yearly') {
            const dim = new Date(Date.UTC(2000, Number(v.rec_month), 0)).getUTCDate();
            if (v.rec_day > dim) { ctl.setFieldError('rec_day', `Tháng ${v.rec_month} chỉ có ${dim} ngày.`); return false; }
            body.recurrence = `yearly:${pad(v.rec_month)}-${pad(v.rec_day)}`;
          } else body.recurrence = `${v.rec_kind}:${pad(v.rec_day)}`;
        } else {
          body.due_date = v.due_date;
        }
        created = await post('/tasks', body);
        return true;
      },
    });
    d.dialog.addEventListener('close', () => resolve(created));
  });
}

export function truncate(s, n) {
  const t = String(s || '');
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

/** A definition list from [label, value] pairs (values: nodes or text; empty ones skipped). */
export function facts(pairs, cls = '') {
  const dl = h('dl', { class: `facts task-facts ${cls}` });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '') continue;
    dl.append(h('dt', null, k), h('dd', null, v));
  }
  return dl;
}

export function emptyNote(text) {
  return h('p', { class: 'empty-note' }, text);
}

export { setChildren };
