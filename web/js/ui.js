// Reusable pieces of the interface: form dialogs with per-field API errors, the pager,
// notices, and the loading / error states of a view.
import { h, setChildren, fmtNumber, parseDmy, fmtDate, clean, nextId } from './util.js';

/** A short notice in the shell's live region (read by screen readers). kind: ok | error. */
export function notify(message, kind = 'ok') {
  const box = document.getElementById('notice');
  if (!box) return;
  const item = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** An error block inside a view (role=alert). */
export function errorBox(message) {
  return h('div', { class: 'alert alert-error', role: 'alert' }, message);
}

export function loading(text = 'Đang tải…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

/**
 * In `box`, the answer of a record page to a 409 (the record changed meanwhile, or its state no
 * longer allows the action): the message, that `what` ("Hồ sơ") may have been changed by
 * someone else, and a «Tải lại» button (it takes the focus) that empties the box and calls
 * reload.
 */
export function showStale(box, message, what, reload) {
  setChildren(box, h('div', { class: 'alert alert-error', role: 'alert' },
    `${message}. ${what} có thể đã được người khác cập nhật; vui lòng tải lại trang rồi thử lại. `,
    h('button', { type: 'button', class: 'btn btn-small', onclick: () => { setChildren(box); reload(); } }, 'Tải lại')));
  box.querySelector('button').focus();
}

/**
 * The pager under a list: "Hiển thị 1–50 / 1.234" and the buttons Trước / Sau.
 * onPage(newOffset) is called when a button is pressed.
 */
export function pager(onPage) {
  const info = h('span', { class: 'pager-info', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'btn', text: '‹ Trước' });
  const next = h('button', { type: 'button', class: 'btn', text: 'Sau ›' });
  const el = h('nav', { class: 'pager', 'aria-label': 'Phân trang' }, info, h('span', { class: 'pager-buttons' }, prev, next));
  let state = { offset: 0, limit: 50, total: 0 };
  prev.addEventListener('click', () => onPage(Math.max(0, state.offset - state.limit)));
  next.addEventListener('click', () => onPage(state.offset + state.limit));
  return {
    el,
    update(offset, limit, shown, total) {
      state = { offset, limit, total };
      if (!total) info.textContent = 'Không có kết quả';
      else if (!shown) info.textContent = `Hiển thị 0 / ${fmtNumber(total)}`;
      else info.textContent = `Hiển thị ${fmtNumber(offset + 1)}–${fmtNumber(offset + shown)} / ${fmtNumber(total)}`;
      prev.disabled = offset <= 0;
      next.disabled = offset + shown >= total;
    },
  };
}

/**
 * Opens a modal form. fields: [{name, label, type: text|password|email|tel|date|select|checkbox,
 * required, options: [{value, label}], hint, maxlength, autocomplete, value}].
 * The 'date' type is a text box for dd/mm/yyyy whose value is sent as YYYY-MM-DD.
 * onSubmit(values, ctl) may throw an ApiError: its message goes next to the field it names
 * (error.field), else above the buttons. It resolves truthy to close the dialog.
 * Returns {dialog, setFieldError, setFormError, close, fields}.
 */
export function formDialog({ title, intro, fields = [], submitLabel = 'Lưu', danger = false, onSubmit, extraButtons = [] }) {
  const titleId = nextId('dlg-title');
  const formError = h('div', { class: 'alert alert-error', role: 'alert', hidden: true });
  const controls = new Map();
  const rows = fields.map((f) => {
    const id = nextId(`f-${f.name}`);
    const errId = `${id}-err`;
    const hintId = f.hint ? `${id}-hint` : null;
    let input;
    if (f.type === 'select') {
      input = h('select', { id, name: f.name, required: f.required });
      for (const o of f.options || []) {
        input.appendChild(h('option', { value: String(o.value ?? '') }, o.label));
      }
      input.value = f.value === null || f.value === undefined ? '' : String(f.value);
    } else if (f.type === 'checkbox') {
      input = h('input', { id, name: f.name, type: 'checkbox' });
      input.checked = !!f.value;
    } else {
      const type = f.type === 'date' ? 'text' : (f.type || 'text');
      input = h('input', {
        id, name: f.name, type,
        required: f.required,
        maxlength: f.maxlength,
        autocomplete: f.autocomplete || 'off',
        inputmode: f.type === 'date' ? 'numeric' : f.inputmode,
        placeholder: f.type === 'date' ? 'dd/mm/yyyy' : f.placeholder,
        spellcheck: f.type === 'text' ? undefined : 'false',
      });
      input.value = f.type === 'date' ? fmtDate(f.value) : (f.value ?? '');
    }
    input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
    const err = h('p', { class: 'field-error', id: errId, hidden: true });
    controls.set(f.name, { f, input, err });
    const label = h('label', { for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
    if (f.type === 'checkbox') {
      return h('div', { class: 'field field-check' }, input, label, err);
    }
    return h('div', { class: 'field' }, label, input,
      f.hint ? h('p', { class: 'hint', id: hintId }, f.hint) : null, err);
  });

  const submit = h('button', { type: 'submit', class: danger ? 'btn btn-danger' : 'btn btn-primary', text: submitLabel });
  const cancel = h('button', { type: 'button', class: 'btn', text: 'Hủy' });
  const form = h('form', { class: 'form', novalidate: true },
    intro ? h('p', { class: 'intro' }, intro) : null,
    ...rows, formError,
    h('div', { class: 'form-actions' }, ...extraButtons, cancel, submit));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title)), form);

  function clearErrors() {
    formError.hidden = true;
    formError.textContent = '';
    for (const { input, err } of controls.values()) {
      err.hidden = true;
      err.textContent = '';
      input.removeAttribute('aria-invalid');
    }
  }
  function setFieldError(name, message) {
    const c = controls.get(name);
    if (!c) return setFormError(message);
    c.err.textContent = message;
    c.err.hidden = false;
    c.input.setAttribute('aria-invalid', 'true');
    c.input.focus();
    return undefined;
  }
  function setFormError(message) {
    formError.textContent = message;
    formError.hidden = false;
  }
  function values() {
    const out = {};
    for (const [name, { f, input }] of controls) {
      if (f.type === 'checkbox') out[name] = input.checked;
      else if (f.type === 'date') out[name] = parseDmy(input.value);
      else if (f.type === 'password') out[name] = input.value;
      else out[name] = clean(input.value);
    }
    return out;
  }
  function validate(v) {
    for (const [name, { f, input }] of controls) {
      if (f.type === 'date' && v[name] === null) {
        setFieldError(name, 'Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 20/03/2017.');
        return false;
      }
      if (f.required && f.type !== 'checkbox' && !v[name]) {
        setFieldError(name, `Vui lòng nhập ${f.label.toLowerCase()}.`);
        input.focus();
        return false;
      }
    }
    return true;
  }

  let busy = false;
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
      if (e && e.field && controls.has(e.field)) setFieldError(e.field, e.message);
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
  const ctl = { dialog, form, setFieldError, setFormError, clearErrors, close, controls };
  document.body.appendChild(dialog);
  dialog.showModal();
  const first = form.querySelector('input, select');
  if (first) first.focus();
  return ctl;
}

/** A yes/no question in a modal; resolves true when confirmed. */
export function confirmDialog({ title, message, confirmLabel = 'Đồng ý', danger = false }) {
  return new Promise((resolve) => {
    let answered = false;
    const d = formDialog({
      title, intro: message, submitLabel: confirmLabel, danger,
      onSubmit: async () => { answered = true; resolve(true); return true; },
    });
    d.dialog.addEventListener('close', () => { if (!answered) resolve(false); });
  });
}

/** Options for a unit select: the tree flattened, indented by depth. */
export function unitOptions(units, { emptyLabel = null } = {}) {
  const opts = [];
  if (emptyLabel !== null) opts.push({ value: '', label: emptyLabel });
  for (const { unit, depth } of units.flat) {
    opts.push({ value: unit.id, label: `${'\u2003'.repeat(depth)}${unit.name}` });
  }
  return opts;
}

/** A table whose body rows are built by row(item); wrapped for horizontal scrolling. */
export function dataTable({ caption, columns, className = '' }) {
  const tbody = h('tbody');
  const table = h('table', { class: `table ${className}` },
    caption ? h('caption', { class: 'sr-only' }, caption) : null,
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
    tbody);
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || 'Bảng' }, table);
  return {
    el: wrap,
    tbody,
    setRows(rows, emptyText) {
      if (!rows.length) {
        setChildren(tbody, h('tr', null, h('td', { colspan: String(columns.length), class: 'empty' }, emptyText || 'Không có dữ liệu.')));
      } else {
        // Column names on the cells, for the stacked layout of narrow screens.
        for (const tr of rows) {
          [...tr.children].forEach((td, i) => {
            if (columns[i] && !td.hasAttribute('data-label')) td.setAttribute('data-label', columns[i].label);
            // One grid item per cell in that layout: wrap mixed content.
            if (td.childNodes.length > 1) td.replaceChildren(h('span', { class: 'cell' }, ...td.childNodes));
          });
        }
        setChildren(tbody, rows);
      }
    },
  };
}
